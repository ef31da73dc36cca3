"""Task timers: their config schema, sanity checks and due-time planning (pure Python)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from runtime.flows.issues import Issue, make_issue
from runtime.flows.settings import DeadlineSpec, TimerSpec
from runtime.flows.spec import NodeSpec
from runtime.workcalendar import DEFAULT_CALENDAR, WorkCalendar

TIMER_KINDS = ("remind", "escalate", "auto_transfer", "timeout")
MAX_REMINDERS = 10  # more reminders than this are nagging, not reminding
TIMEOUT_ACTIONS = ("approve", "reject", "notify_admin")

_NUMBER = {"type": "number"}
_WAIT = {"after_hours": _NUMBER, "after_working_days": _NUMBER}


def _kind(kind: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "if": {"properties": {"kind": {"const": kind}}},
        "then": {
            "additionalProperties": False,
            "required": required,
            "properties": {"kind": {"const": kind}, **properties},
        },
    }


TIMER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["kind"],
    "properties": {"kind": {"enum": list(TIMER_KINDS)}},
    "allOf": [
        _kind(
            "remind",
            {"after_hours": _NUMBER, "repeat_hours": _NUMBER, "max": {"type": "integer"}},
            ["after_hours"],
        ),
        # "to" is "manager" (the approver's manager) or a role name.
        _kind("escalate", {**_WAIT, "to": {"type": "string", "minLength": 1}}, ["to"]),
        _kind("auto_transfer", {**_WAIT, "to": {"enum": ["backup", "manager"]}}, ["to"]),
        _kind("timeout", {**_WAIT, "action": {"enum": list(TIMEOUT_ACTIONS)}}, ["action"]),
    ],
}


# A task's deadline (截止时间) comes from a date field of the form; reminders count back from it.
DEADLINE_FIELD_KINDS = ("date", "datetime", "date_range")
DEADLINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["field"],
    "properties": {
        "field": {"type": "string", "minLength": 1, "maxLength": 64},
        "remind_before_hours": {"type": "number", "exclusiveMinimum": 0, "maximum": 24 * 365},
        # The planned start (计划开始) shown on the timeline; it changes nothing in the flow.
        "start_field": {"type": "string", "minLength": 1, "maxLength": 64},
    },
}


def deadline_at(value: Any, now: datetime, calendar: WorkCalendar | None = None) -> datetime | None:
    """The due time a deadline field's value means (None: empty or not a date).

    A date is due at the end of that working day (the calendar's ``work_end``, 18:00 by default)
    in the company's zone; a date range at the end of its last day; a datetime as written (a
    naive one in the company's zone).
    """
    calendar = calendar or DEFAULT_CALENDAR
    zone = calendar.zone or now.tzinfo
    if isinstance(value, Mapping):  # a date range: due when it ends
        value = value.get("end")
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), calendar.work_end, tzinfo=zone)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def plan_deadline(
    deadline: DeadlineSpec, value: Any, now: datetime, calendar: WorkCalendar | None = None
) -> tuple[datetime | None, list[dict[str, Any]]]:
    """Return a task's due time from its deadline field's value and the timers that go with it.

    The timers are a reminder ``remind_before_hours`` before the due time (only when that is
    still ahead) and an ``overdue`` notice at the due time.
    """
    due = deadline_at(value, now, calendar)
    if due is None:
        return None, []
    plans: list[dict[str, Any]] = []
    if deadline.remind_before_hours:
        remind = due - timedelta(hours=float(deadline.remind_before_hours))
        if remind > now:
            plans.append({"kind": "remind", "due": remind.isoformat(), "deadline": due.isoformat()})
    plans.append({"kind": "overdue", "due": due.isoformat(), "deadline": due.isoformat()})
    return due, plans


def check_timers(node: NodeSpec, timers: tuple[TimerSpec, ...]) -> list[Issue]:
    """Return issues for timers that could never behave sensibly (run after the schema check)."""
    issues: list[Issue] = []
    seen: set[str] = set()
    for index, timer in enumerate(timers):
        path = f"timers/{index}"
        if timer.kind in seen:
            issues.append(make_issue("timer_duplicate", node_id=node.id, node=node.label, kind=timer.kind))
        seen.add(timer.kind)
        for key in ("after_hours", "after_working_days", "repeat_hours"):
            value = getattr(timer, key)
            if value is not None and value <= 0:
                issues.append(
                    make_issue(
                        "timer_not_positive",
                        node_id=node.id,
                        node=node.label,
                        what=f"{path}/{key}",
                        value=value,
                        path=path,
                    )
                )
        if timer.kind != "remind" and (timer.after_hours is None) == (timer.after_working_days is None):
            issues.append(
                make_issue(
                    "node_config_invalid",
                    node_id=node.id,
                    node=node.label,
                    path=path,
                    detail="set exactly one of after_hours and after_working_days",
                )
            )
        if timer.kind == "remind" and timer.repeat_hours is not None:
            if timer.max is None or not 1 <= timer.max <= MAX_REMINDERS:
                issues.append(
                    make_issue(
                        "timer_reminder_cap",
                        node_id=node.id,
                        node=node.label,
                        cap=MAX_REMINDERS,
                        max=timer.max,
                    )
                )
    issues += _after_timeout(node, timers)
    return issues


def _after_timeout(node: NodeSpec, timers: tuple[TimerSpec, ...]) -> list[Issue]:
    # A working day lasts at least 24 hours of wall time, so "N working days" fires no
    # earlier than N*24 hours; only compare when the timeout's own time is exact.
    timeout = next((t for t in timers if t.kind == "timeout"), None)
    if timeout is None:
        return []
    issues = []
    for timer in timers:
        if timer is timeout:
            continue
        late = False
        if timeout.after_working_days is not None and timer.after_working_days is not None:
            late = timer.after_working_days >= timeout.after_working_days
        elif timeout.after_hours is not None:
            lower = (
                timer.after_hours if timer.after_hours is not None else (timer.after_working_days or 0) * 24
            )
            late = lower >= timeout.after_hours > 0
        if late:
            issues.append(
                make_issue("timer_after_timeout", node_id=node.id, node=node.label, kind=timer.kind)
            )
    return issues


def add_working_days(start: datetime, days: float, calendar: WorkCalendar | None = None) -> datetime:
    """Return ``start`` plus ``days`` working days (a fraction of a day counts as a whole day)."""
    # Timers are promises to people ("within 3 working days"), so a part day rounds up.
    return (calendar or DEFAULT_CALENDAR).add_working_days(start, math.ceil(days))


def plan_timers(
    timers: tuple[TimerSpec, ...], start: datetime, calendar: WorkCalendar | None = None
) -> Iterator[dict[str, Any]]:
    """Yield when each timer would fire for a task created at ``start``."""
    for timer in timers:
        plan: dict[str, Any] = {"kind": timer.kind}
        if timer.after_hours is not None:
            due = start + timedelta(hours=timer.after_hours)
            plan.update(after_hours=timer.after_hours, calendar="hours")
        elif timer.after_working_days is not None:
            due = add_working_days(start, timer.after_working_days, calendar)
            plan.update(after_working_days=timer.after_working_days, calendar="working_days")
        else:
            continue
        plan["due"] = due.isoformat()
        if timer.kind == "remind":
            count = min(timer.max or 1, MAX_REMINDERS) if timer.repeat_hours else 1
            plan["reminders"] = [
                (due + timedelta(hours=(timer.repeat_hours or 0) * i)).isoformat() for i in range(count)
            ]
        if timer.to is not None:
            plan["to"] = timer.to
        if timer.action is not None:
            plan["action"] = timer.action
        yield plan
