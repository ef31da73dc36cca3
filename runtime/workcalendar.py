"""Working days and working hours (pure Python, no Django imports).

A :class:`WorkCalendar` knows China's statutory holidays and the adjusted working days
(调休, e.g. Sunday 2025-09-28 and Saturday 2025-10-11 around National Day) from the
``chinesecalendar`` package, plus company overrides: extra holidays, extra working
days and the working hours of a day. Years that package has no data for fall back to
Monday–Friday. Timers ("escalate after 3 working days") and the rule operators
``working_days_between`` / ``add_working_days`` use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TypeVar

from chinese_calendar import constants as _cn

# The package publishes whole years; outside them only weekends are known.
_CN_HOLIDAYS: frozenset[date] = frozenset(_cn.holidays)
_CN_WORKDAYS: frozenset[date] = frozenset(_cn.workdays)
STATUTORY_FIRST_YEAR: int = min(_cn.holidays).year
STATUTORY_LAST_YEAR: int = max(_cn.holidays).year

D = TypeVar("D", bound=date)


def _as_date(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


class WorkCalendar:
    """Chinese statutory calendar plus company overrides and working hours (immutable)."""

    __slots__ = ("_extra_holidays", "_extra_workdays", "_statutory", "work_end", "work_start", "zone")

    def __init__(
        self,
        *,
        extra_holidays: Iterable[date | str] = (),
        extra_workdays: Iterable[date | str] = (),
        work_start: time = time(9, 0),
        work_end: time = time(18, 0),
        statutory: bool = True,
        zone: tzinfo | None = None,
    ) -> None:
        holidays = frozenset(_as_date(d) for d in extra_holidays)
        workdays = frozenset(_as_date(d) for d in extra_workdays)
        if holidays & workdays:
            raise ValueError("a date cannot be both an extra holiday and an extra working day")
        if not work_start < work_end:
            raise ValueError("work_start must be before work_end")
        self._extra_holidays = holidays
        self._extra_workdays = workdays
        self._statutory = statutory
        self.work_start = work_start
        self.work_end = work_end
        # The company's time zone: an aware datetime is judged by its date there (a step's clock
        # is UTC, and 07:00 in Beijing is the previous day in UTC). None: as given.
        self.zone = zone

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_holidays={len(self._extra_holidays)}, "
            f"extra_workdays={len(self._extra_workdays)}, work_start={self.work_start}, "
            f"work_end={self.work_end}, statutory={self._statutory})"
        )

    @property
    def extra_holidays(self) -> frozenset[date]:
        """Company holidays added on top of the statutory ones."""
        return self._extra_holidays

    @property
    def extra_workdays(self) -> frozenset[date]:
        """Company working days (e.g. a Saturday) added on top of the statutory ones."""
        return self._extra_workdays

    def _local(self, moment: D) -> D:
        if self.zone is not None and isinstance(moment, datetime) and moment.tzinfo is not None:
            return moment.astimezone(self.zone)  # type: ignore[return-value]
        return moment

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` (a date or a datetime's date, in ``zone`` when set) is a working day."""
        if isinstance(day, datetime):
            day = self._local(day).date()
        # Company overrides win over the statutory calendar, which wins over weekends.
        if day in self._extra_workdays:
            return True
        if day in self._extra_holidays:
            return False
        if self._statutory and STATUTORY_FIRST_YEAR <= day.year <= STATUTORY_LAST_YEAR:
            if day in _CN_WORKDAYS:
                return True
            if day in _CN_HOLIDAYS:
                return False
        return day.weekday() < 5

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is a day off (weekend, statutory or company holiday)."""
        return not self.is_workday(day)

    def add_working_days(self, start: D, n: int) -> D:
        """The n-th working day after ``start`` (before it when n < 0); n == 0 returns start.

        ``start`` itself is never counted; a datetime keeps its time of day and offset.
        """
        step = timedelta(days=1 if n > 0 else -1)
        current = self._local(start)
        remaining = abs(n)
        while remaining:
            current = current + step  # type: ignore[assignment]
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from ``start`` to ``end``, both included; 0 when end < start."""
        a, b = _as_date(start), _as_date(end)
        count = 0
        day = a
        one = timedelta(days=1)
        while day <= b:
            if self.is_workday(day):
                count += 1
            day += one
        return count

    def next_workday(self, day: D) -> D:
        """``day`` itself when it is a working day, else the next working day (time kept)."""
        current = self._local(day)
        while not self.is_workday(current):
            current = current + timedelta(days=1)  # type: ignore[assignment]
        return current

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` of working time after ``start`` (working hours of working days).

        Time before the day's start or after its end does not count; a result that falls
        exactly on the end of a working day stays there rather than moving to the next day.
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = timedelta(hours=hours)
        current = self._local(start)
        if not remaining:
            return current
        while True:
            if self.is_workday(current):
                opens = datetime.combine(current.date(), self.work_start, tzinfo=current.tzinfo)
                closes = datetime.combine(current.date(), self.work_end, tzinfo=current.tzinfo)
                if current < opens:
                    current = opens
                if current < closes:
                    available = closes - current
                    if remaining <= available:
                        return current + remaining
                    remaining -= available
            current = datetime.combine(current.date() + timedelta(days=1), time(0), tzinfo=current.tzinfo)


# The calendar used when a caller passes none: statutory days, 09:00–18:00.
DEFAULT_CALENDAR = WorkCalendar()
