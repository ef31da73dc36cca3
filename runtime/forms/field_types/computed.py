"""Computed fields: read-only values the server computes with ``x-compute`` (JSON-logic)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from runtime.forms import limits
from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import MISSING, ExportContext, FieldType, is_number
from runtime.forms.field_types.number import CURRENCY_SYMBOLS, number_format
from runtime.forms.formats import parse_date

_TYPES = ("number", "integer", "string", "boolean")


class ComputedFieldType(FieldType):
    """E.g. days between two dates, or the sum of a sub-table column; the client's value is ignored."""

    type = "computed"
    value_kind = "number"
    label = {"zh": "计算字段", "en": "Calculated"}
    keywords = frozenset({"type", "x-compute", "x-precision", "x-unit", "x-currency", "format"})
    required_keywords = ("type", "x-compute")
    accepts_required_if = False
    accepts_default = False

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """Always read-only."""
        return {"readOnly": True}

    def default_keywords(self) -> dict[str, Any]:
        """A number computed by a placeholder rule the admin replaces."""
        return {"type": "number", "x-compute": 0, "x-precision": 2}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """A JSON type, formats only for strings, precision 0..6, currency ISO."""
        issues = []
        kind = prop.get("type")
        if "type" in prop and kind not in _TYPES:
            issues.append(self._invalid(path, pointer, "type", "use number, integer, string or boolean"))
        if "format" in prop and (kind != "string" or prop["format"] not in ["date", "date-time"]):
            issues.append(self._invalid(path, pointer, "format", 'use "date" or "date-time" on a string'))
        places = prop.get("x-precision")
        if "x-precision" in prop and (
            not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 6
        ):
            issues.append(self._invalid(path, pointer, "x-precision", "use a whole number from 0 to 6"))
        if "x-currency" in prop and not (
            isinstance(prop["x-currency"], str) and len(prop["x-currency"]) == 3
        ):
            issues.append(self._invalid(path, pointer, "x-currency", "use an ISO 4217 code such as CNY"))
        return issues

    def value_kind_for(self, prop: Mapping[str, Any]) -> str:
        """From the declared JSON type and format."""
        kind = prop.get("type")
        if kind in ("number", "integer"):
            return "number"
        if kind == "boolean":
            return "boolean"
        return {"date": "date", "date-time": "datetime"}.get(prop.get("format", ""), "string")

    def report_role_for(self, prop: Mapping[str, Any]) -> str:
        """Numbers are measures, dates dimensions."""
        kind = self.value_kind_for(prop)
        return {"number": "measure", "date": "dimension", "datetime": "dimension"}.get(kind, "none")

    def places(self, prop: Mapping[str, Any]) -> int | None:
        """Decimal places the result is rounded to."""
        places = prop.get("x-precision")
        if isinstance(places, int) and not isinstance(places, bool):
            return places
        # An integer result is not rounded silently: 3.5 for an integer field is a wrong rule.
        return 2 if "x-currency" in prop and prop.get("type") != "integer" else None

    def coerce_result(self, value: Any, prop: Mapping[str, Any]) -> tuple[Any, bool]:
        """Return ``(value to store, ok)``: numbers rounded, None/absent as MISSING, wrong kinds not ok."""
        if value is None or value is MISSING:
            return MISSING, True
        kind = prop.get("type")
        if kind in ("number", "integer"):
            if not is_number(value) or not math.isfinite(value) or abs(value) > limits.MAX_NUMBER:
                return MISSING, False
            places = self.places(prop)
            if places is not None:
                value = round(value, places)
            if kind == "integer" or places == 0:
                if float(value).is_integer():
                    return int(value), True
                return MISSING, False
            return value, True
        if kind == "boolean":
            return (value, True) if isinstance(value, bool) else (MISSING, False)
        return (value, True) if isinstance(value, str) else (MISSING, False)

    def excel_number_format_for(self, prop: Mapping[str, Any]) -> str:
        """Currency, fixed decimals or a date format."""
        kind = self.value_kind_for(prop)
        if kind == "date":
            return "yyyy-mm-dd"
        if kind != "number":
            return "General"
        currency = prop.get("x-currency")
        prefix = CURRENCY_SYMBOLS.get(currency, str(currency) + " ") if isinstance(currency, str) else ""
        return number_format(self.places(prop), prefix)

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Numbers and booleans as they are, dates as dates."""
        if isinstance(value, str) and ctx.field.schema.get("format") == "date":
            return parse_date(value)
        return super().to_export_value(value, ctx)
