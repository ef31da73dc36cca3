"""WorkCalendar: statutory holidays and adjusted working days, overrides, working hours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from runtime.workcalendar import (
    DEFAULT_CALENDAR,
    STATUTORY_FIRST_YEAR,
    STATUTORY_LAST_YEAR,
    WorkCalendar,
)

CST = timezone(timedelta(hours=8))
cal = DEFAULT_CALENDAR


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        ("2025-09-26", True),  # Friday
        ("2025-09-27", False),  # Saturday
        ("2025-09-28", True),  # Sunday, adjusted working day before National Day
        ("2025-10-01", False),  # National Day
        ("2025-10-06", False),  # Mid-autumn inside the golden week
        ("2025-10-08", False),  # last day of the holiday (a Wednesday)
        ("2025-10-09", True),  # Thursday after the holiday
        ("2025-10-11", True),  # Saturday, adjusted working day
        ("2025-10-12", False),  # Sunday
        ("2026-02-14", True),  # Saturday, adjusted working day before Spring Festival 2026
        ("2026-02-16", False),  # Spring Festival (a Monday)
        ("2026-02-23", False),  # last day of Spring Festival 2026
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, adjusted working day after Spring Festival 2026
    ],
)
def test_statutory_days(day: str, workday: bool) -> None:
    assert cal.is_workday(d(day)) is workday
    assert cal.is_holiday(d(day)) is not workday


def test_datetimes_use_their_date() -> None:
    assert cal.is_workday(datetime(2025, 10, 1, 10, 0, tzinfo=CST)) is False


def test_years_without_data_fall_back_to_monday_to_friday() -> None:
    assert STATUTORY_FIRST_YEAR <= 2025 <= STATUTORY_LAST_YEAR
    later = STATUTORY_LAST_YEAR + 4  # 2030 with chinesecalendar 1.11
    jan = [date(later, 1, day) for day in range(1, 15)]
    assert [x for x in jan if cal.is_workday(x)] == [x for x in jan if x.weekday() < 5]
    before = date(STATUTORY_FIRST_YEAR - 1, 10, 1)
    assert cal.is_workday(before) is (before.weekday() < 5)


def test_add_working_days_across_a_weekend_and_national_day() -> None:
    assert cal.add_working_days(d("2025-09-26"), 1) == d("2025-09-28")  # Fri → adjusted Sunday
    assert cal.add_working_days(d("2025-09-30"), 1) == d("2025-10-09")  # over the whole holiday
    assert cal.add_working_days(d("2025-10-09"), 2) == d("2025-10-11")  # onto the adjusted Saturday
    assert cal.add_working_days(d("2025-10-10"), 2) == d("2025-10-13")  # over the Sunday
    assert cal.add_working_days(d("2025-10-09"), -1) == d("2025-09-30")
    assert cal.add_working_days(d("2025-10-04"), 0) == d("2025-10-04")


def test_add_working_days_keeps_time_and_offset() -> None:
    created = datetime(2025, 9, 30, 17, 45, tzinfo=CST)
    assert cal.add_working_days(created, 3) == datetime(2025, 10, 11, 17, 45, tzinfo=CST)


def test_add_working_days_over_spring_festival_2026() -> None:
    assert cal.add_working_days(d("2026-02-13"), 1) == d("2026-02-14")
    assert cal.add_working_days(d("2026-02-14"), 1) == d("2026-02-24")
    assert cal.add_working_days(d("2026-02-27"), 1) == d("2026-02-28")


def test_working_days_between_is_inclusive() -> None:
    assert cal.working_days_between(d("2025-09-27"), d("2025-10-12")) == 6
    assert cal.working_days_between(d("2025-10-01"), d("2025-10-08")) == 0
    assert cal.working_days_between(d("2025-10-09"), d("2025-10-09")) == 1
    assert cal.working_days_between(d("2026-02-13"), d("2026-02-28")) == 7
    assert cal.working_days_between(d("2025-10-10"), d("2025-10-09")) == 0


def test_company_overrides() -> None:
    company = WorkCalendar(extra_holidays=["2025-09-29", date(2025, 9, 30)], extra_workdays=["2025-10-04"])
    assert company.is_workday(d("2025-09-29")) is False
    assert company.is_workday(d("2025-10-04")) is True  # a statutory holiday made a working day
    assert company.add_working_days(d("2025-09-28"), 1) == d("2025-10-04")
    assert company.extra_holidays == {d("2025-09-29"), d("2025-09-30")}
    with pytest.raises(ValueError):
        WorkCalendar(extra_holidays=["2025-10-09"], extra_workdays=["2025-10-09"])


def test_statutory_data_can_be_switched_off() -> None:
    plain = WorkCalendar(statutory=False)
    assert plain.is_workday(d("2025-10-01")) is True  # a Wednesday
    assert plain.is_workday(d("2025-10-11")) is False  # a Saturday


def test_next_workday() -> None:
    assert cal.next_workday(d("2025-10-01")) == d("2025-10-09")
    assert cal.next_workday(d("2025-10-09")) == d("2025-10-09")


def test_add_working_hours_within_a_day_and_across_the_holiday() -> None:
    start = datetime(2025, 9, 30, 16, 0, tzinfo=CST)
    assert cal.add_working_hours(start, 1) == datetime(2025, 9, 30, 17, 0, tzinfo=CST)
    assert cal.add_working_hours(start, 2) == datetime(2025, 9, 30, 18, 0, tzinfo=CST)  # stays at closing
    assert cal.add_working_hours(start, 3) == datetime(2025, 10, 9, 10, 0, tzinfo=CST)
    assert cal.add_working_hours(start, 0) == start


def test_add_working_hours_starts_at_opening_time() -> None:
    early = datetime(2025, 10, 9, 7, 30)
    assert cal.add_working_hours(early, 24) == datetime(2025, 10, 11, 15, 0)  # 9 + 9 + 6 hours
    night = datetime(2025, 10, 10, 22, 0)
    assert cal.add_working_hours(night, 1.5) == datetime(2025, 10, 11, 10, 30)


def test_working_hours_are_configurable_and_validated() -> None:
    short = WorkCalendar(work_start=time(8, 30), work_end=time(12, 0))
    assert short.add_working_hours(datetime(2025, 10, 9, 11, 0), 2) == datetime(2025, 10, 10, 9, 30)
    with pytest.raises(ValueError):
        WorkCalendar(work_start=time(18), work_end=time(9))
    with pytest.raises(ValueError):
        cal.add_working_hours(datetime(2025, 10, 9, 9, 0), -1)
