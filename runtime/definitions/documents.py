"""Plain-data helpers over form and flow documents (no database access).

Starter documents for a new app, the size check drafts must pass, the dictionary
entries a form uses, and the places in the documents that hold user/department ids
(which exports replace by stable keys and imports map back).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from runtime.definitions.exceptions import DraftInvalid
from runtime.flows import CURRENT_SCHEMA_VERSION as FLOW_SCHEMA_VERSION
from runtime.forms import SCHEMA_VERSION as FORM_SCHEMA_VERSION

MAX_DOCUMENT_BYTES = 1_000_000  # one form or flow document as compact UTF-8 JSON
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TASK_NODE_TYPES = ("approval", "handle")
PEOPLE_NODE_TYPES = ("approval", "handle", "cc")


def starter_form(name: str, name_en: str = "") -> dict[str, Any]:
    """An empty form: no fields yet."""
    label = {"zh": name} | ({"en": name_en} if name_en else {})
    return {
        "schema_version": FORM_SCHEMA_VERSION,
        "schema": {
            "$schema": JSON_SCHEMA_DIALECT,
            "type": "object",
            "title": name,
            "x-label": label,
            "properties": {},
            "required": [],
            "additionalProperties": False,
        },
        "ui_schema": {"order": []},
    }


def starter_flow() -> dict[str, Any]:
    """Start → department head (one level) → end: the most common approval."""
    return {
        "schema_version": FLOW_SCHEMA_VERSION,
        "nodes": [
            {"id": "start", "type": "start", "name": {"zh": "发起", "en": "Submit"}, "config": {}},
            {
                "id": "head",
                "type": "approval",
                "name": {"zh": "部门负责人", "en": "Department head"},
                "config": {"mode": "single", "assignees": [{"rule": "dept_head", "levels": 1}]},
            },
            {"id": "end", "type": "end", "name": {"zh": "结束", "en": "End"}, "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "head", "condition": None, "is_default": False,
             "priority": None},
            {"id": "e2", "source": "head", "target": "end", "condition": None, "is_default": False,
             "priority": None},
        ],
        "layout": {"start": {"x": 0, "y": 0}, "head": {"x": 0, "y": 120}, "end": {"x": 0, "y": 240}},
    }


def check_document(document: Any, which: str) -> dict[str, Any]:
    """Return a compact JSON copy of a draft document, or raise DraftInvalid (shape or size).

    Drafts may be incomplete, so only the envelope is checked here: a JSON object with a
    whole-number ``schema_version``, at most :data:`MAX_DOCUMENT_BYTES`.
    """
    if not isinstance(document, Mapping):
        raise DraftInvalid(params={"document": which}, details={"document": which})
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DraftInvalid(params={"document": which}, details={"document": which, "field": "schema_version"})
    try:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        raise DraftInvalid(DraftInvalid.NOT_JSON, params={"document": which}, details={"document": which}) from None
    size = len(text.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise DraftInvalid(
            DraftInvalid.TOO_LARGE,
            params={"document": which, "size": size, "limit": MAX_DOCUMENT_BYTES},
            details={"document": which, "size": size, "limit": MAX_DOCUMENT_BYTES},
        )
    result: dict[str, Any] = json.loads(text)
    return result


def form_properties(form: Any) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    """Yield ``(dotted key, property, required)`` for every field and sub-table column, tolerating junk."""
    schema = form.get("schema") if isinstance(form, Mapping) else None
    if not isinstance(schema, Mapping):
        return
    yield from _properties(schema, "")


def _properties(schema: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    props = schema.get("properties")
    if not isinstance(props, Mapping):
        return
    required = schema.get("required")
    required_set = set(required) if isinstance(required, list) and all(isinstance(r, str) for r in required) else set()
    for key, prop in props.items():
        if not isinstance(prop, Mapping):
            continue
        path = f"{prefix}{key}"
        yield path, prop, key in required_set
        items = prop.get("items")
        if prop.get("x-type") == "table" and isinstance(items, Mapping):
            yield from _properties(items, f"{path}.")


def dictionary_keys(form: Any) -> list[str]:
    """The data-dictionary entries a form binds with ``x-dictionary`` (sorted, unique)."""
    return sorted(
        {prop["x-dictionary"] for _, prop, _ in form_properties(form) if isinstance(prop.get("x-dictionary"), str)}
    )


def start_node(flow: Any) -> Mapping[str, Any] | None:
    """The first node of type ``start`` of a flow document (raw), or None."""
    for node in _nodes(flow):
        if node.get("type") == "start":
            return node
    return None


def _nodes(flow: Any) -> list[Mapping[str, Any]]:
    nodes = flow.get("nodes") if isinstance(flow, Mapping) else None
    return [n for n in nodes if isinstance(n, Mapping)] if isinstance(nodes, list) else []


def node_config(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """A node's config object ({} when absent or not an object)."""
    config = node.get("config")
    return config if isinstance(config, Mapping) else {}


# --- id references ----------------------------------------------------------------------
#
# User and department ids appear in these places only (roles and positions are codes):
#   flow: a task/cc node's ``admin``; assignee rules ``user.users`` and ``dynamic.candidates``;
#   form: the ``default`` of a user or department field (or column).
# Visibility lives on the app and is handled by the services.
# ``map_references`` rewrites a copy of the documents through ``mapper(kind, value, where)``;
# a mapper returning None drops the value (a single ``admin`` is then removed).

Mapper = Callable[[str, str, str], str | None]


def map_flow_references(flow: Any, mapper: Mapper) -> Any:
    """Return a copy of ``flow`` with user ids in the known places passed through ``mapper``."""
    if not isinstance(flow, Mapping):
        return flow
    doc = json.loads(json.dumps(flow))
    for node in doc.get("nodes") or []:
        if not isinstance(node, dict) or node.get("type") not in PEOPLE_NODE_TYPES:
            continue
        config = node.get("config")
        if not isinstance(config, dict):
            continue
        where = f"node {node.get('id')}"
        if isinstance(config.get("admin"), str):
            mapped = mapper("user", config["admin"], f"{where}: admin")
            if mapped is None:
                del config["admin"]
            else:
                config["admin"] = mapped
        for list_key in ("assignees", "recipients"):
            rules = config.get(list_key)
            if not isinstance(rules, list):
                continue
            for rule in rules:
                if not isinstance(rule, dict):
                    continue
                target = {"user": "users", "dynamic": "candidates"}.get(str(rule.get("rule")))
                if target and isinstance(rule.get(target), list):
                    rule[target] = _map_list(rule[target], "user", mapper, f"{where}: {list_key}")
    return doc


def map_form_references(form: Any, mapper: Mapper) -> Any:
    """Return a copy of ``form`` with user/department ids in field defaults passed through ``mapper``."""
    if not isinstance(form, Mapping):
        return form
    doc = json.loads(json.dumps(form))
    for key, prop, _ in form_properties(doc):
        kind = prop.get("x-type")
        if kind not in ("user", "department") or "default" not in prop:
            continue
        where = f"field {key}: default"
        target: dict[str, Any] = prop  # type: ignore[assignment]  # a JSON copy: plain dicts
        value = target["default"]
        if isinstance(value, str):
            mapped = mapper(str(kind), value, where)
            if mapped is None:
                del target["default"]
            else:
                target["default"] = mapped
        elif isinstance(value, list):
            target["default"] = _map_list(value, str(kind), mapper, where)
    return doc


def _map_list(values: list[Any], kind: str, mapper: Mapper, where: str) -> list[Any]:
    out = []
    for value in values:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            out.append(value)
            continue
        mapped = mapper(kind, str(value), where)
        if mapped is not None:
            out.append(mapped)
    return out
