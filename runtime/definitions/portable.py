"""The portable app file (export/import): format, validation and id ↔ key mapping.

Ids mean nothing in another installation, so the file names people and departments by
stable keys: users by user name, departments by code (roles and positions are codes
already). Exporting replaces ids by keys in the known places (see
``documents.map_*_references``) and in the app's visibility; importing maps keys back to
local ids and reports what it could not map. This module only reads the database; the
services write.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from platform_core.org.models import Department, Position, Role, User
from runtime.definitions.documents import (
    MAX_DOCUMENT_BYTES,
    check_document,
    map_flow_references,
    map_form_references,
    node_config,
)
from runtime.definitions.exceptions import DraftInvalid, ImportInvalid
from runtime.flows import CURRENT_SCHEMA_VERSION as FLOW_SCHEMA_VERSION
from runtime.forms import SCHEMA_VERSION as FORM_SCHEMA_VERSION

FORMAT = "qiaoban-app"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 3 * MAX_DOCUMENT_BYTES  # form + flow + dictionary
APP_TEXT_FIELDS = {"name": 100, "name_en": 100, "icon": 64, "category": 64, "description": 2000}


# --- export ---------------------------------------------------------------------------------

def _collect(form: Any, flow: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"user": set(), "department": set()}

    def grab(kind: str, value: str, where: str) -> str:
        found[kind].add(value)
        return value

    map_form_references(form, grab)
    map_flow_references(flow, grab)
    return found


def export_document(
    *, app: Any, form: Any, flow: Any, dictionary: Mapping[str, Any], source: Mapping[str, Any]
) -> dict[str, Any]:
    """The portable file of an app's definition, with ids replaced by stable keys."""
    refs = _collect(form, flow)
    visibility = app.visibility or {}
    user_ids = {_int(v) for v in refs["user"] | {str(v) for v in visibility.get("users") or []}} - {None}
    dept_ids = {_int(v) for v in refs["department"] | {str(v) for v in visibility.get("departments") or []}} - {None}
    usernames = {str(pk): name for pk, name in User.objects.filter(pk__in=user_ids).values_list("pk", "username")}
    codes = {str(pk): code for pk, code in Department.objects.filter(pk__in=dept_ids).values_list("pk", "code")}

    def to_key(kind: str, value: str, where: str) -> str:
        table = usernames if kind == "user" else codes
        return table.get(value, value)  # an id that no longer exists stays; import reports it

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": dict(source),
        "app": {
            "key": app.key,
            "name": app.name,
            "name_en": app.name_en,
            "icon": app.icon,
            "category": app.category,
            "description": app.description,
            "visibility": {
                "departments": [codes.get(str(v), str(v)) for v in visibility.get("departments") or []],
                "roles": list(visibility.get("roles") or []),
                "users": [usernames.get(str(v), str(v)) for v in visibility.get("users") or []],
            },
        },
        "form": map_form_references(form, to_key),
        "flow": map_flow_references(flow, to_key),
        "dictionary": dict(dictionary),
    }


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- import: reading and checking the file -----------------------------------------------------

def parse_file(raw: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """Return the validated file contents or raise ImportInvalid saying what is wrong."""
    if isinstance(raw, Mapping):
        try:
            text = json.dumps(raw, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ImportInvalid(ImportInvalid.NOT_JSON, params={"reason": str(exc)}) from None
        size = len(text.encode("utf-8"))
        data: Any = json.loads(text)
    else:
        size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
        if size > MAX_IMPORT_BYTES:
            raise _too_large(size)
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ImportInvalid(ImportInvalid.NOT_JSON, params={"reason": _short(exc)}) from None
    if size > MAX_IMPORT_BYTES:
        raise _too_large(size)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportInvalid(ImportInvalid.WRONG_FORMAT, details={"path": "format"})
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _part("format_version", gettext("a whole number from 1 is required"))
    if version > FORMAT_VERSION:
        raise ImportInvalid(
            ImportInvalid.FORMAT_VERSION, params={"version": version, "supported": FORMAT_VERSION},
            details={"path": "format_version"},
        )
    _check_app(data.get("app"))
    for part, supported in (("form", FORM_SCHEMA_VERSION), ("flow", FLOW_SCHEMA_VERSION)):
        try:
            data[part] = check_document(data.get(part), part)
        except DraftInvalid as exc:
            raise _part(part, exc.formatted(gettext)) from None
        if data[part]["schema_version"] > supported:
            raise ImportInvalid(
                ImportInvalid.SCHEMA_VERSION,
                params={"part": part, "version": data[part]["schema_version"], "supported": supported},
                details={"path": f"{part}.schema_version"},
            )
    dictionary = data.get("dictionary") or {}
    if not isinstance(dictionary, dict) or not all(
        isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("options", []), list)
        for k, v in dictionary.items()
    ):
        raise _part("dictionary", gettext("an object of entries, each with an “options” list, is required"))
    data["dictionary"] = dictionary
    return data


def _check_app(app: Any) -> None:
    if not isinstance(app, dict):
        raise _part("app", gettext("an object is required"))
    if not isinstance(app.get("key"), str) or not app["key"]:
        raise _part("app.key", gettext("a text is required"))
    if not isinstance(app.get("name"), str) or not app["name"].strip():
        raise _part("app.name", gettext("a text is required"))
    for name, limit in APP_TEXT_FIELDS.items():
        value = app.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            raise _part(f"app.{name}", gettext("a text of at most %(limit)s characters is required") % {"limit": limit})
    visibility = app.get("visibility") or {}
    if not isinstance(visibility, dict) or not all(
        isinstance(visibility.get(k, []), list) and all(isinstance(v, str) for v in visibility.get(k, []))
        for k in ("departments", "roles", "users")
    ):
        raise _part("app.visibility", gettext("lists of department codes, role codes and user names are required"))


def _part(part: str, reason: str) -> ImportInvalid:
    return ImportInvalid(ImportInvalid.PART_INVALID, params={"part": part, "reason": reason}, details={"path": part})


def _too_large(size: int) -> ImportInvalid:
    return ImportInvalid(
        ImportInvalid.TOO_LARGE, params={"size": size, "limit": MAX_IMPORT_BYTES},
        details={"size": size, "limit": MAX_IMPORT_BYTES},
    )


def _short(exc: Exception) -> str:
    return str(exc)[:200]


# --- import: keys back to ids ------------------------------------------------------------------

Mapped = tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[dict[str, Any]]]


def map_to_local(data: Mapping[str, Any]) -> Mapped:
    """Return ``(form, flow, visibility input, unmapped)`` with keys mapped to local ids.

    Unmapped users and departments are dropped from lists (a single node ``admin`` is
    removed); unknown role and position codes are kept (they are stable keys and the
    verifier warns when nobody holds them) but reported.
    """
    form, flow, app = data["form"], data["flow"], data["app"]
    visibility = app.get("visibility") or {}
    refs = _collect(form, flow)
    names = refs["user"] | set(visibility.get("users") or [])
    dept_codes = refs["department"] | set(visibility.get("departments") or [])
    users = {name: str(pk) for name, pk in User.objects.filter(username__in=names).values_list("username", "pk")}
    depts = {code: str(pk) for code, pk in Department.objects.filter(code__in=dept_codes).values_list("code", "pk")}
    unmapped: list[dict[str, Any]] = []

    def to_id(kind: str, value: str, where: str) -> str | None:
        local = (users if kind == "user" else depts).get(value)
        if local is None:
            unmapped.append({"kind": kind, "value": value, "where": where})
        return local

    local_form = map_form_references(form, to_id)
    local_flow = map_flow_references(flow, to_id)
    local_visibility = {
        "departments": [int(i) for i in _mapped(visibility.get("departments") or [], "department", to_id)],
        "users": [int(i) for i in _mapped(visibility.get("users") or [], "user", to_id)],
        "roles": [],
    }
    known_roles = set(Role.objects.filter(code__in=set(visibility.get("roles") or [])).values_list("code", flat=True))
    for code in visibility.get("roles") or []:
        if code in known_roles:
            local_visibility["roles"].append(code)
        else:
            unmapped.append({"kind": "role", "value": code, "where": "visibility"})
    unmapped += _unknown_codes(local_flow)
    return local_form, local_flow, local_visibility, unmapped


def _mapped(values: list[str], kind: str, to_id: Any) -> list[str]:
    return [local for v in values if (local := to_id(kind, v, "visibility")) is not None]


def _unknown_codes(flow: Any) -> list[dict[str, Any]]:
    """Role and position codes the flow names that this installation does not have (kept, reported)."""
    wanted: list[tuple[str, str, str]] = []
    for node in flow.get("nodes") or [] if isinstance(flow, Mapping) else []:
        if not isinstance(node, Mapping):
            continue
        config = node_config(node)
        for list_key in ("assignees", "recipients"):
            for rule in config.get(list_key) or []:
                if not isinstance(rule, Mapping):
                    continue
                where = f"node {node.get('id')}: {list_key}"
                for kind, attr in (("role", "role"), ("role", "until_role"), ("position", "position")):
                    if isinstance(rule.get(attr), str):
                        wanted.append((kind, rule[attr], where))
    roles = set(Role.objects.filter(code__in={c for k, c, _ in wanted if k == "role"}).values_list("code", flat=True))
    positions = set(
        Position.objects.filter(code__in={c for k, c, _ in wanted if k == "position"}).values_list("code", flat=True)
    )
    return [
        {"kind": kind, "value": code, "where": where}
        for kind, code, where in wanted
        if code not in (roles if kind == "role" else positions)
    ]
