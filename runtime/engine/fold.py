"""The fold: ``apply(state, event) -> state`` and ``replay(flow, events)``.

This is the only code that produces engine state. ``step`` decides and emits events,
then folds each one in through :func:`apply`; persistence stores the events and can
always rebuild the same state with :func:`replay`. Events are self-contained (they
carry every id and value they set), so the fold needs no flow, org or clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from runtime.engine.errors import InvalidTransition
from runtime.engine.model import (
    TRANSITIONS,
    Event,
    InstanceState,
    Status,
    Task,
    TaskStatus,
    Token,
    evolve,
)
from runtime.flows.spec import FlowSpec

MAX_REQUEST_IDS = 100  # a client retries within seconds; a short memory is enough

Handler = Callable[[InstanceState, Mapping[str, Any]], InstanceState]
_HANDLERS: dict[str, Handler] = {}


def _on(*types: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in types:
            _HANDLERS[name] = fn
        return fn

    return register


def _tokens(state: InstanceState, token_id: str, **changes: Any) -> tuple[Token, ...]:
    return tuple(evolve(t, changes) if t.id == token_id else t for t in state.tokens)


def _task(state: InstanceState, task_id: str, **changes: Any) -> InstanceState:
    return state.evolve(tasks=tuple(evolve(t, changes) if t.id == task_id else t for t in state.tasks))


def _patched(state: InstanceState, patch: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return {**state.data, **dict(patch or {})}


@_on("node_skipped", "gateway_decided", "signer_added", "urged", "commented", "task_reminded",
     "timeout_noted", "task_timed_out", "task_overdue")
def _record_only(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    # Audit facts: they explain what happened but change nothing the engine decides on.
    return state


@_on("node_entered")
def _entered(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(
        tokens=_tokens(state, data["token_id"], node_id=data["node_id"], wait=None, mode=None,
                       threshold=None, assignees=(), issue=None, visit=None)
    )


@_on("node_activated")
def _activated(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(
        tokens=_tokens(state, data["token_id"], wait="task", mode=data["mode"], threshold=data.get("threshold"),
                       assignees=tuple(data["assignees"]), visit=data["visit"])
    )


@_on("task_created", "task_auto_approved")
def _task_created(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    task = Task.from_dict(data["task"])
    return state.evolve(tasks=(*state.tasks, task), task_seq=state.task_seq + 1)


@_on("task_approved")
def _task_approved(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    status = TaskStatus.DONE if data.get("action") == "done" else TaskStatus.APPROVED
    state = _task(state, data["task_id"], status=status, decided_by=data["by"])
    human = 0 if data.get("reason") else 1  # timer-driven approvals are not someone's approval
    return state.evolve(data=_patched(state, data.get("patch")), human_approvals=state.human_approvals + human)


@_on("task_rejected")
def _task_rejected(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return _task(state, data["task_id"], status=TaskStatus.REJECTED, decided_by=data["by"])


@_on("task_cancelled")
def _task_cancelled(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return _task(state, data["task_id"], status=TaskStatus.CANCELLED)


@_on("task_suspended")
def _task_suspended(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return _task(state, data["task_id"], status=TaskStatus.SUSPENDED)


@_on("task_resumed", "task_activated")
def _task_pending(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return _task(state, data["task_id"], status=TaskStatus.PENDING)


@_on("task_transferred")
def _task_transferred(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    task = state.task(data["task_id"])
    original = (task.original_assignee if task else None) or data["from"]
    return _task(state, data["task_id"], assignee=data["to"], original_assignee=original)


@_on("node_completed")
def _node_completed(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    token = state.token(data["token_id"])
    trail = state.trail
    if token is not None and not token.scope and data["outcome"] == "approved":
        trail = (*trail, data["node_id"])
    return state.evolve(
        tokens=_tokens(state, data["token_id"], wait=None),
        trail=trail,
        last_deciders=tuple(data.get("deciders") or ()),
    )


@_on("routing_blocked")
def _blocked(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    issue = {k: data.get(k) for k in ("code", "message", "reason", "missing")}
    return state.evolve(tokens=_tokens(state, data["token_id"], wait="blocked", issue=issue))


@_on("node_failed")
def _failed(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    issue = {k: data.get(k) for k in ("code", "message")}
    return state.evolve(tokens=_tokens(state, data["token_id"], wait="error", issue=issue))


@_on("retried")
def _retried(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    state = state.evolve(data=_patched(state, data.get("patch")))
    return state.evolve(tokens=_tokens(state, data["token_id"], wait=None, issue=None))


@_on("split")
def _split(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    parent = state.token(data["token_id"])
    scope = (*(parent.scope if parent else ()), data["group"])
    branches = tuple(Token(b["token_id"], b["node_id"], scope) for b in data["branches"])
    kept = tuple(t for t in state.tokens if t.id != data["token_id"])
    return state.evolve(
        tokens=kept + branches,
        token_seq=state.token_seq + len(branches),
        group_seq=state.group_seq + 1,
    )


@_on("join_arrived")
def _join_arrived(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(tokens=_tokens(state, data["token_id"], wait="join"))


@_on("token_cancelled")
def _token_cancelled(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(tokens=tuple(t for t in state.tokens if t.id != data["token_id"]))


@_on("joined")
def _joined(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    arrived = set(data["arrived"])
    kept = tuple(t for t in state.tokens if t.id not in arrived)
    token = Token(data["token_id"], data["node_id"], tuple(data["scope"]))
    return state.evolve(tokens=(*kept, token), token_seq=state.token_seq + 1)


@_on("cc_sent")
def _cc(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(cc=state.cc + tuple((data.get("node_id"), u) for u in data["users"]))


@_on("service_called")
def _service_called(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(tokens=_tokens(state, data["token_id"], wait="service"))


@_on("service_completed", "subprocess_completed")
def _results(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    state = state.evolve(data=_patched(state, data.get("writes")))
    return state.evolve(tokens=_tokens(state, data["token_id"], wait=None))


@_on("service_failed", "subprocess_failed")
def _service_failed(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    if data.get("continue"):
        return state.evolve(tokens=_tokens(state, data["token_id"], wait=None))
    issue = {"code": data.get("code"), "message": data.get("message")}
    return state.evolve(tokens=_tokens(state, data["token_id"], wait="error", issue=issue))


@_on("delay_started")
def _delay_started(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(tokens=_tokens(state, data["token_id"], wait="delay"))


@_on("delay_elapsed")
def _delay_elapsed(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return state.evolve(tokens=_tokens(state, data["token_id"], wait=None))


@_on("subprocess_started")
def _subprocess_started(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    wait = "subprocess" if data.get("wait", True) else None
    return state.evolve(tokens=_tokens(state, data["token_id"], wait=wait))


@_on("completed")
def _completed(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return _move(state, Status.COMPLETED).evolve(outcome=data["outcome"], tokens=())


@_on("withdrawn")
def _withdrawn(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    return _move(state, Status.WITHDRAWN).evolve(outcome="withdrawn", tokens=())


@_on("returned")
def _returned(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    if data["to"] == "initiator":
        return _move(state, Status.RETURNED).evolve(tokens=(), last_deciders=())
    # Going back to an earlier node forgets the trail from that node on: it will be
    # completed again, and "previous" must then mean the node before it.
    trail = state.trail
    if data["to"] in trail:
        index = len(trail) - 1 - trail[::-1].index(data["to"])
        trail = trail[:index]
    token = Token(data["token_id"], data["to"])
    return state.evolve(tokens=(token,), trail=trail, last_deciders=(), token_seq=state.token_seq + 1)


@_on("resubmitted")
def _resubmitted(state: InstanceState, data: Mapping[str, Any]) -> InstanceState:
    token = Token(data["token_id"], data["start_node"])
    return _move(state, Status.RUNNING).evolve(
        data=dict(data["data"]), tokens=(token,), trail=(), last_deciders=(), human_approvals=0,
        token_seq=state.token_seq + 1,
    )


def _move(state: InstanceState, status: Status) -> InstanceState:
    if status not in TRANSITIONS[state.status]:
        raise InvalidTransition(params={"status": str(state.status)}, reason=f"{state.status} -> {status}")
    return state.evolve(status=status)


def _derive_status(state: InstanceState) -> InstanceState:
    # While the request is live, its status follows its tokens: any failed automated
    # step makes it "error", any gateway that cannot route makes it "blocked".
    if state.status not in (Status.RUNNING, Status.BLOCKED, Status.ERROR):
        return state
    waits = {t.wait for t in state.tokens}
    status = Status.ERROR if "error" in waits else Status.BLOCKED if "blocked" in waits else Status.RUNNING
    return state if status == state.status else state.evolve(status=status)


def _submitted(data: Mapping[str, Any]) -> InstanceState:
    return InstanceState(
        status=Status.RUNNING,
        initiator=data["initiator"],
        data=dict(data["data"]),
        urgent=bool(data.get("urgent", False)),
        picks={k: tuple(v) for k, v in (data.get("picks") or {}).items()},
        flow_version=data.get("flow_version"),
        app=data.get("app"),
        tokens=(Token(data["token_id"], data["start_node"]),),
        token_seq=1,
    )


def apply(state: InstanceState | None, event: Event) -> InstanceState:
    """Return the state after ``event`` (the only way engine state changes)."""
    if event.type == "submitted":
        if state is not None:
            raise InvalidTransition(params={"status": str(state.status)}, reason="already submitted")
        new = _submitted(event.data)
    else:
        if state is None:
            raise InvalidTransition(params={"status": "new"}, reason=f"{event.type} before submitted")
        handler = _HANDLERS.get(event.type)
        if handler is None:
            raise ValueError(f"unknown event type {event.type!r}")
        new = _derive_status(handler(state, event.data))
    request_ids = new.request_ids
    if event.request_id and event.request_id not in request_ids:
        request_ids = (*request_ids, event.request_id)[-MAX_REQUEST_IDS:]
    return new.evolve(seq=event.seq, request_ids=request_ids)


def replay(flow: FlowSpec | None, events: Iterable[Event | Mapping[str, Any]]) -> InstanceState | None:
    """Fold every event from the first; ``flow`` is accepted for symmetry with ``step`` (unused)."""
    state: InstanceState | None = None
    for item in events:
        event = item if isinstance(item, Event) else Event.from_dict(item)
        if state is not None and event.seq != state.seq + 1:
            raise ValueError(f"event seq {event.seq} does not follow {state.seq}")
        state = apply(state, event)
    return state


EVENT_TYPES = frozenset({"submitted", *_HANDLERS})
