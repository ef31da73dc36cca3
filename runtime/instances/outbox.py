"""Outbox delivery: connector calls, child requests of subprocess nodes, and the children's answers.

Every engine step stores its effects as :class:`~runtime.instances.models.Outbox` rows in
the step's own transaction (``services._persist``). :func:`outbox_deliver` carries out the
due rows of the kinds in ``HANDLERS`` and feeds the answers back into the engine as system
commands; the kinds it does not handle (``notify``, ``schedule_timer``, ``cancel_timers``)
stay pending and untouched for their own deliverer.

Delivery is at least once towards outside systems and exactly once towards the engine:

1. **claim** (short transaction): due rows are selected (``FOR UPDATE SKIP LOCKED`` where
   the database has it) and each is taken with a compare-and-set ``UPDATE`` that bumps
   ``attempts`` and sets a lease (``claimed_until``). Two workers never hold one row; a
   crashed worker's row is taken again once its lease has run out.
2. **call** (no transaction): the connector's network I/O happens outside any transaction,
   so no lock is held while a remote system thinks.
3. **record** (one transaction): only the holder of the latest attempt may record
   (``attempts`` is the fence); success marks the row done and runs the engine command with
   request id ``outbox:<row id>`` in the same transaction, so a redelivered answer is a
   stored receipt, not a second step. A retryable failure waits with exponential backoff;
   a final one marks the row failed and gives the engine the error (the instance then
   stops in its error state, where an admin can retry the node).

Lock order is outbox row, then instance row (``instance_system_command`` locks it); steps
that hold an instance lock only insert outbox rows, so the two orders cannot deadlock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from connectors.exceptions import ConnectorError
from connectors.services import connector_call
from platform_core.errors import PlatformError, gettext_noop
from runtime import engine
from runtime.instances.models import Instance, InstanceStatus, Outbox, OutboxStatus
from runtime.notifications.delivery import deliver_notify_row

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # longer than any connector call (connectors.connector_types.http.MAX_TIMEOUT)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
DEFAULT_MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min between tries: about an hour of patience
SUBPROCESS_COMPLETED = "subprocess_completed"
# Keys added to a child's data in SubprocessCompleted: "$" cannot start a form field key, so a
# subprocess node may map {"child_outcome": "$outcome"} without clashing with a child field.
OUTCOME_KEY = "$outcome"
CHILD_ID_KEY = "$instance_id"

T = TypeVar("T")


class DeliveryFailed(PlatformError):
    """Something unexpected went wrong while delivering (a bug or a database hiccup): tried again."""

    code = "delivery_failed"
    message = gettext_noop("The automatic step could not be carried out (%(reason)s).")
    retryable = True


class SubprocessParentEnded(PlatformError):
    code = "subprocess_parent_ended"
    message = gettext_noop("The parent request has already ended; the sub-request was not started.")
    retryable = False


@dataclass
class DeliveryCounts:
    """What one :func:`outbox_deliver` run did."""

    claimed: int = 0
    done: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0  # another worker took the row over after this one's lease ran out

    def as_dict(self) -> dict[str, int]:
        """Return the counts as a plain dict."""
        return asdict(self)


def max_attempts() -> int:
    """Attempts before a retryable failure becomes final (``settings.OUTBOX_MAX_ATTEMPTS``)."""
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """The wait after failed attempt number ``attempts`` (1-based): doubling, capped, at least Retry-After."""
    delay = min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)
    if retry_after:
        delay = max(delay, min(timedelta(seconds=retry_after), BACKOFF_CAP))
    return delay


# --- the deliverer ----------------------------------------------------------------------------------

def outbox_deliver(*, limit: int = 100, now: datetime | None = None) -> DeliveryCounts:
    """Deliver up to ``limit`` due rows of the handled kinds; return what happened.

    Safe to run from several processes at once (each row is delivered by one of them).
    Call it outside any transaction: connector calls must not hold locks.
    """
    now = now or timezone.now()
    counts = DeliveryCounts()
    rows = _locked_retry(lambda: _claim(limit, now))
    counts.claimed = len(rows)
    for row in rows:
        outcome = _deliver(row, now)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def _claim(limit: int, now: datetime) -> list[Outbox]:
    with transaction.atomic():
        due = (
            Outbox.objects.filter(status=OutboxStatus.PENDING, kind__in=tuple(HANDLERS))
            .filter(Q(available_at__isnull=True) | Q(available_at__lte=now))
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .order_by("available_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        claimed: list[Outbox] = []
        for row in due[:limit]:
            # Compare-and-set on attempts: correct even where the SELECT took no row lock
            # (SQLite serialises writers instead; PostgreSQL re-checks the WHERE after a wait).
            taken = Outbox.objects.filter(pk=row.pk, status=OutboxStatus.PENDING, attempts=row.attempts).update(
                attempts=F("attempts") + 1, claimed_until=now + LEASE)
            if taken:
                row.attempts += 1
                row.claimed_until = now + LEASE
                claimed.append(row)
        return claimed


def _deliver(row: Outbox, now: datetime) -> str:
    try:
        return HANDLERS[row.kind](row, now)
    except Exception as exc:  # noqa: BLE001 - an automated step never fails silently (STYLE 11)
        logger.exception("outbox row %s (%s) failed unexpectedly", row.pk, row.kind)
        error = DeliveryFailed(params={"reason": type(exc).__name__})
        if row.attempts < max_attempts():
            return _locked_retry(lambda: _reschedule(row, error, now))
        return _locked_retry(lambda: _record(row, now, status=OutboxStatus.FAILED, error=error,
                                             answer=_failure_answer(row, error)))


def _fence(row: Outbox) -> Any:
    """The row, only while this worker holds its latest attempt."""
    return Outbox.objects.filter(pk=row.pk, status=OutboxStatus.PENDING, attempts=row.attempts)


def _error(exc: PlatformError, row: Outbox, now: datetime) -> dict[str, Any]:
    # Code and message only, never the remote's body or local values: they may hold personal data.
    return {"code": exc.code, "message": exc.formatted(), "retryable": bool(getattr(exc, "retryable", False)),
            "attempt": row.attempts, "at": now.isoformat()}


def _reschedule(row: Outbox, exc: PlatformError, now: datetime) -> str:
    wait = backoff(row.attempts, getattr(exc, "retry_after", None))
    taken = _fence(row).update(available_at=now + wait, claimed_until=None, last_error=_error(exc, row, now))
    return "retried" if taken else "lost"


def _record(row: Outbox, now: datetime, *, status: str, error: PlatformError | None = None,
            answer: engine.Command | None = None, work: Callable[[], None] | None = None) -> str:
    """Close the row and, in the same transaction, run ``work`` and feed ``answer`` to the row's instance."""
    from runtime.instances import services  # services imports this module (after_step)

    with transaction.atomic():
        last_error = _error(error, row, now) if error is not None else None
        if not _fence(row).update(status=status, delivered_at=now, claimed_until=None, last_error=last_error):
            return "lost"
        if work is not None:
            try:
                with transaction.atomic():
                    work()
            except PlatformError as exc:
                # Refused for good (no such app, invalid input): the row failed; the instance gets
                # the failure answer when the engine has one (_failure_answer).
                _fence_any(row).update(status=OutboxStatus.FAILED, last_error=_error(exc, row, now))
                status, answer = OutboxStatus.FAILED, _failure_answer(row, exc)
        if answer is not None and row.instance_id is not None:
            try:
                services.instance_system_command(instance_id=row.instance_id, command=answer,
                                                 request_id=f"outbox:{row.pk}")
            except PlatformError as exc:
                # The instance no longer waits for this answer (withdrawn, retried, moved on):
                # keep the reason on the row; nothing else is to be done with it.
                refused = {**_error(exc, row, now), "refused_answer": answer.type}
                _fence_any(row).update(status=OutboxStatus.FAILED, last_error=refused)
                return "failed"
    return "done" if status == OutboxStatus.DONE else "failed"


def _fence_any(row: Outbox) -> Any:
    return Outbox.objects.filter(pk=row.pk)


def _failure_answer(row: Outbox, exc: PlatformError) -> engine.Command | None:
    """The command telling the row's instance that its automated step failed for good."""
    payload = row.payload or {}
    if row.kind == "call_connector" and payload.get("node_id") and payload.get("token_id"):
        return engine.ServiceCompleted(actor=engine.SYSTEM, node_id=str(payload["node_id"]),
                                       token=str(payload["token_id"]),
                                       error={"code": exc.code, "message": exc.formatted()})
    if row.kind == "start_subprocess" and payload.get("node_id") and payload.get("token_id"):
        # The child could not be started: the parent's node fails (error state, admins told, an
        # admin Retry starts it again) or goes on, per the node's on_error.
        return engine.SubprocessCompleted(actor=engine.SYSTEM, node_id=str(payload["node_id"]),
                                          token=str(payload["token_id"]),
                                          error={"code": exc.code, "message": exc.formatted()})
    return None


def _locked_retry(work: Callable[[], T]) -> T:
    """Run ``work``, retrying briefly while SQLite reports a lock (PostgreSQL waits on row locks itself)."""
    for attempt in range(50):
        try:
            return work()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(min(0.005 * (attempt + 1), 0.1))
    raise AssertionError("unreachable")


# --- handlers: one per outbox kind -------------------------------------------------------------------

def _deliver_connector_call(row: Outbox, now: datetime) -> str:
    """Call the connector (outside any transaction), then answer the service node."""
    payload = row.payload
    try:
        result = connector_call(key=str(payload["connector"]), operation=payload.get("operation"),
                                input=payload.get("input") or {}, delivery_id=f"outbox:{row.pk}")
    except ConnectorError as exc:
        return _connector_failed(row, exc, now)
    answer = engine.ServiceCompleted(actor=engine.SYSTEM, node_id=payload["node_id"], token=payload["token_id"],
                                     result=result)
    return _locked_retry(lambda: _record(row, now, status=OutboxStatus.DONE, answer=answer))


def _connector_failed(row: Outbox, error: ConnectorError, now: datetime) -> str:
    if error.retryable and row.attempts < max_attempts():
        return _locked_retry(lambda: _reschedule(row, error, now))
    return _locked_retry(lambda: _record(row, now, status=OutboxStatus.FAILED, error=error,
                                         answer=_failure_answer(row, error)))


def _deliver_start_subprocess(row: Outbox, now: datetime) -> str:
    """Start the child request in the same transaction that closes the row (no network I/O)."""
    from runtime.instances import services

    payload = row.payload

    def start() -> None:
        parent = Instance.objects.only("status").get(pk=row.instance_id)
        if parent.status in (InstanceStatus.COMPLETED, InstanceStatus.WITHDRAWN):
            raise SubprocessParentEnded()
        services.instance_start_child(
            parent_id=row.instance_id, node_id=str(payload["node_id"]), token=str(payload["token_id"]),
            app_key=str(payload["app"]), data=payload.get("input") or {}, wait=bool(payload.get("wait", True)),
            request_id=f"outbox:{row.pk}",
        )

    return _locked_retry(lambda: _record(row, now, status=OutboxStatus.DONE, work=start))


def _deliver_subprocess_completed(row: Outbox, now: datetime) -> str:
    """Give the waiting parent its child's outcome and data."""
    payload = row.payload
    answer = engine.SubprocessCompleted(actor=engine.SYSTEM, node_id=payload["node_id"], token=payload["token_id"],
                                        outcome=str(payload["outcome"]), data=payload.get("data") or {})
    return _locked_retry(lambda: _record(row, now, status=OutboxStatus.DONE, answer=answer))


HANDLERS: dict[str, Callable[[Outbox, datetime], str]] = {
    "call_connector": _deliver_connector_call,
    "start_subprocess": _deliver_start_subprocess,
    SUBPROCESS_COMPLETED: _deliver_subprocess_completed,
    "notify": deliver_notify_row,  # in-app notifications, then e-mail and IM robots (runtime.notifications)
}


# --- called by services._persist at the end of every step ---------------------------------------------

def after_step(instance: Instance, result: engine.StepResult, *, now: datetime) -> None:
    """Queue the parent's answer when this step ended a child it waits for (caller's transaction)."""
    if instance.parent_id is None or not instance.parent_waits:
        return
    if not any(e.type in ("completed", "withdrawn") for e in result.events):
        return
    data = {**dict(instance.data or {}), OUTCOME_KEY: instance.outcome, CHILD_ID_KEY: instance.pk}
    Outbox.objects.create(
        instance_id=instance.parent_id, kind=SUBPROCESS_COMPLETED, available_at=now,
        payload={"type": SUBPROCESS_COMPLETED, "node_id": instance.parent_node_id,
                 "token_id": instance.parent_token, "child_id": instance.pk, "outcome": instance.outcome,
                 "data": data},
    )
