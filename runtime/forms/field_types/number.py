"""Numeric fields: number and money."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from runtime.forms import limits
from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import (
    MISSING,
    ExportContext,
    FieldType,
    ValueContext,
    ValueIssue,
    is_number,
    value_issue,
)

_CURRENCY = re.compile(r"^[A-Z]{3}$")
CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "JPY": "¥", "GBP": "£"}


def decimal_places(value: int | float) -> int:
    """Return the number of decimal places of a JSON number as the user typed it."""
    if isinstance(value, int):
        return 0
    # repr() is the shortest text that round-trips, i.e. what the browser sent ("0.07").
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_number(value: Any, places: int | None) -> list[ValueIssue]:
    """Refuse non-finite, huge and over-precise numbers."""
    if not math.isfinite(value) or abs(value) > limits.MAX_NUMBER:
        return [value_issue("invalid_number")]
    if places is not None and decimal_places(value) > places:
        return [value_issue("invalid_precision", places=places)]
    return []


def number_format(places: int | None, prefix: str = "") -> str:
    """Return an Excel number format with ``places`` decimals (thousands separated)."""
    if places is None:
        return "General"
    fmt = "#,##0" + ("." + "0" * places if places else "")
    return f'"{prefix}"{fmt}' if prefix else fmt


class NumberFieldType(FieldType):
    """A number with optional bounds, unit and decimal places (``x-precision``)."""

    type = "number"
    value_kind = "number"
    label = {"zh": "数字", "en": "Number"}
    report_role = "measure"
    keywords = frozenset(
        {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "x-precision", "x-unit"}
    )

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """Numbers are JSON numbers."""
        return {"type": "number"}

    def default_ui(self) -> dict[str, Any]:
        """A placeholder in both languages."""
        return {"placeholder": {"zh": "请输入数字", "en": "Enter a number"}}

    def places(self, prop: Mapping[str, Any]) -> int | None:
        """Decimal places allowed (None: any)."""
        places = prop.get("x-precision")
        return places if isinstance(places, int) and not isinstance(places, bool) else None

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``x-precision`` is 0..6 and ``x-unit`` a short text."""
        issues = []
        if "x-precision" in prop:
            places = prop["x-precision"]
            if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 6:
                issues.append(self._invalid(path, pointer, "x-precision", "use a whole number from 0 to 6"))
        if "x-unit" in prop and not isinstance(prop["x-unit"], (str, Mapping)):
            issues.append(self._invalid(path, pointer, "x-unit", "use a text"))
        return issues

    def quick_value_check(self, prop: Mapping[str, Any]) -> Callable[[Any], bool] | None:
        """Ints within the cap, or floats that round to themselves at the allowed places."""
        places = self.places(prop)
        cap = limits.MAX_NUMBER

        def quick(v: Any) -> bool:
            t = type(v)
            if t is int:
                return -cap <= v <= cap
            # round(v, p) == v exactly when repr(v) has at most p decimals (for |v| <= 1e15).
            return t is float and -cap <= v <= cap and (places is None or round(v, places) == v)

        return quick

    def validate_value(self, value: Any, ctx: ValueContext) -> list[ValueIssue]:
        """Finite, within the global cap and with at most ``x-precision`` decimals."""
        return check_number(value, self.places(ctx.prop))

    def excel_number_format_for(self, prop: Mapping[str, Any]) -> str:
        """Thousands separated with the field's decimal places."""
        return number_format(self.places(prop))

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Numbers stay numbers."""
        return value if is_number(value) else None


class MoneyFieldType(NumberFieldType):
    """An amount of money in ``x-currency`` with at most 2 decimals (checked exactly, not with floats)."""

    type = "money"
    label = {"zh": "金额", "en": "Amount"}
    keywords = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "x-currency"})
    required_keywords = ("x-currency",)
    excel_number_format = '"¥"#,##0.00'

    def default_keywords(self) -> dict[str, Any]:
        """New amounts are in yuan and not negative."""
        return {"x-currency": "CNY", "minimum": 0}

    def default_ui(self) -> dict[str, Any]:
        """A placeholder in both languages."""
        return {"placeholder": {"zh": "请输入金额", "en": "Enter an amount"}}

    def places(self, prop: Mapping[str, Any]) -> int | None:
        """Money has 2 decimal places (jsonschema's float multipleOf 0.01 refuses 0.07)."""
        return 2

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``x-currency`` is an ISO 4217 code."""
        currency = prop.get("x-currency", MISSING)
        if currency is not MISSING and not (isinstance(currency, str) and _CURRENCY.match(currency)):
            return [self._invalid(path, pointer, "x-currency", "use an ISO 4217 code such as CNY")]
        return []

    def excel_number_format_for(self, prop: Mapping[str, Any]) -> str:
        """Currency symbol and 2 decimals."""
        currency = prop.get("x-currency", "CNY")
        return number_format(2, CURRENCY_SYMBOLS.get(str(currency), str(currency) + " "))

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Exact cents as a Decimal (openpyxl writes it as a number)."""
        return Decimal(repr(value)).quantize(Decimal("0.01")) if is_number(value) else None
