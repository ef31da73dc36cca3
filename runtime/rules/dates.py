"""Dates in rules: ISO text in, ISO text out (pure Python).

Rules see dates as JSON text: ``"2025-10-01"`` (date) or ``"2025-10-01T09:30:00+08:00"``
(datetime, offset optional). Results are formatted canonically so that the server and
the browser produce the same text: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS`` plus
``Z``/``±HH:MM`` when the input had an offset; fractions of a second are dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from runtime.rules.errors import EvalFailure
from runtime.rules.values import arith_operand, json_type
from runtime.workcalendar import WorkCalendar

# China has one time zone and no daylight saving; used when the context has no "now".
CHINA_TZ = timezone(timedelta(hours=8))

# Bounds that keep one rule evaluation cheap (a loop per day in the work calendar).
MAX_WORKING_DAYS = 3660
MAX_CALENDAR_SPAN_DAYS = 36600

_TEMPORAL_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2})?)?\Z"
)


def _system_now() -> datetime:
    return datetime.now(CHINA_TZ)


# Replaced by tests that need a fixed clock; rules should pass "now" in the context.
clock: Callable[[], datetime] = _system_now


def parse_temporal(value: Any) -> date:
    """Parse ISO date/datetime text (or accept a date/datetime) or raise invalid_date."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise EvalFailure("invalid_date", type=json_type(value))
    return _parse_text(value)


# Dates are immutable and forms repeat the same few texts; failures are not cached.
@functools.lru_cache(maxsize=4096)
def _parse_text(value: str) -> date:
    m = _TEMPORAL_RE.match(value)
    if m is None:
        raise EvalFailure("invalid_date", type="string")
    year, month, day, hour, minute, second, fraction, offset = m.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        tz: tzinfo | None = None
        if offset in ("Z", "z"):
            tz = UTC
        elif offset is not None:
            sign = -1 if offset[0] == "-" else 1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            if minutes >= 60:
                raise ValueError(offset)
            tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=tz
        )
    except ValueError:
        raise EvalFailure("invalid_date", type="string") from None


def format_temporal(value: date) -> str:
    """Format a date or datetime canonically (no fractions; Z for a zero offset)."""
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if not isinstance(value, datetime):
        return text
    text += f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    offset = value.utcoffset()
    if offset is None:
        return text
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return text + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_date(value: date) -> date:
    """The calendar date of a date or datetime (a datetime's date in its own offset)."""
    return value.date() if isinstance(value, datetime) else value


def whole_number(value: Any) -> int:
    """An integral number (or numeric text) as int, else not_an_integer."""
    try:
        n = arith_operand(value)
    except EvalFailure:
        raise EvalFailure("not_an_integer", type=json_type(value)) from None
    if isinstance(n, float):
        raise EvalFailure("not_an_integer", type="number")
    return n


def date_add(value: Any, amount: Any, unit: Any) -> str:
    """Add whole days or hours; a date plus hours becomes a datetime at midnight plus hours."""
    if unit not in ("days", "hours"):
        raise EvalFailure("bad_unit", type=json_type(unit))
    start = parse_temporal(value)
    n = whole_number(amount)
    try:
        if unit == "days":
            return format_temporal(start + timedelta(days=n))
        if not isinstance(start, datetime):
            start = datetime(start.year, start.month, start.day)
        return format_temporal(start + timedelta(hours=n))
    except OverflowError:
        raise EvalFailure("number_out_of_range") from None


def _ordered_dates(start: Any, end: Any) -> tuple[date, date]:
    a, b = local_date(parse_temporal(start)), local_date(parse_temporal(end))
    if b < a:
        # A reversed range would count as 0 or negative days and silently take the
        # "short" branch of a condition; an error surfaces the wrong input instead.
        raise EvalFailure("date_order")
    if (b - a).days > MAX_CALENDAR_SPAN_DAYS:
        raise EvalFailure("number_out_of_range")
    return a, b


def days_between(start: Any, end: Any) -> int:
    """Calendar days from start to end counting both ends (same day → 1)."""
    a, b = _ordered_dates(start, end)
    return (b - a).days + 1


def working_days_between(calendar: WorkCalendar, start: Any, end: Any) -> int:
    """Working days from start to end counting both ends, per the work calendar."""
    a, b = _ordered_dates(start, end)
    return calendar.working_days_between(a, b)


def add_working_days(calendar: WorkCalendar, value: Any, amount: Any) -> str:
    """The n-th working day after (n > 0) or before (n < 0) value; time of day is kept."""
    start = parse_temporal(value)
    n = whole_number(amount)
    if abs(n) > MAX_WORKING_DAYS:
        raise EvalFailure("number_out_of_range")
    try:
        return format_temporal(calendar.add_working_days(start, n))
    except OverflowError:
        raise EvalFailure("number_out_of_range") from None


def context_now(root: Any) -> date:
    """The context's ``now`` when the top-level data has one, else the clock (UTC+8)."""
    if isinstance(root, dict):
        value = root.get("now")
        if value is not None:
            return parse_temporal(value)
    return clock()


def today(root: Any) -> str:
    """Today's date as ``YYYY-MM-DD`` (the date of the context's ``now``)."""
    return format_temporal(local_date(context_now(root)))


def now(root: Any) -> str:
    """The context's ``now`` (or the clock) formatted canonically."""
    return format_temporal(context_now(root))
