"""Errors of the timers app (codes are API contract)."""

from __future__ import annotations

from platform_core.errors import NotFound, ValidationFailed, gettext_noop


class CalendarDayDoesNotExist(NotFound):
    code = "calendar_day_not_found"
    message = gettext_noop("This calendar day does not exist.")


class CalendarDayInvalid(ValidationFailed):
    code = "calendar_day_invalid"
    message = gettext_noop("The calendar day is not valid: give a date (YYYY-MM-DD) and a kind, holiday or workday, "
                           "and use each date once.")


class WorkingHoursInvalid(ValidationFailed):
    code = "working_hours_invalid"
    message = gettext_noop("The working day must start before it ends.")
