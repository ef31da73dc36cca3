"""The sub-table (明细表): an array of rows whose columns are fields of their own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.forms import limits
from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import ExportContext, FieldType, make_issue, pointer_join

_ITEMS_KEYWORDS = frozenset({"type", "properties", "required", "additionalProperties"})


class TableFieldType(FieldType):
    """Rows of ``items.properties`` columns; ``minItems``/``maxItems`` bound the row count."""

    type = "table"
    value_kind = "table"
    label = {"zh": "明细表", "en": "Sub-table"}
    excel_number_format = "0"
    # x-column-order: the columns' display order. JSON objects have no reliable key order
    # (PostgreSQL's jsonb sorts keys), so the order of items.properties alone is not kept.
    keywords = frozenset({"items", "minItems", "maxItems", "x-column-order"})
    required_keywords = ("items",)
    max_items_cap = limits.MAX_TABLE_ROWS
    column_allowed = False  # no tables inside tables: one level of nesting keeps rules and reports simple
    accepts_default = False

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """An array (of row objects, see ``items``)."""
        return {"type": "array"}

    def default_keywords(self) -> dict[str, Any]:
        """One text column and at most 50 rows."""
        return {
            "maxItems": 50,
            "items": {
                "type": "object",
                "properties": {
                    "name": {
                        "type": "string",
                        "x-type": "text",
                        "title": "名称",
                        "x-label": {"zh": "名称", "en": "Name"},
                        "maxLength": 100,
                    }
                },
                "required": [],
                "additionalProperties": False,
            },
            "x-column-order": ["name"],
        }

    def default_ui(self) -> dict[str, Any]:
        """Add-row button text (the column order is ``x-column-order``, else ``items.properties``)."""
        return {"add_label": {"zh": "添加一行", "en": "Add row"}}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``items`` is an object schema with column properties and no extra keys."""
        items = prop.get("items")
        if items is None:
            return []
        where = pointer_join(pointer, "items")
        if (
            not isinstance(items, Mapping)
            or not isinstance(items.get("properties"), Mapping)
            or not items["properties"]
        ):
            return [self._invalid(path, pointer, "items", "describe the columns in items.properties")]
        issues = []
        for keyword in items:
            if keyword not in _ITEMS_KEYWORDS:
                issues.append(self._invalid(path, where, keyword, "not allowed in a sub-table's items"))
        if items.get("type", "object") != "object":
            issues.append(self._invalid(path, where, "type", 'use "object"'))
        if items.get("additionalProperties", False) is not False:
            issues.append(self._invalid(path, where, "additionalProperties", "use false"))
        required = items.get("required", [])
        if not isinstance(required, list) or not all(isinstance(key, str) for key in required):
            issues.append(self._invalid(path, where, "required", "use a list of column keys"))
        order = prop.get("x-column-order")
        if order is not None and (
            not isinstance(order, list)
            or not all(isinstance(key, str) for key in order)
            or len(set(order)) != len(order)
            or set(order) != set(items["properties"])
        ):
            issues.append(self._invalid(path, pointer, "x-column-order", "list every column key once"))
        count = len(items["properties"])
        if count > limits.MAX_COLUMNS:
            issues.append(
                make_issue(
                    "too_many_columns",
                    {"count": count, "limit": limits.MAX_COLUMNS},
                    field=path,
                    pointer=pointer_join(where, "properties"),
                )
            )
        return issues

    @staticmethod
    def column_order(prop: Mapping[str, Any], keys: list[str]) -> list[str]:
        """``keys`` in display order: ``x-column-order`` first (when valid), the rest as given."""
        order = prop.get("x-column-order")
        if not isinstance(order, list):
            return keys
        ranked = [key for key in order if isinstance(key, str) and key in keys]
        return ranked + [key for key in keys if key not in ranked]

    def json_schema_with_columns(self, prop: Mapping[str, Any], columns: Mapping[str, Any]) -> dict[str, Any]:
        """Return the normalized fragment with the normalized column fragments."""
        schema = self.json_schema(prop)
        items = dict(prop.get("items") or {})
        items.update({"type": "object", "properties": dict(columns), "additionalProperties": False})
        items["required"] = [key for key in items.get("required", []) if key in columns]
        schema["items"] = items
        return schema

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """The row count (rows are exported on a sheet of their own)."""
        return len(value) if isinstance(value, list) else None
