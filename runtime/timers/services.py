"""Timers in the database: storing the engine's ScheduleTimer/CancelTimers effects, and firing them.

Storing (:func:`timers_store`) runs inside every engine step's transaction (``instances.services
._persist``), so it uses prepared statements (``platform_core.fastsql``): one INSERT for the
step's new timers, one UPDATE for its cancelled tasks' timers and one for cancelled tokens'.

Firing (:func:`timers_fire`) is safe to run from several processes at once:

1. **claim** (short transaction): due pending timers are selected (``FOR UPDATE SKIP LOCKED``
   on PostgreSQL; SQLite's write transaction serialises) and each is taken by a
   compare-and-set UPDATE that bumps ``claims`` and sets a lease (``claimed_until``).
2. **fire** (one transaction per timer): lock the instance row first (the lock order of every
   step: instance, then timers), check that this worker still holds the latest claim
   (``claims`` is the fence), run ``Timeout``/``DelayElapsed`` through
   ``instance_system_command`` with request id ``timer:<pk>:<attempt>`` and mark the timer
   ``fired``. An engine refusal (the task or token is no longer open) marks it ``obsolete``.

A worker killed mid-run leaves its claimed timers pending; they are claimed again once the
lease has run out and fire then. A timer fires at most once: the fence and the firing are in
one transaction, and the request id's receipt would turn a second step into a replay.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import PlatformError
from platform_core.fastsql import Table
from platform_core.org.permissions import ORG_MANAGE, require_permission
from platform_core.org.revision import bump_org_revision
from runtime import engine
from runtime.timers.exceptions import CalendarDayDoesNotExist, CalendarDayInvalid, WorkingHoursInvalid
from runtime.timers.models import CalendarDay, CalendarDayKind, Timer, TimerStatus, WorkingHours
from runtime.workcalendar import WorkCalendar

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 300
RETRY_AFTER = timedelta(minutes=1)  # an unexpected failure is tried again after this (lease released)
# Refusals meaning "this task/token is no longer open": the timer is obsolete, not an error.
OBSOLETE_CODES = frozenset({"task_not_active", "task_already_completed", "invalid_transition"})
ACTIONS = {"remind": "remind", "escalate": "escalate", "auto_transfer": "auto_transfer", "overdue": "overdue"}


def lease() -> timedelta:
    """How long a claimed timer stays with its worker (``settings.TIMER_LEASE_SECONDS``)."""
    return timedelta(seconds=int(getattr(settings, "TIMER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))


# --- storing (hot path: every engine step) ------------------------------------------------------

_timers = Table(Timer)
_INSERT_COLUMNS = ("instance_id", "task_id", "node_id", "token_id", "kind", "due_at", "config", "status", "attempt",
                   "claims", "created_at")
_cancel_sql: dict[tuple[str, int], str] = {}


def _parse(value: str, now: datetime) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return now
    return parsed if parsed.tzinfo is not None else timezone.make_aware(parsed)


def _cancel(instance_id: int, column: str, keys: Sequence[str]) -> None:
    """One UPDATE: the pending timers of these tasks (or tokens) of the instance are cancelled."""
    key = (column, len(keys))
    sql = _cancel_sql.get(key)
    if sql is None:
        marks = ", ".join(["%s"] * len(keys))
        q = connection.ops.quote_name
        sql = _cancel_sql[key] = (
            f"UPDATE {_timers.quoted} SET {q('status')} = %s WHERE {q('instance_id')} = %s "
            f"AND {q('status')} = %s AND {q(column)} IN ({marks})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [TimerStatus.CANCELLED.value, int(instance_id), TimerStatus.PENDING.value, *keys])


def _may_have_timers(flow: Any, state: Any, task_id: str) -> bool:
    """False only when the task certainly has no stored timers (so its cancel needs no statement)."""
    if flow is None or state is None:
        return True
    task = state.task(task_id)
    if task is None or not flow.has_node(task.node_id):
        return True
    if task.kind != "normal":
        return False  # the engine plans timers for regular tasks only
    config = flow.node(task.node_id).config or {}
    return bool(config.get("timers") or config.get("deadline"))


def timers_store(instance_id: int, effects: Iterable[Any], now: datetime, *, flow: Any = None,
                 state: Any = None) -> None:
    """Write a step's ScheduleTimer effects as Timer rows and apply its CancelTimers (caller's transaction).

    ``flow``/``state`` (the step's flow and resulting state), when given, let cancels of tasks
    that never had timers (nodes without ``timers``, added signers) skip their UPDATE.
    """
    rows: list[tuple[Any, ...]] = []
    tasks: list[str] = []
    tokens: list[str] = []
    for effect in effects:
        if effect.type == "schedule_timer":
            config = dict(effect.config or {})
            rows.append((int(instance_id), effect.task_id or "", effect.node_id or "", effect.token_id or "",
                         effect.kind, _parse(effect.due_at, now), config, TimerStatus.PENDING.value,
                         int(config.get("attempt") or 1), 0, now))
        elif effect.type == "cancel_timers":
            if effect.task_id:
                if effect.task_id not in tasks and _may_have_timers(flow, state, effect.task_id):
                    tasks.append(effect.task_id)
            elif effect.token_id and effect.token_id not in tokens:
                tokens.append(effect.token_id)
    # Cancels first: a step that cancels a task and creates new ones (return to a node) only
    # schedules timers of new task ids, so the order does not matter for correctness.
    if tasks:
        _cancel(instance_id, "task_id", tasks)
    if tokens:
        _cancel(instance_id, "token_id", tokens)
    _timers.insert(_INSERT_COLUMNS, rows)


# --- firing -----------------------------------------------------------------------------------------

@dataclass
class FireCounts:
    """What one :func:`timers_fire` run did."""

    claimed: int = 0
    fired: int = 0
    obsolete: int = 0
    failed: int = 0  # an unexpected error: the timer stays pending and is tried again later
    lost: int = 0  # cancelled meanwhile, or another worker took it over after this one's lease

    def as_dict(self) -> dict[str, int]:
        """Return the counts as a plain dict."""
        return asdict(self)


def timers_fire(*, limit: int = 500, now: datetime | None = None) -> FireCounts:
    """Fire up to ``limit`` due timers, each in its own transaction; safe to run concurrently.

    Call it outside any transaction (each timer commits on its own).
    """
    from runtime.instances.outbox import _locked_retry

    now = now or timezone.now()
    counts = FireCounts()
    claimed = _locked_retry(lambda: _claim(limit, now))
    counts.claimed = len(claimed)
    for timer in claimed:
        outcome = _locked_retry(lambda t=timer: _fire(t, now))  # type: ignore[misc]
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def _claim(limit: int, now: datetime) -> list[Timer]:
    with transaction.atomic():
        due = (Timer.objects.filter(status=TimerStatus.PENDING, due_at__lte=now)
               .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
               .order_by("due_at", "id"))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        until = now + lease()
        claimed: list[Timer] = []
        for timer in due[:limit]:
            # Compare-and-set on claims: correct even where the SELECT took no row lock.
            if Timer.objects.filter(pk=timer.pk, status=TimerStatus.PENDING, claims=timer.claims).update(
                    claims=F("claims") + 1, claimed_until=until):
                timer.claims += 1
                timer.claimed_until = until
                claimed.append(timer)
        return claimed


def _command(timer: Timer) -> engine.Command:
    config = dict(timer.config or {})
    if timer.kind == "delay":
        return engine.DelayElapsed(actor=engine.SYSTEM, node_id=timer.node_id, token=timer.token_id)
    action = ACTIONS.get(timer.kind) or str(config.get("action") or "notify_admin")
    return engine.Timeout(actor=engine.SYSTEM, task_id=timer.task_id, action=action, timer=config)


def _fire(timer: Timer, now: datetime) -> str:
    """Fire one claimed timer in one transaction: engine step and status change together."""
    from runtime.instances import services
    from runtime.instances.models import Instance

    fence = Timer.objects.filter(pk=timer.pk, status=TimerStatus.PENDING, claims=timer.claims)
    with transaction.atomic():
        # Instance first, then the timer: the lock order of every step (which cancels timers).
        if not Instance.objects.select_for_update().filter(pk=timer.instance_id).exists():
            return "lost"
        if not fence.exists():
            return "lost"  # cancelled by a step, or claimed again by another worker
        try:
            with transaction.atomic():
                services.instance_system_command(instance_id=timer.instance_id, command=_command(timer),
                                                 request_id=f"timer:{timer.pk}:{timer.attempt}")
        except PlatformError as exc:
            if exc.code not in OBSOLETE_CODES:
                logger.warning("timer %s (%s) was refused: %s", timer.pk, timer.kind, exc.code)
            error = {"code": exc.code, "message": exc.formatted(), "at": now.isoformat()}
            fence.update(status=TimerStatus.OBSOLETE, fired_at=timezone.now(), claimed_until=None, last_error=error)
            return "obsolete"
        except Exception as exc:  # noqa: BLE001 - automated steps never fail silently (STYLE 11)
            logger.exception("timer %s (%s) failed unexpectedly", timer.pk, timer.kind)
            error = {"code": "timer_failed", "message": type(exc).__name__, "at": now.isoformat()}
            fence.update(claimed_until=now + RETRY_AFTER, last_error=error)
            return "failed"
        fence.update(status=TimerStatus.FIRED, fired_at=timezone.now(), claimed_until=None)
        return "fired"


# --- the company working calendar ----------------------------------------------------------------------

DEFAULT_WORK_START = time(9, 0)
DEFAULT_WORK_END = time(18, 0)
CALENDAR_EXTRA = "work_calendar"  # key of the calendar in the org snapshot's extras
BACKUPS_EXTRA = "backups"


def calendar_load() -> WorkCalendar:
    """The company calendar from the database: statutory days, company overrides, working hours."""
    holidays, workdays = [], []
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDayKind.HOLIDAY else workdays).append(day)
    hours = WorkingHours.objects.filter(pk=1).first()
    return WorkCalendar(extra_holidays=holidays, extra_workdays=workdays,
                        work_start=hours.start if hours else DEFAULT_WORK_START,
                        work_end=hours.end if hours else DEFAULT_WORK_END,
                        zone=ZoneInfo(settings.TIME_ZONE))


def company_calendar(directory: Any = None) -> WorkCalendar:
    """The calendar for an engine step, cached with the org snapshot (calendar writes bump its revision)."""
    extras = getattr(directory, "extras", None)
    if extras is None:
        return calendar_load()
    found = extras.get(CALENDAR_EXTRA)
    if found is None:
        found = extras[CALENDAR_EXTRA] = calendar_load()
    return found


def backup_lookup(directory: Any = None) -> Any:
    """The engine's ``backup_for``: the user's backup (备选人), loaded once per org snapshot."""
    from platform_core.org.models import User

    cache: dict[str, dict[str, str]] = {}

    def backups() -> dict[str, str]:
        extras = getattr(directory, "extras", None)
        found = extras.get(BACKUPS_EXTRA) if extras is not None else cache.get("all")
        if found is None:
            found = {str(u): str(b) for u, b in User.objects.filter(backup__isnull=False)
                     .values_list("id", "backup_id")}
            if extras is not None:
                extras[BACKUPS_EXTRA] = found
            cache["all"] = found
        return found

    def backup_for(user_id: str, app: str | None) -> str | None:
        return backups().get(str(user_id))

    return backup_for


def _day_snapshot(day: CalendarDay) -> dict[str, Any]:
    return {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}


def _check_day(kind: Any, day: Any) -> tuple[date, str]:
    if kind not in CalendarDayKind.values:
        raise CalendarDayInvalid(details={"kind": f"one of {', '.join(CalendarDayKind.values)}"})
    if not isinstance(day, date):
        try:
            day = date.fromisoformat(str(day))
        except ValueError:
            raise CalendarDayInvalid(details={"date": "YYYY-MM-DD"}) from None
    return day, str(kind)


def calendar_day_create(*, actor: Any, date: Any, kind: str, name: str = "",
                        meta: RequestMeta | None = None) -> CalendarDay:
    """Add a company holiday or working day (``org.manage``); audited; engine steps see it at once."""
    require_permission(actor, ORG_MANAGE)
    day_value, kind = _check_day(kind, date)
    with transaction.atomic():
        if CalendarDay.objects.filter(date=day_value).exists():
            raise CalendarDayInvalid(params={}, details={"date": "this date already has an entry"})
        day = CalendarDay.objects.create(date=day_value, kind=kind, name=(name or "")[:100])
        bump_org_revision()
        audit_record(actor=actor, action="calendar.day_create", target_type="calendar_day", target_id=day.pk,
                     target_label=day.date.isoformat(), after=_day_snapshot(day), meta=meta)
    return day


def calendar_day_update(*, actor: Any, day_id: Any, meta: RequestMeta | None = None, **changes: Any) -> CalendarDay:
    """Change a company calendar day (date, kind, name)."""
    require_permission(actor, ORG_MANAGE)
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(pk=_int(day_id)).first()
        if day is None:
            raise CalendarDayDoesNotExist()
        before = _day_snapshot(day)
        new_date, kind = _check_day(changes.get("kind", day.kind), changes.get("date", day.date))
        if new_date != day.date and CalendarDay.objects.filter(date=new_date).exists():
            raise CalendarDayInvalid(details={"date": "this date already has an entry"})
        day.date, day.kind = new_date, kind
        if "name" in changes:
            day.name = str(changes["name"] or "")[:100]
        day.save()
        bump_org_revision()
        audit_record(actor=actor, action="calendar.day_update", target_type="calendar_day", target_id=day.pk,
                     target_label=day.date.isoformat(), before=before, after=_day_snapshot(day), meta=meta)
    return day


def calendar_day_delete(*, actor: Any, day_id: Any, meta: RequestMeta | None = None) -> None:
    """Remove a company calendar day (the statutory calendar applies to that date again)."""
    require_permission(actor, ORG_MANAGE)
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(pk=_int(day_id)).first()
        if day is None:
            raise CalendarDayDoesNotExist()
        before = _day_snapshot(day)
        day.delete()
        bump_org_revision()
        audit_record(actor=actor, action="calendar.day_delete", target_type="calendar_day", target_id=before["date"],
                     target_label=before["date"], before=before, meta=meta)


def working_hours_get() -> WorkingHours:
    """The company's working hours (the 09:00–18:00 default when never set; not saved)."""
    return WorkingHours.objects.filter(pk=1).first() or WorkingHours(pk=1, start=DEFAULT_WORK_START,
                                                                      end=DEFAULT_WORK_END)


def working_hours_set(*, actor: Any, start: time, end: time, meta: RequestMeta | None = None) -> WorkingHours:
    """Set the company's working hours (start before end)."""
    require_permission(actor, ORG_MANAGE)
    if not start < end:
        raise WorkingHoursInvalid()
    with transaction.atomic():
        current = working_hours_get()
        before = {"start": current.start.isoformat(), "end": current.end.isoformat()}
        hours, _ = WorkingHours.objects.update_or_create(pk=1, defaults={"start": start, "end": end})
        bump_org_revision()
        audit_record(actor=actor, action="calendar.working_hours", target_type="working_hours", target_id=1,
                     target_label="working hours", before=before,
                     after={"start": start.isoformat(), "end": end.isoformat()}, meta=meta)
    return hours


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CalendarDayDoesNotExist() from None


def calendar_for_rules(calendar: WorkCalendar, first_year: int, last_year: int) -> dict[str, Any]:
    """The calendar as the browser's rule engine takes it (designer_ui/src/lib/rules/calendar.ts).

    ``holidays``: weekdays that are days off; ``workdays``: weekend days that are worked
    (statutory adjustments and company overrides combined, company first); ``weekend``:
    Python weekday numbers. Years outside the range count as Monday–Friday, as on the server
    outside its statutory data.
    """
    holidays: list[str] = []
    workdays: list[str] = []
    day = date(first_year, 1, 1)
    end = date(last_year, 12, 31)
    while day <= end:
        working = calendar.is_workday(day)
        if day.weekday() < 5 and not working:
            holidays.append(day.isoformat())
        elif day.weekday() >= 5 and working:
            workdays.append(day.isoformat())
        day += timedelta(days=1)
    return {"holidays": holidays, "workdays": workdays, "weekend": [5, 6], "first_year": first_year,
            "last_year": last_year}
