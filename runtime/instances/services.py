"""Writes to running requests: submit, act on tasks, withdraw, resubmit, urge, comment.

Every service takes ``*, actor`` and runs one engine ``step`` inside one transaction:

1. lock the ``Instance`` row (``select_for_update``) — the only lock taken, so concurrent
   actions on one request serialise and a task is never completed twice; the audit chain
   head is locked last (inside ``audit_record``);
2. check ``expected_version`` (optimistic lock for clients that show stale data) and the
   client's ``request_id`` (a stored :class:`CommandReceipt` returns the first result);
3. run the pure engine, then persist state, events, the task/cc/participant projections,
   the outbox (effects) and the receipt, and append an audit event.

The engine decides routing and who may act on a task; this module decides who may see
and start things (selectors) and carries out nothing outside the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import PlatformError, ValidationFailed
from platform_core.org.directory import DjangoOrgDirectory
from runtime import engine
from runtime.definitions.models import App, AppVersion
from runtime.definitions.selectors import app_get_startable
from runtime.flows.settings import field_rights
from runtime.forms import validate_submission
from runtime.instances import selectors
from runtime.instances.exceptions import ActionInvalid, RequestIdReused, UrgeTooSoon, VersionConflict
from runtime.instances.models import (
    CcRecord,
    CommandReceipt,
    Instance,
    InstanceEvent,
    Outbox,
    Participant,
    Task,
)
from runtime.workcalendar import DEFAULT_CALENDAR

URGE_INTERVAL = timedelta(minutes=10)
TASK_ACTIONS = ("approve", "reject", "return", "transfer", "add_signer", "remove_signer", "comment")
DECISION_EVENTS = {"task_approved": "approve", "task_rejected": "reject", "task_cancelled": "cancelled",
                   "task_auto_approved": "auto_approve"}


@dataclass(frozen=True)
class ActResult:
    """What a command did: the instance after it and whether it was a replay of a stored result."""

    instance: Instance
    replayed: bool = False


# --- helpers ------------------------------------------------------------------------------------

def _uid(user: Any) -> str:
    return str(user.pk)


def _context(app: App, version: AppVersion, instance_id: int | None, now: datetime) -> engine.EngineContext:
    return engine.EngineContext(
        org=DjangoOrgDirectory(), now=now, form_fields=selectors.form_of(version), calendar=DEFAULT_CALENDAR,
        app=app.key, flow_version=str(version.number), instance_id=str(instance_id) if instance_id else None,
    )


def _receipt(actor: Any, request_id: str | None, command: str) -> CommandReceipt | None:
    if not request_id:
        return None
    receipt = CommandReceipt.objects.filter(actor=actor, request_id=request_id).first()
    if receipt is not None and receipt.command != command:
        raise RequestIdReused()
    return receipt


def _replayed(receipt: CommandReceipt) -> ActResult:
    return ActResult(Instance.objects.get(pk=receipt.instance_id), replayed=True)


def _lock(instance_id: int) -> Instance:
    return Instance.objects.select_for_update(of=("self",)).select_related("app", "app_version").get(pk=instance_id)


def _check_version(instance: Instance, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != instance.version:
        raise VersionConflict(params={"current": instance.version, "expected": expected_version},
                              details={"current_version": instance.version, "expected_version": expected_version})


def _parse_at(value: str | None, default: datetime) -> datetime:
    parsed = parse_datetime(value) if value else None
    return parsed or default


def _user_id(ref: Any) -> int | None:
    try:
        return int(ref)
    except (TypeError, ValueError):
        return None  # "system"


def _title(app: App, actor: Any, now: datetime) -> str:
    return f"{app.name} · {actor.name} · {timezone.localtime(now).date().isoformat()}"[:300]


# --- persistence --------------------------------------------------------------------------------

def _persist(
    instance: Instance, result: engine.StepResult, *, actor: Any, command: engine.Command, now: datetime,
    meta: RequestMeta | None, request_id: str | None, before_data: Mapping[str, Any],
) -> None:
    """Write one step: state, events, projections, outbox, receipt and audit (caller's transaction)."""
    meta = meta or RequestMeta()
    state = result.state
    instance.state = state.to_dict()
    instance.data = dict(instance.state["data"])
    instance.status = str(state.status)
    instance.outcome = state.outcome or ""
    instance.urgent = state.urgent
    instance.event_seq = state.seq
    instance.version += 1
    if state.status in (engine.Status.COMPLETED, engine.Status.WITHDRAWN) and instance.completed_at is None:
        instance.completed_at = now
    instance.save()

    InstanceEvent.objects.bulk_create([
        InstanceEvent(
            instance=instance, seq=e.seq, type=e.type, data=e.to_dict()["data"], actor_id=_user_id(e.actor),
            actor_ref=str(e.actor or "")[:64], comment=e.comment or "", at=_parse_at(e.at, now),
            request_id=(e.request_id or "")[:100], ip=meta.ip, user_agent=meta.user_agent,
        )
        for e in result.events
    ])
    _project_tasks(instance, state, result.events, now)
    _project_people(instance, state, result.events, now)
    if result.effects:
        Outbox.objects.bulk_create([
            Outbox(instance=instance, kind=effect.type, payload=engine.effect_to_dict(effect), available_at=now)
            for effect in result.effects
        ])
    if request_id:
        CommandReceipt.objects.create(
            actor=actor, request_id=request_id, instance=instance, command=command.type,
            result={"instance_id": instance.pk, "version": instance.version, "event_seq": instance.event_seq},
        )
    after_data = dict(instance.data)
    changed = sorted(k for k in set(before_data) | set(after_data) if before_data.get(k) != after_data.get(k))
    audit_record(
        actor=actor, action=f"instance.{command.type}", target_type="instance", target_id=instance.pk,
        target_label=instance.title,
        before={"fields": {k: before_data.get(k) for k in changed}},
        after={"fields": {k: after_data.get(k) for k in changed}, "status": instance.status,
               "version": instance.version, "events": [e.type for e in result.events],
               "task_id": getattr(command, "task_id", None), "request_id": request_id},
        meta=meta,
    )


def _project_tasks(instance: Instance, state: engine.InstanceState, events: Iterable[engine.Event],
                   now: datetime) -> None:
    """Rewrite the Task rows from the state (timestamps, action and comment from this step's events)."""
    created: dict[str, datetime] = {}
    decided: dict[str, tuple[datetime, str, str]] = {}
    for e in events:
        task_id = e.data.get("task_id") or (e.data.get("task") or {}).get("id")
        if not task_id:
            continue
        at = _parse_at(e.at, now)
        if e.type in ("task_created", "task_auto_approved"):
            created[task_id] = at
        if e.type in DECISION_EVENTS:
            action = e.data.get("action") or DECISION_EVENTS[e.type]
            decided[task_id] = (at, str(action), e.comment or "")
    flow = selectors.flow_of(instance.app_version)
    existing = {t.engine_id: t for t in Task.objects.filter(instance=instance)}
    new: list[Task] = []
    changed: list[tuple[tuple[tuple[str, Any], ...], int]] = []
    for t in state.tasks:
        row = existing.get(t.id)
        before: tuple[Any, ...] | None = None
        if row is None:
            row = Task(instance=instance, engine_id=t.id, created_at=created.get(t.id, now))
            new.append(row)
        else:
            before = _task_projection(row)
        row.node_id = t.node_id
        row.node_name = (flow.node(t.node_id).label if flow.has_node(t.node_id) else t.node_id)[:200]
        row.assignee_id = int(t.assignee)
        row.original_assignee_id = _user_id(t.original_assignee)
        row.status = str(t.status)
        row.kind = t.kind
        row.due_at = _parse_at(t.due_at, now) if t.due_at else None
        if t.id in decided:
            row.completed_at, row.action, row.comment = decided[t.id]
        if before is not None:
            after = _task_projection(row)
            diff = tuple((name, value) for name, old, value in zip(TASK_PROJECTED_FIELDS, before, after, strict=True)
                         if old != value)
            if diff:
                changed.append((diff, row.pk))
    if new:
        Task.objects.bulk_create(new)
    # Most steps touch a few tasks, and the ones they touch change the same way (a 或签
    # approval cancels its siblings with one status and time): one plain UPDATE per
    # distinct change. bulk_update's CASE-per-field over every row cost most of a step.
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for diff, pk in changed:
        groups.setdefault(diff, []).append(pk)
    for diff, pks in groups.items():
        Task.objects.filter(pk__in=pks).update(**dict(diff))


TASK_PROJECTED_FIELDS = ("node_id", "node_name", "assignee_id", "original_assignee_id", "status", "kind", "due_at",
                         "completed_at", "action", "comment")


def _task_projection(row: Task) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in TASK_PROJECTED_FIELDS)


def _project_people(instance: Instance, state: engine.InstanceState, events: Iterable[engine.Event],
                    now: datetime) -> None:
    """Cc records from the state's cc list; participants from everyone named in the state or the events."""
    people = {_user_id(state.initiator)}
    for t in state.tasks:
        people.update({_user_id(t.assignee), _user_id(t.original_assignee)})
    cc = [(node_id or "", _user_id(user)) for node_id, user in state.cc]
    people.update(user for _, user in cc)
    people.update(_user_id(e.actor) for e in events)
    people.discard(None)
    if cc:
        CcRecord.objects.bulk_create(
            [CcRecord(instance=instance, user_id=user, node_id=node, created_at=now) for node, user in cc if user],
            ignore_conflicts=True,
        )
    Participant.objects.bulk_create([Participant(instance=instance, user_id=u) for u in people], ignore_conflicts=True)


def _run(
    instance: Instance, command: engine.Command, *, actor: Any, now: datetime, meta: RequestMeta | None,
    request_id: str | None,
) -> Instance:
    """Step the locked instance with ``command`` and persist the result."""
    state = engine.InstanceState.from_dict(instance.state)
    ctx = _context(instance.app, instance.app_version, instance.pk, now)
    result = engine.step(selectors.flow_of(instance.app_version), state, command, ctx=ctx)
    _persist(instance, result, actor=actor, command=command, now=now, meta=meta, request_id=request_id,
             before_data=dict(instance.data or {}))
    return instance


def _idempotent(actor: Any, request_id: str | None, command_type: str, work: Any) -> ActResult:
    """Run ``work()`` in a transaction unless ``request_id`` already has a receipt (then return it).

    Two identical requests racing past the receipt lookup both run, but only one can insert
    the receipt (unique actor + request id): the other's transaction rolls back entirely
    and it answers with the winner's result.
    """
    receipt = _receipt(actor, request_id, command_type)
    if receipt is not None:
        return _replayed(receipt)
    try:
        with transaction.atomic():
            return ActResult(work())
    except IntegrityError:
        receipt = _receipt(actor, request_id, command_type)
        if receipt is None:
            raise
        return _replayed(receipt)


# --- submit ---------------------------------------------------------------------------------------

def instance_submit(
    *, actor: Any, app_key: str, data: Any, urgent: bool = False, picks: Mapping[str, Any] | None = None,
    request_id: str | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Start a request of a published app the actor may start (AppDoesNotExist otherwise)."""
    app = app_get_startable(actor, app_key)
    version = app.published_version
    assert version is not None  # app_get_startable guarantees it
    if not isinstance(data, Mapping):
        raise ValidationFailed(details={"data": "object expected"})
    spec = selectors.form_of(version)
    flow = selectors.flow_of(version)
    now = timezone.now()
    # The engine validates too, but without the pinned dictionary snapshot; check codes here first.
    start_rights = dict(field_rights(flow.start)) if flow.start is not None else {}
    validate_submission(
        spec, dict(data), context={"initiator": {"id": _uid(actor)}, "urgent": bool(urgent), "now": now.isoformat()},
        dictionary=version.dictionary_entries, field_rights=start_rights, actor=_uid(actor),
    )
    picks_clean = {str(k): tuple(str(u) for u in (v if isinstance(v, list | tuple) else [v]))
                   for k, v in (picks or {}).items()}
    command = engine.Submit(actor=_uid(actor), form_data=dict(data), urgent=bool(urgent), picks=picks_clean,
                            request_id=request_id)

    def work() -> Instance:
        instance = Instance.objects.create(
            app=app, app_version=version, initiator=actor, initiator_department_id=actor.department_id,
            urgent=bool(urgent), title=_title(app, actor, now), data={}, state={},
        )
        ctx = _context(app, version, instance.pk, now)
        result = engine.step(flow, None, command, ctx=ctx)
        _persist(instance, result, actor=actor, command=command, now=now, meta=meta, request_id=request_id,
                 before_data={})
        return instance

    return _idempotent(actor, request_id, command.type, work)


# --- task actions ---------------------------------------------------------------------------------

def _str_list(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        raise ActionInvalid(params={"reason": f"“{name}” must list at least one user"}, details={"field": name})
    return tuple(str(v) for v in value)


def _task_command(actor: Any, task: Task, action: str, payload: Mapping[str, Any],
                  request_id: str | None) -> engine.Command:
    common = {"actor": _uid(actor), "comment": (payload.get("comment") or None), "request_id": request_id}
    tid = task.engine_id
    if action == "approve":
        patch = payload.get("form_patch")
        if patch is not None and not isinstance(patch, Mapping):
            raise ActionInvalid(params={"reason": "“form_patch” must be an object"}, details={"field": "form_patch"})
        return engine.Approve(task_id=tid, form_patch=dict(patch) if patch else None, **common)
    if action == "reject":
        return engine.Reject(task_id=tid, **common)
    if action == "return":
        return engine.Return(task_id=tid, to=str(payload.get("target") or "initiator"), **common)
    if action == "transfer":
        return engine.Transfer(task_id=tid, to_user=_str_list(payload.get("to_user"), "to_user")[0], **common)
    if action == "add_signer":
        position = payload.get("position") or "before"
        if position not in ("before", "after"):
            raise ActionInvalid(params={"reason": "“position” must be before or after"}, details={"field": "position"})
        return engine.AddSigner(task_id=tid, users=_str_list(payload.get("users"), "users"), position=position,
                                **common)
    if action == "remove_signer":
        return engine.RemoveSigner(task_id=tid, **common)
    if action == "comment":
        if not common["comment"]:
            raise ActionInvalid(params={"reason": "a comment needs text"}, details={"field": "comment"})
        return engine.Comment(task_id=tid, **common)
    raise ActionInvalid(params={"reason": f"unknown action {action}"}, details={"field": "action"})


def task_act(
    *, actor: Any, task_id: Any, action: str, payload: Mapping[str, Any] | None = None,
    request_id: str | None = None, expected_version: int | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Act on a task (approve, reject, return, transfer, add/remove signer, comment).

    A task of an instance the actor may not see is TaskDoesNotExist; the engine decides the
    rest (``not_an_assignee`` 403, ``task_already_completed`` 409, ``field_not_editable`` 400).
    """
    payload = payload or {}
    task = selectors.task_get_for(actor, task_id)
    command = _task_command(actor, task, action, payload, request_id)

    def work() -> Instance:
        instance = _lock(task.instance_id)
        _check_version(instance, expected_version)
        return _run(instance, command, actor=actor, now=timezone.now(), meta=meta, request_id=request_id)

    return _idempotent(actor, request_id, command.type, work)


def tasks_batch_approve(
    *, actor: Any, task_ids: Iterable[Any], comment: str | None = None, request_id: str | None = None,
    meta: RequestMeta | None = None,
) -> list[dict[str, Any]]:
    """Approve several tasks, each in its own transaction; one failure does not stop the others."""
    results: list[dict[str, Any]] = []
    for task_id in list(task_ids)[:100]:
        rid = f"{request_id}:{task_id}"[:100] if request_id else None
        try:
            outcome = task_act(actor=actor, task_id=task_id, action="approve", payload={"comment": comment},
                               request_id=rid, meta=meta)
        except PlatformError as exc:
            results.append({"task_id": task_id, "ok": False, "error": exc})
        else:
            results.append({"task_id": task_id, "ok": True, "instance_id": outcome.instance.pk,
                            "version": outcome.instance.version})
    return results


# --- initiator and participant actions --------------------------------------------------------------

def _instance_command(
    actor: Any, instance_id: Any, command: engine.Command, *, request_id: str | None,
    expected_version: int | None, meta: RequestMeta | None, check: Any = None,
) -> ActResult:
    visible = selectors.instance_get_for(actor, instance_id)

    def work() -> Instance:
        instance = _lock(visible.pk)
        _check_version(instance, expected_version)
        if check is not None:
            check(instance)
        return _run(instance, command, actor=actor, now=timezone.now(), meta=meta, request_id=request_id)

    return _idempotent(actor, request_id, command.type, work)


def instance_withdraw(
    *, actor: Any, instance_id: Any, comment: str | None = None, request_id: str | None = None,
    expected_version: int | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Withdraw a request (initiator only; the flow's withdraw rule decides until when)."""
    command = engine.Withdraw(actor=_uid(actor), comment=comment or None, request_id=request_id)
    return _instance_command(actor, instance_id, command, request_id=request_id,
                             expected_version=expected_version, meta=meta)


def instance_resubmit(
    *, actor: Any, instance_id: Any, data: Any, comment: str | None = None, request_id: str | None = None,
    expected_version: int | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Resubmit a returned request with edited data (initiator only)."""
    if not isinstance(data, Mapping):
        raise ValidationFailed(details={"data": "object expected"})
    command = engine.Resubmit(actor=_uid(actor), form_data=dict(data), comment=comment or None,
                              request_id=request_id)
    return _instance_command(actor, instance_id, command, request_id=request_id,
                             expected_version=expected_version, meta=meta)


def instance_urge(
    *, actor: Any, instance_id: Any, comment: str | None = None, request_id: str | None = None,
    meta: RequestMeta | None = None,
) -> ActResult:
    """Remind the current assignees (催办); at most once per URGE_INTERVAL per instance."""
    command = engine.Urge(actor=_uid(actor), comment=comment or None, request_id=request_id)

    def check(instance: Instance) -> None:
        last = InstanceEvent.objects.filter(instance=instance, type="urged").order_by("-seq").first()
        if last is not None and timezone.now() - last.at < URGE_INTERVAL:
            wait = URGE_INTERVAL - (timezone.now() - last.at)
            raise UrgeTooSoon(params={"minutes": max(1, int(wait.total_seconds() // 60) + 1)})

    return _instance_command(actor, instance_id, command, request_id=request_id, expected_version=None,
                             meta=meta, check=check)


def instance_comment(
    *, actor: Any, instance_id: Any, comment: str, request_id: str | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Add a comment to the timeline; anyone who may see the request may comment."""
    if not (comment or "").strip():
        raise ActionInvalid(params={"reason": "a comment needs text"}, details={"field": "comment"})
    command = engine.Comment(actor=_uid(actor), comment=comment.strip()[:2000], request_id=request_id)
    return _instance_command(actor, instance_id, command, request_id=request_id, expected_version=None,
                             meta=meta)


# --- system commands (timers, connector answers, subprocess ends) -----------------------------------

SYSTEM_COMMANDS = (engine.Timeout, engine.ServiceCompleted, engine.DelayElapsed, engine.SubprocessCompleted)


def instance_system_command(
    *, instance_id: int, command: engine.Command, request_id: str | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Run a command that no user issues (``actor="system"``) on an instance, in one transaction.

    Used by background work (outbox delivery, timers). ``request_id`` makes a redelivery
    idempotent exactly like a client retry: the first result is returned, nothing changes.
    The audit event is attributed to no user (``actor=None``, label "system").
    """
    if not isinstance(command, SYSTEM_COMMANDS):
        raise TypeError(f"{type(command).__name__} is not a system command")

    def work() -> Instance:
        instance = _lock(int(instance_id))
        return _run(instance, command, actor=None, now=timezone.now(), meta=meta, request_id=request_id)

    return _idempotent(None, request_id, command.type, work)
