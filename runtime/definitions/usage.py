"""How many drafts and published versions use a dictionary entry or code (the dictionary's usage check).

The dictionary refuses to delete an entry or option while a usage check reports a use:

- an **entry** is used by every draft and version whose form binds it (``x-dictionary``);
- a **code** is used by every such draft and version whose documents name the code
  explicitly: a literal in a form rule (``x-visible-if``/``x-required-if``/``x-compute``)
  or a field default, a flow condition or a node config. Records that store a code are
  the records app's check. The literal test is conservative: a rule comparing an
  unrelated value that happens to equal the code also counts (deleting fails closed).

Candidates are narrowed in the database by the entry key appearing in the form's JSON
text, then confirmed in Python; only ``form``/``flow`` of the candidates are read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast

from runtime.definitions.documents import form_properties
from runtime.definitions.models import AppDraft, AppVersion

_RULE_KEYWORDS = ("x-visible-if", "x-required-if", "x-compute", "default")


def dictionary_usage(entry_key: str, code: str | None = None) -> int:
    """Drafts plus versions using ``entry_key`` (``code`` None) or naming ``code`` of it."""
    return sum(1 for _ in _uses(entry_key, code))


def dictionary_usage_details(entry_key: str, code: str | None = None, *, limit: int = 100) -> list[dict[str, Any]]:
    """Which apps use it: ``{"app", "app_name", "version" (None: the draft), "fields"}``, newest first."""
    found: list[dict[str, Any]] = []
    for row in _uses(entry_key, code, details=True):
        found.append(row)
        if len(found) >= limit:
            break
    return found


def _uses(entry_key: str, code: str | None, *, details: bool = False) -> Iterator[dict[str, Any]]:
    for model in (AppDraft, AppVersion):
        columns = ["form", "flow"] + (["app__key", "app__name"] if details else [])
        if details and model is AppVersion:
            columns.append("number")
        rows = (
            model.objects.annotate(form_text=Cast("form", TextField()))
            .filter(form_text__contains=entry_key)
            .order_by("app__key", *(["-number"] if model is AppVersion else []))
            .values_list(*columns)
        )
        for form, flow, *rest in rows.iterator(chunk_size=200):
            fields = _bound_fields(form, entry_key)
            if not fields:
                continue
            if code is not None and code not in set(_literals_in_rules(form, flow)):
                continue
            if not details:
                yield {}
                continue
            yield {"app": rest[0], "app_name": rest[1], "version": rest[2] if len(rest) > 2 else None, "fields": fields}


def _bound_fields(form: Any, entry_key: str) -> list[str]:
    return [key for key, prop, _ in form_properties(form) if prop.get("x-dictionary") == entry_key]


def _literals_in_rules(form: Any, flow: Any) -> Iterator[str]:
    for _, prop, _ in form_properties(form):
        for keyword in _RULE_KEYWORDS:
            if keyword in prop:
                yield from _strings(prop[keyword])
    if isinstance(flow, Mapping):
        for edge in flow.get("edges") or []:
            if isinstance(edge, Mapping):
                yield from _strings(edge.get("condition"))
        for node in flow.get("nodes") or []:
            if isinstance(node, Mapping):
                yield from _strings(node.get("config"))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def register() -> bool:
    """Register :func:`dictionary_usage` with the dictionary app if it offers a registry (idempotent)."""
    try:
        from platform_core.dictionary.registries import usage_checks
    except ImportError:
        usage_checks = None
    if usage_checks is not None:
        usage_checks.register("definitions", dictionary_usage, details=dictionary_usage_details)
        return True
    try:
        from platform_core.dictionary import services
    except ImportError:
        return False
    register_usage = getattr(services, "register_usage", None)
    if register_usage is None:
        return False
    register_usage(dictionary_usage)
    return True
