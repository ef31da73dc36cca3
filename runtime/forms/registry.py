"""The field-type registry (a module-level singleton filled with the built-in types on import).

The registry lives in pure Python so the engine, the verifier and tests can use it
without Django; the Django app only imports this module in ``AppConfig.ready()``.
"""

from __future__ import annotations

from platform_core.registry import Registry
from runtime.forms.field_types import BUILTIN_FIELD_TYPES, FieldType

field_type_registry: Registry[FieldType] = Registry("field")

for _cls in BUILTIN_FIELD_TYPES:
    field_type_registry.register(_cls())


def palette() -> list[dict[str, object]]:
    """Return the designer palette: each type with its label and default property."""
    return [
        {"type": ft.type, "label": dict(ft.label), "value_kind": ft.value_kind, **ft.default_property(),
         "capabilities": capabilities(ft)}
        for ft in field_type_registry
    ]


def capabilities(ft: object) -> dict[str, object]:
    """What the designer may offer for a type: its keywords and which rules/defaults it takes."""
    return {
        "keywords": sorted(getattr(ft, "keywords", ())),
        "required_keywords": list(getattr(ft, "required_keywords", ())),
        "column_allowed": bool(getattr(ft, "column_allowed", True)),
        "has_value": bool(getattr(ft, "has_value", True)),
        "accepts_required_if": bool(getattr(ft, "accepts_required_if", True)),
        "accepts_default": bool(getattr(ft, "accepts_default", True)),
        "report_role": getattr(ft, "report_role", "none"),
        "max_length_cap": getattr(ft, "max_length_cap", None),
        "max_items_cap": getattr(ft, "max_items_cap", None),
    }
