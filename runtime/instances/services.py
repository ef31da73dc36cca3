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

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import PlatformError, ValidationFailed
from platform_core.fastsql import Table
from platform_core.org.delegations import delegate_lookup
from platform_core.org.permissions import APPS_PUBLISH, require_permission
from platform_core.org.revision import REVISION_SQL, org_directory
from platform_core.realtime.publish import instance_changed as realtime_instance_changed
from runtime import engine
from runtime.definitions.models import App, AppVersion
from runtime.definitions.selectors import app_can_start, app_get_startable
from runtime.drafts.models import RequestDraft
from runtime.files.selectors import file_ids_in, file_references_check
from runtime.files.services import file_links_add
from runtime.flows.settings import field_rights
from runtime.forms import validate_submission
from runtime.instances import outbox, selectors
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
from runtime.timers.services import backup_lookup, company_calendar, timers_store

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


def _context(app_key: str, version: AppVersion, instance_id: int | None, now: datetime,
             org_token: Any = None) -> engine.EngineContext:
    org = org_directory(org_token) if org_token is not None else org_directory()
    return engine.EngineContext(
        org=org, now=now, form_fields=selectors.form_of(version), calendar=company_calendar(org),
        app=app_key, flow_version=str(version.number), instance_id=str(instance_id) if instance_id else None,
        delegate_for=delegate_lookup(now=now, directory=org), backup_for=backup_lookup(org),
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
    """Lock and read the instance row, with its app version attached (cached: versions never change).

    The same statement reads the version's publish time (the cache check) and the org
    revision (``org_directory``), so a step starts with one query.
    """
    instance, (stamp, org_token) = _instances.get_with(int(instance_id), _LOCK_EXTRAS, for_update=True)
    if instance is None:
        raise Instance.DoesNotExist()
    instance.app_version = _version(instance.app_version_id, stamp)
    instance._org_token = org_token  # type: ignore[attr-defined]
    return instance


# Published versions are immutable: keep them (with their app's key, which never changes either)
# per process. The publish time is checked on every use, because a rolled-back transaction or
# a restored database can hand the same primary key to a different version.
_versions: dict[int, tuple[Any, AppVersion, str]] = {}
_version_table = Table(AppVersion)


def _version(version_id: int, stamp: Any = None) -> AppVersion:
    if stamp is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT published_at FROM {_version_table.quoted} WHERE id = %s", [version_id])
            (stamp,) = cursor.fetchone()
    cached = _versions.get(version_id)
    if cached is None or cached[0] != stamp:
        version = AppVersion.objects.select_related("app").get(pk=version_id)
        if len(_versions) > 512:
            _versions.clear()
        cached = _versions[version_id] = (stamp, version, version.app.key)
    return cached[1]


def _app_key(version: AppVersion) -> str:
    cached = _versions.get(version.pk)
    if cached is not None and cached[1] is version:
        return cached[2]
    return version.app.key


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


TITLE_VALUE_CHARS = 60


def _title(app: App, actor: Any, now: datetime, spec: Any = None, flow: Any = None,
           data: Mapping[str, Any] | None = None) -> str:
    """“App · what · who” when the form names a title field (任务分配 · 整理客户名单 · 张伟), else “App · who · day”.

    The title is shown to everyone who sees the request, so a field hidden at any step never
    goes into it.
    """
    value = _title_value(spec, flow, data or {})
    if value:
        return f"{app.name} · {value} · {actor.name}"[:300]
    return f"{app.name} · {actor.name} · {timezone.localtime(now).date().isoformat()}"[:300]


def _retitle(instance: Instance, flow: Any, data: Mapping[str, Any], changed: list[str]) -> None:
    """Follow an edit of the title field (a resubmit, an approver's patch): one UPDATE, only then."""
    spec = selectors.form_of(instance.app_version)
    if spec.title_field is None or spec.title_field not in changed:
        return
    title = _title(instance.app, instance.initiator, instance.created_at, spec, flow, data)
    if title != instance.title:
        Instance.objects.filter(pk=instance.pk).update(title=title)
        instance.title = title


def _title_value(spec: Any, flow: Any, data: Mapping[str, Any]) -> str:
    key = spec.title_field if spec is not None else None
    if key is None or flow is None:
        return ""
    if key in selectors.fields_hidden_somewhere(flow):
        return ""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= TITLE_VALUE_CHARS else text[: TITLE_VALUE_CHARS - 1] + "…"


# --- persistence --------------------------------------------------------------------------------
#
# Every step writes to six tables. These writes are prepared statements (platform_core.fastsql)
# rather than ORM calls: the ORM's SQL compilation was most of a step's cost (tests/bench/
# bench_engine.py). The projections are computed from the state before and after the step,
# so nothing is read back: tasks whose engine record did not change are not touched, and
# participants / cc rows are inserted only when someone new appears.

_instances = Table(Instance)
_events = Table(InstanceEvent)
_tasks = Table(Task)
_participants = Table(Participant)
_cc = Table(CcRecord)
_outbox = Table(Outbox)
_receipts = Table(CommandReceipt)
_LOCK_EXTRAS = (  # read with the locked instance row (see _lock)
    f"(SELECT published_at FROM {_version_table.quoted} WHERE id = {_instances.quoted}.app_version_id)",
    REVISION_SQL,
)

_INSTANCE_STEP_COLUMNS = ("state", "data", "status", "outcome", "urgent", "event_seq", "version", "updated_at",
                          "completed_at")
_EVENT_COLUMNS = ("instance_id", "seq", "type", "data", "actor_id", "actor_ref", "comment", "at", "request_id",
                  "ip", "user_agent")
_TASK_COLUMNS = ("instance_id", "engine_id", "node_id", "node_name", "assignee_id", "original_assignee_id", "status",
                 "kind", "created_at", "completed_at", "due_at", "action", "comment")
_OUTBOX_COLUMNS = ("instance_id", "kind", "payload", "status", "attempts", "available_at", "created_at")
_RECEIPT_COLUMNS = ("actor_id", "request_id", "instance_id", "command", "result", "created_at")
# engine Task attribute -> the Task row columns derived from it
_TASK_ATTR_COLUMNS = (("node_id", ("node_id", "node_name")), ("assignee", ("assignee_id",)),
                      ("original_assignee", ("original_assignee_id",)), ("status", ("status",)), ("kind", ("kind",)),
                      ("due_at", ("due_at",)))
REDACTED = "[hidden]"
_TIMER_EFFECTS = ("schedule_timer", "cancel_timers")


def _persist(
    instance: Instance, result: engine.StepResult, *, actor: Any, command: engine.Command, now: datetime,
    meta: RequestMeta | None, request_id: str | None, before: engine.InstanceState | None,
) -> None:
    """Write one step: state, events, projections, outbox, receipt and audit (caller's transaction).

    ``instance`` without a primary key is inserted (a submit); otherwise its row is updated.
    """
    meta = meta or RequestMeta()
    state = result.state
    before_data = dict(before.data) if before is not None else {}
    instance.state = state.to_dict()
    instance.data = dict(instance.state["data"])
    instance.status = str(state.status)
    instance.outcome = state.outcome or ""
    instance.urgent = state.urgent
    instance.event_seq = state.seq
    instance.version += 1
    instance.updated_at = now
    if state.status in (engine.Status.COMPLETED, engine.Status.WITHDRAWN) and instance.completed_at is None:
        instance.completed_at = now
    if instance.pk is None:
        instance.created_at = now
        names = [f.attname for f in Instance._meta.concrete_fields if not f.primary_key]
        (instance.pk,) = _instances.insert(names, [[getattr(instance, n) for n in names]], returning_id=True)
        instance._state.adding = False
        instance._state.db = "default"
    else:
        _instances.update([instance.pk], _INSTANCE_STEP_COLUMNS,
                          [getattr(instance, n) for n in _INSTANCE_STEP_COLUMNS])
    pk = instance.pk

    _events.insert(_EVENT_COLUMNS, [
        (pk, e.seq, e.type, e.to_dict()["data"], _user_id(e.actor), str(e.actor or "")[:64], e.comment or "",
         _parse_at(e.at, now), (e.request_id or "")[:100], meta.ip, meta.user_agent)
        for e in result.events
    ])
    flow = selectors.flow_of(instance.app_version)
    _project_tasks(pk, flow, before, state, result.events, now)
    _project_people(pk, before, state, result.events, now)
    # Timers go to their own table (runtime.timers); everything else is delivered from the outbox.
    timer_effects = [e for e in result.effects if e.type in _TIMER_EFFECTS]
    if timer_effects:
        timers_store(pk, timer_effects, now, flow=flow, state=state)
    _outbox.insert(_OUTBOX_COLUMNS, [
        (pk, effect.type, {**engine.effect_to_dict(effect), "instance_id": str(pk)}, "pending", 0, now, now)
        for effect in result.effects if effect.type not in _TIMER_EFFECTS
    ])
    if request_id:
        _receipts.insert(_RECEIPT_COLUMNS, [(
            getattr(actor, "pk", None), request_id, pk, command.type,
            {"instance_id": pk, "version": instance.version, "event_seq": instance.event_seq}, now,
        )])
    after_data = instance.data
    changed = sorted(k for k in set(before_data) | set(after_data) if before_data.get(k) != after_data.get(k))
    if changed:  # files that came into the data with this step (no query when none did)
        file_links_add(pk, file_ids_in([after_data.get(k) for k in changed]))
        if before is not None:
            _retitle(instance, flow, after_data, changed)
    secret = selectors.fields_hidden_somewhere(flow)
    audit_record(
        actor=actor, action=f"instance.{command.type}", target_type="instance", target_id=pk,
        target_label=instance.title,
        before={"fields": {k: (REDACTED if k in secret else before_data.get(k)) for k in changed}},
        after={"fields": {k: (REDACTED if k in secret else after_data.get(k)) for k in changed},
               "status": instance.status, "version": instance.version, "events": [e.type for e in result.events],
               "task_id": getattr(command, "task_id", None), "request_id": request_id},
        meta=meta,
    )
    outbox.after_step(instance, result, now=now)
    realtime_instance_changed(pk, instance.status, instance.version, before, state)  # after commit, no queries


def _task_row(pk: int, flow: Any, t: engine.Task, created_at: datetime, decided: tuple[Any, str, str] | None,
              now: datetime) -> dict[str, Any]:
    completed_at, action, comment = decided if decided else (None, "", "")
    return {
        "instance_id": pk, "engine_id": t.id, "node_id": t.node_id,
        "node_name": (flow.node(t.node_id).label if flow.has_node(t.node_id) else t.node_id)[:200],
        "assignee_id": int(t.assignee), "original_assignee_id": _user_id(t.original_assignee),
        "status": str(t.status), "kind": t.kind, "created_at": created_at, "completed_at": completed_at,
        "due_at": _parse_at(t.due_at, now) if t.due_at else None, "action": action, "comment": comment,
    }


def _project_tasks(pk: int, flow: Any, before: engine.InstanceState | None, state: engine.InstanceState,
                   events: Iterable[engine.Event], now: datetime) -> None:
    """Bring the Task rows in line with the state: insert new tasks, update the ones this step changed."""
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
    old = {t.id: t for t in before.tasks} if before is not None else {}
    new_rows: list[tuple[Any, ...]] = []
    # Most steps touch a few tasks, and those change the same way (a 或签 approval cancels
    # its siblings with one status and time): one UPDATE per distinct change.
    groups: dict[tuple[tuple[str, Any], ...], list[str]] = {}
    for t in state.tasks:
        previous = old.get(t.id)
        if previous is None:
            row = _task_row(pk, flow, t, created.get(t.id, now), decided.get(t.id), now)
            new_rows.append(tuple(row[c] for c in _TASK_COLUMNS))
            continue
        if previous == t and t.id not in decided:
            continue
        row = _task_row(pk, flow, t, now, decided.get(t.id), now)
        changes = [(column, row[column]) for attr, columns in _TASK_ATTR_COLUMNS
                   if getattr(previous, attr) != getattr(t, attr) for column in columns]
        if t.id in decided:
            changes += [("completed_at", row["completed_at"]), ("action", row["action"]),
                        ("comment", row["comment"])]
        if changes:  # other engine attributes (decided_by, visit, ...) have no column
            groups.setdefault(tuple(changes), []).append(t.id)
    _tasks.insert(_TASK_COLUMNS, new_rows)
    for changes, engine_ids in groups.items():
        _tasks.update_in(("instance_id", pk), "engine_id", engine_ids, [n for n, _ in changes],
                         [v for _, v in changes])


def _people(state: engine.InstanceState | None) -> set[int | None]:
    if state is None:
        return set()
    people = {_user_id(state.initiator)}
    for t in state.tasks:
        people.add(_user_id(t.assignee))
        if t.original_assignee:
            people.add(_user_id(t.original_assignee))
    people.update(_user_id(user) for _, user in state.cc)
    return people


def _project_people(pk: int, before: engine.InstanceState | None, state: engine.InstanceState,
                    events: Iterable[engine.Event], now: datetime) -> None:
    """Cc records for new cc entries; participants for everyone new in the state or the step's events."""
    people = _people(state)
    people.update(_user_id(e.actor) for e in events)
    people -= _people(before)
    people.discard(None)
    old_cc = set(before.cc) if before is not None else set()
    cc = {(node_id or "", _user_id(user)) for node_id, user in state.cc if (node_id, user) not in old_cc}
    rows = sorted((pk, user, node, now) for node, user in cc if user)
    _cc.insert(("instance_id", "user_id", "node_id", "created_at"), rows, ignore_conflicts=True)
    _participants.insert(("instance_id", "user_id"), sorted((pk, u) for u in people), ignore_conflicts=True)


def _run(
    instance: Instance, command: engine.Command, *, actor: Any, now: datetime, meta: RequestMeta | None,
    request_id: str | None,
) -> Instance:
    """Step the locked instance with ``command`` and persist the result."""
    state = engine.InstanceState.from_dict(instance.state)
    version = instance.app_version
    ctx = _context(_app_key(version), version, instance.pk, now, getattr(instance, "_org_token", None))
    result = engine.step(selectors.flow_of(version), state, command, ctx=ctx)
    _persist(instance, result, actor=actor, command=command, now=now, meta=meta, request_id=request_id,
             before=state)
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

def _startable(actor: Any, app_key: Any) -> tuple[App, AppVersion]:
    """The app and its published version if the actor may start it (else app_get_startable's error).

    The version comes from the per-process cache (``_version``), not from ``app_get``'s
    join, which decodes the version's whole form, flow and dictionary documents again.
    """
    app = App.objects.filter(key=app_key).first() if isinstance(app_key, str) else None
    if app is None or not app_can_start(actor, app):
        app = app_get_startable(actor, app_key)  # raises the precise error
    version = _version(app.published_version_id)
    app.published_version = version
    return app, version


def instance_submit(
    *, actor: Any, app_key: str, data: Any, urgent: bool = False, picks: Mapping[str, Any] | None = None,
    request_id: str | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Start a request of a published app the actor may start (AppDoesNotExist otherwise)."""
    app, version = _startable(actor, app_key)
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
    file_references_check(actor=actor, form_spec=spec, data=data)
    picks_clean = {str(k): tuple(str(u) for u in (v if isinstance(v, list | tuple) else [v]))
                   for k, v in (picks or {}).items()}
    command = engine.Submit(actor=_uid(actor), form_data=dict(data), urgent=bool(urgent), picks=picks_clean,
                            request_id=request_id)

    def work() -> Instance:
        # The row is inserted by _persist with the step's outcome (the engine needs no id:
        # effects get it stamped when they are stored).
        instance = Instance(
            app=app, app_version=version, initiator=actor, initiator_department_id=actor.department_id,
            urgent=bool(urgent), title=_title(app, actor, now, spec, flow, data), data={}, state={},
        )
        ctx = _context(app.key, version, None, now)
        result = engine.step(flow, None, command, ctx=ctx)
        _persist(instance, result, actor=actor, command=command, now=now, meta=meta, request_id=request_id,
                 before=None)
        # The request is sent: the person's saved draft of this app goes in the same transaction.
        RequestDraft.objects.filter(user=actor, app=app).delete()
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
    task = _task_for(actor, task_id)
    command = _task_command(actor, task, action, payload, request_id)

    def work() -> Instance:
        instance = _lock(task.instance_id)
        _check_version(instance, expected_version)
        patch = getattr(command, "form_patch", None)
        if patch:
            # Files an approver attaches must be their own uploads (files already there stay).
            file_references_check(actor=actor, form_spec=selectors.form_of(instance.app_version), data=patch,
                                  previous=instance.data)
        return _run(instance, command, actor=actor, now=timezone.now(), meta=meta, request_id=request_id)

    return _idempotent(actor, request_id, command.type, work)


def _task_for(actor: Any, task_id: Any) -> Task:
    """The task if ``actor`` may see its instance (``selectors.task_get_for``), cheaply for its assignee.

    Whoever a task is (or was) assigned to took part in the request, so they may see it;
    that is the common case (people act on their own tasks) and needs one primary-key read
    instead of the data-scope query. Anyone else goes through the full visibility check.
    """
    try:
        pk = int(task_id)
    except (TypeError, ValueError):
        return selectors.task_get_for(actor, task_id)
    task = _tasks.get(pk)
    if task is not None and actor.pk is not None and actor.pk in (task.assignee_id, task.original_assignee_id):
        return task
    return selectors.task_get_for(actor, pk)


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

    def files_are_theirs(instance: Instance) -> None:
        file_references_check(actor=actor, form_spec=selectors.form_of(instance.app_version), data=data,
                              previous=instance.data)

    return _instance_command(actor, instance_id, command, request_id=request_id,
                             expected_version=expected_version, meta=meta, check=files_are_theirs)


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



def instance_cc(
    *, actor: Any, instance_id: Any, users: Any, comment: str | None = None, request_id: str | None = None,
    meta: RequestMeta | None = None,
) -> ActResult:
    """Copy the request to people (抄送): the initiator or anyone with a task on it (the engine checks)."""
    command = engine.Cc(actor=_uid(actor), users=_str_list(users, "users"), comment=(comment or "").strip() or None,
                        request_id=request_id)
    return _instance_command(actor, instance_id, command, request_id=request_id, expected_version=None, meta=meta)


def instance_retry(
    *, actor: Any, instance_id: Any, node_id: str, form_patch: Mapping[str, Any] | None = None,
    comment: str | None = None, request_id: str | None = None, expected_version: int | None = None,
    meta: RequestMeta | None = None,
) -> ActResult:
    """Administrator intervention: run a blocked or failed node again, optionally correcting form data.

    Needs the ``apps.publish`` permission (process administrators) and a data scope that
    shows the request. The audit event (``instance.retry``) records the corrected fields'
    before and after values like every step.
    """
    require_permission(actor, APPS_PUBLISH)
    if form_patch is not None and not isinstance(form_patch, Mapping):
        raise ActionInvalid(params={"reason": "“form_patch” must be an object"}, details={"field": "form_patch"})
    command = engine.Retry(actor=_uid(actor), node_id=str(node_id), form_patch=dict(form_patch) if form_patch else None,
                           comment=(comment or "").strip() or None, request_id=request_id)
    return _instance_command(actor, instance_id, command, request_id=request_id, expected_version=expected_version,
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


def instance_start_child(
    *, parent_id: int, node_id: str, token: str, app_key: str, data: Any, wait: bool = True,
    request_id: str | None = None, meta: RequestMeta | None = None,
) -> ActResult:
    """Start a subprocess node's child request (system start, used by the outbox).

    The child is started for the parent's initiator without checking their start
    permission (the published flow asked for it), on the child app's published version,
    and remembers the parent's node and token so that its end answers the parent
    (``outbox.after_step``). A missing, archived or unpublished app is AppDoesNotExist /
    AppNotPublished; input that does not fit the child's form is ValidationFailed.
    """
    from runtime.definitions.exceptions import AppNotPublished
    from runtime.definitions.selectors import app_get

    parent = Instance.objects.select_related("initiator").get(pk=parent_id)
    initiator = parent.initiator
    app = app_get(app_key)
    version = app.published_version
    if version is None:
        raise AppNotPublished()
    if not isinstance(data, Mapping):
        raise ValidationFailed(details={"data": "object expected"})
    spec = selectors.form_of(version)
    flow = selectors.flow_of(version)
    now = timezone.now()
    start_rights = dict(field_rights(flow.start)) if flow.start is not None else {}
    validate_submission(
        spec, dict(data), context={"initiator": {"id": _uid(initiator)}, "urgent": parent.urgent,
                                   "now": now.isoformat()},
        dictionary=version.dictionary_entries, field_rights=start_rights, actor=_uid(initiator),
    )
    command = engine.Submit(actor=_uid(initiator), form_data=dict(data), urgent=parent.urgent, request_id=request_id)

    def work() -> Instance:
        instance = Instance.objects.create(
            app=app, app_version=version, initiator=initiator, initiator_department_id=initiator.department_id,
            urgent=parent.urgent, title=_title(app, initiator, now, spec, flow, data), data={}, state={},
            parent=parent, parent_node_id=node_id, parent_token=token, parent_waits=bool(wait),
        )
        ctx = _context(app.key, version, instance.pk, now)
        result = engine.step(flow, None, command, ctx=ctx)
        _persist(instance, result, actor=None, command=command, now=now, meta=meta, request_id=request_id,
                 before=None)
        return instance

    return _idempotent(None, request_id, command.type, work)
