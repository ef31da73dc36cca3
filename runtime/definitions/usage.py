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
    total = 0
    for model in (AppDraft, AppVersion):
        rows = (
            model.objects.annotate(form_text=Cast("form", TextField()))
            .filter(form_text__contains=entry_key)
            .values_list("form", "flow")
        )
        for form, flow in rows.iterator(chunk_size=200):
            if not _binds(form, entry_key):
                continue
            if code is None or code in set(_literals_in_rules(form, flow)):
                total += 1
    return total


def _binds(form: Any, entry_key: str) -> bool:
    return any(prop.get("x-dictionary") == entry_key for _, prop, _ in form_properties(form))


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
        usage_checks.register("definitions", dictionary_usage)
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
