"""Date fields: date, datetime and date range."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import ExportContext, FieldType, ValueContext, ValueIssue, value_issue
from runtime.forms.formats import parse_date, parse_datetime

DATE_SCHEMA = {"type": "string", "format": "date"}
DATETIME_SCHEMA = {"type": "string", "format": "date-time"}


class DateFieldType(FieldType):
    """A calendar day ``YYYY-MM-DD``."""

    type = "date"
    value_kind = "date"
    label = {"zh": "日期", "en": "Date"}
    report_role = "dimension"
    excel_number_format = "yyyy-mm-dd"

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """A string in ``date`` format."""
        return dict(DATE_SCHEMA)

    def default_ui(self) -> dict[str, Any]:
        """A date picker."""
        return {"widget": "date-picker"}

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """A ``datetime.date`` (Excel shows it with the date format)."""
        return parse_date(value) if isinstance(value, str) else None


class DateTimeFieldType(FieldType):
    """An instant: RFC 3339 date and time with a time zone."""

    type = "datetime"
    value_kind = "datetime"
    label = {"zh": "日期时间", "en": "Date and time"}
    report_role = "dimension"
    excel_number_format = "yyyy-mm-dd hh:mm"

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """A string in ``date-time`` format."""
        return dict(DATETIME_SCHEMA)

    def default_ui(self) -> dict[str, Any]:
        """A date-time picker."""
        return {"widget": "datetime-picker"}

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """A naive datetime in the export's time zone (Excel cannot store zones)."""
        if not isinstance(value, str):
            return None
        moment = parse_datetime(value)
        if ctx.timezone is not None:
            moment = moment.astimezone(ctx.timezone)
        return moment.replace(tzinfo=None)


class DateRangeFieldType(FieldType):
    """``{"start": date, "end": date}`` with start <= end and an optional ``x-max-days`` span."""

    type = "date_range"
    value_kind = "date_range"
    label = {"zh": "日期区间", "en": "Date range"}
    report_role = "dimension"
    excel_number_format = "@"
    keywords = frozenset({"x-max-days"})

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """An object of two dates, both required, nothing else."""
        return {
            "type": "object",
            "properties": {"start": dict(DATE_SCHEMA), "end": dict(DATE_SCHEMA)},
            "required": ["start", "end"],
            "additionalProperties": False,
        }

    def default_ui(self) -> dict[str, Any]:
        """A range picker."""
        return {"widget": "date-range-picker"}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``x-max-days`` is a positive whole number."""
        days = prop.get("x-max-days")
        if "x-max-days" in prop and (not isinstance(days, int) or isinstance(days, bool) or days < 1):
            return [self._invalid(path, pointer, "x-max-days", "use a whole number of 1 or more")]
        return []

    def quick_value_check(self, prop: Mapping[str, Any]) -> Callable[[Any], bool] | None:
        """ISO dates compare as text; a span limit needs the slow path."""
        if "x-max-days" in prop:
            return None

        def quick(v: Any) -> bool:
            return (
                type(v) is dict
                and type(v.get("start")) is str
                and type(v.get("end")) is str
                and v["start"] <= v["end"]
            )

        return quick

    def validate_value(self, value: Any, ctx: ValueContext) -> list[ValueIssue]:
        """The end is not before the start; the span (both days counted) is within x-max-days."""
        start, end = parse_date(value["start"]), parse_date(value["end"])
        if end < start:
            return [value_issue("date_range_order", "/end")]
        limit = ctx.prop.get("x-max-days")
        if isinstance(limit, int) and (end - start).days + 1 > limit:
            return [value_issue("date_range_too_long", "/end", limit=limit)]
        return []

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """``start ~ end`` as text."""
        if not isinstance(value, Mapping):
            return None
        return "{} ~ {}".format(value.get("start", ""), value.get("end", ""))
