"""Running state, events and effects of the engine: frozen dataclasses that round-trip to JSON.

State is never edited in place: :func:`runtime.engine.fold.apply` returns a new state
for each event. Everything here serialises to plain JSON (``to_dict``/``from_dict``), so
persistence can store events and rebuild the state from them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar


class Status(StrEnum):
    """Instance statuses; allowed moves are in ``TRANSITIONS``."""

    RUNNING = "running"
    BLOCKED = "blocked"  # a gateway cannot route (missing data, no branch); admin fixes data and retries
    ERROR = "error"  # an automated step failed (connector error, nobody to assign); admin retries
    RETURNED = "returned"  # sent back to the initiator, who edits and resubmits
    COMPLETED = "completed"  # ended with outcome approved or rejected
    WITHDRAWN = "withdrawn"


TERMINAL = frozenset({Status.COMPLETED, Status.WITHDRAWN})
# The one table of instance status moves (STYLE 6); fold.apply checks every move against it.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    Status.RUNNING: frozenset({Status.RUNNING, Status.BLOCKED, Status.ERROR, Status.RETURNED, *TERMINAL}),
    Status.BLOCKED: frozenset({Status.RUNNING, Status.BLOCKED, Status.ERROR, Status.RETURNED, *TERMINAL}),
    Status.ERROR: frozenset({Status.RUNNING, Status.BLOCKED, Status.ERROR, Status.RETURNED, *TERMINAL}),
    Status.RETURNED: frozenset({Status.RUNNING, Status.WITHDRAWN}),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


_T = TypeVar("_T")


class TaskStatus(StrEnum):
    """Task statuses; OPEN ones can still change."""

    PENDING = "pending"  # the assignee can act
    SUSPENDED = "suspended"  # waiting for signers added before it (加签 before)
    WAITING = "waiting"  # a signer added after: activated when the original task is approved
    APPROVED = "approved"
    DONE = "done"  # handle (办理) tasks are done rather than approved
    REJECTED = "rejected"
    CANCELLED = "cancelled"


OPEN_TASK = frozenset({TaskStatus.PENDING, TaskStatus.SUSPENDED, TaskStatus.WAITING})
DECIDED_TASK = frozenset({TaskStatus.APPROVED, TaskStatus.DONE, TaskStatus.REJECTED})


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """Return a JSON-plain deep copy (tuples become lists)."""
    if type(value) in _SCALARS:  # the common case first: immutable, nothing to copy
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return copy.deepcopy(value)


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def evolve(obj: _T, changes: Mapping[str, Any]) -> _T:
    """``dataclasses.replace`` for the engine's frozen records, without re-running ``__init__``.

    The fold copies a task, token or state for every event; ``replace`` builds keyword
    arguments and calls the generated ``__init__`` each time, which was the engine's largest
    single cost. These dataclasses have no ``__post_init__``, so copying the attribute dict
    is equivalent. Unknown names are refused as ``replace`` would.
    """
    unknown = changes.keys() - set(_field_names(type(obj)))
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field(s) {sorted(unknown)}")
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


@dataclass(frozen=True)
class Task:
    """One person's piece of work at a node visit (a token)."""

    id: str
    node_id: str
    token_id: str
    assignee: str
    status: str = TaskStatus.PENDING
    kind: str = "normal"  # "normal" | "added_before" | "added_after"
    original_assignee: str | None = None  # set when delegation or transfer moved the task
    delegated: bool = False
    parent_id: str | None = None  # the task an added signer was added to
    added_by: str | None = None
    due_at: str | None = None  # SLA: the earliest escalate/auto_transfer/timeout due time
    decided_by: str | None = None
    auto_reason: str | None = None  # "initiator" | "consecutive" when approved automatically
    visit: int | None = None  # the node visit (seq of its node_activated event) the task belongs to
    slot: int | None = None  # index in the token's resolved assignees (sequential order); None for signers

    @property
    def open(self) -> bool:
        """Return True while the task can still change."""
        return self.status in OPEN_TASK

    def to_dict(self) -> dict[str, Any]:
        """Return the task as plain JSON."""
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Task:
        """Build a task from ``to_dict`` output."""
        return cls(**{name: data[name] for name in _field_names(cls) if name in data})


@dataclass(frozen=True)
class Token:
    """A position of the running flow: where one branch stands and what it waits for."""

    id: str
    node_id: str
    scope: tuple[str, ...] = ()  # parallel groups this branch is inside, outermost first
    wait: str | None = None  # "task" | "service" | "delay" | "subprocess" | "join" | "blocked" | "error"
    mode: str | None = None  # task nodes: approval mode and its settings at activation
    threshold: float | None = None
    assignees: tuple[str, ...] = ()  # task nodes: the resolved people, in order (sequential order)
    issue: Mapping[str, Any] | None = None  # blocked/error: {"code", "message", ...}
    visit: int | None = None  # task nodes: seq of the node_activated event (a token passes many nodes)

    def to_dict(self) -> dict[str, Any]:
        """Return the token as plain JSON."""
        return {
            "id": self.id,
            "node_id": self.node_id,
            "scope": list(self.scope),
            "wait": self.wait,
            "mode": self.mode,
            "threshold": self.threshold,
            "assignees": list(self.assignees),
            "issue": _plain(self.issue) if self.issue is not None else None,
            "visit": self.visit,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Token:
        """Build a token from ``to_dict`` output."""
        return cls(
            id=data["id"],
            node_id=data["node_id"],
            scope=tuple(data.get("scope") or ()),
            wait=data.get("wait"),
            mode=data.get("mode"),
            threshold=data.get("threshold"),
            assignees=tuple(data.get("assignees") or ()),
            issue=data.get("issue"),
            visit=data.get("visit"),
        )


@dataclass(frozen=True)
class InstanceState:
    """Everything the engine needs to decide the next step of one running request."""

    status: str
    initiator: str
    data: Mapping[str, Any]
    urgent: bool = False
    picks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    flow_version: str | None = None
    app: str | None = None
    outcome: str | None = None  # "approved" | "rejected" | "withdrawn" once terminal
    tokens: tuple[Token, ...] = ()
    tasks: tuple[Task, ...] = ()
    trail: tuple[str, ...] = ()  # task nodes completed outside parallel branches, in order (return targets)
    last_deciders: tuple[str, ...] = ()  # who approved the previous task node (de-duplication)
    human_approvals: int = 0  # approvals by people since the last (re)submission (withdraw rule)
    cc: tuple[tuple[str | None, str], ...] = ()  # (node id or None for a manual cc, user id)
    seq: int = 0  # seq of the last event folded in
    task_seq: int = 0
    token_seq: int = 0
    group_seq: int = 0
    request_ids: tuple[str, ...] = ()  # recent client request ids (idempotent retries)

    def task(self, task_id: str) -> Task | None:
        """Return the task with ``task_id`` or None."""
        return next((t for t in self.tasks if t.id == task_id), None)

    def token(self, token_id: str) -> Token | None:
        """Return the token with ``token_id`` or None."""
        return next((t for t in self.tokens if t.id == token_id), None)

    def open_tasks(self) -> list[Task]:
        """Return the tasks that can still change."""
        return [t for t in self.tasks if t.open]

    def pending_tasks(self) -> list[Task]:
        """Return the tasks someone can act on now."""
        return [t for t in self.tasks if t.status == TaskStatus.PENDING]

    def to_dict(self) -> dict[str, Any]:
        """Return the state as plain JSON."""
        return {
            "status": str(self.status),
            "initiator": self.initiator,
            "data": _plain(self.data),
            "urgent": self.urgent,
            "picks": {k: list(v) for k, v in self.picks.items()},
            "flow_version": self.flow_version,
            "app": self.app,
            "outcome": self.outcome,
            "tokens": [t.to_dict() for t in self.tokens],
            "tasks": [t.to_dict() for t in self.tasks],
            "trail": list(self.trail),
            "last_deciders": list(self.last_deciders),
            "human_approvals": self.human_approvals,
            "cc": [list(c) for c in self.cc],
            "seq": self.seq,
            "task_seq": self.task_seq,
            "token_seq": self.token_seq,
            "group_seq": self.group_seq,
            "request_ids": list(self.request_ids),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InstanceState:
        """Build a state from ``to_dict`` output."""
        return cls(
            status=Status(data["status"]),
            initiator=data["initiator"],
            data=dict(data.get("data") or {}),
            urgent=bool(data.get("urgent", False)),
            picks={k: tuple(v) for k, v in (data.get("picks") or {}).items()},
            flow_version=data.get("flow_version"),
            app=data.get("app"),
            outcome=data.get("outcome"),
            tokens=tuple(Token.from_dict(t) for t in data.get("tokens") or ()),
            tasks=tuple(Task.from_dict(t) for t in data.get("tasks") or ()),
            trail=tuple(data.get("trail") or ()),
            last_deciders=tuple(data.get("last_deciders") or ()),
            human_approvals=int(data.get("human_approvals", 0)),
            cc=tuple((c[0], c[1]) for c in data.get("cc") or ()),
            seq=int(data.get("seq", 0)),
            task_seq=int(data.get("task_seq", 0)),
            token_seq=int(data.get("token_seq", 0)),
            group_seq=int(data.get("group_seq", 0)),
            request_ids=tuple(data.get("request_ids") or ()),
        )

    def evolve(self, **changes: Any) -> InstanceState:
        """Return a copy with ``changes`` (used by the fold only)."""
        return evolve(self, changes)


@dataclass(frozen=True)
class Event:
    """One recorded fact; the state is the fold of all events (``seq`` from 1, no gaps)."""

    seq: int
    type: str
    data: Mapping[str, Any]
    actor: str | None = None
    at: str | None = None  # ISO time from EngineContext.now
    request_id: str | None = None
    comment: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the event as plain JSON."""
        return {
            "seq": self.seq,
            "type": self.type,
            "data": _plain(self.data),
            "actor": self.actor,
            "at": self.at,
            "request_id": self.request_id,
            "comment": self.comment,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """Build an event from ``to_dict`` output."""
        return cls(
            seq=int(data["seq"]),
            type=data["type"],
            data=dict(data.get("data") or {}),
            actor=data.get("actor"),
            at=data.get("at"),
            request_id=data.get("request_id"),
            comment=data.get("comment"),
        )


# --- effects: what Django code must carry out after committing the events -------------


@dataclass(frozen=True)
class Notify:
    """Tell ``users`` about something (inbox, websocket, IM) — kind in NOTIFY_KINDS."""

    kind: str
    users: tuple[str, ...]
    task_id: str | None = None
    node_id: str | None = None
    instance_id: str | None = None
    type: str = "notify"


NOTIFY_KINDS = (
    "new_task", "reminder", "escalated", "approved", "rejected", "returned", "cc", "urged", "transferred",
    "withdrawn", "error", "handed_over", "overdue",
)


@dataclass(frozen=True)
class ScheduleTimer:
    """Store a timer that fires ``Timeout``/``DelayElapsed`` at ``due_at`` (task id or node+token)."""

    kind: str  # remind | escalate | auto_transfer | timeout | delay
    due_at: str
    task_id: str | None = None
    node_id: str | None = None
    token_id: str | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    instance_id: str | None = None
    type: str = "schedule_timer"


@dataclass(frozen=True)
class CancelTimers:
    """Drop the stored timers of a task (or of a node's token)."""

    task_id: str | None = None
    token_id: str | None = None
    instance_id: str | None = None
    type: str = "cancel_timers"


@dataclass(frozen=True)
class CallConnector:
    """Call a connector through the outbox; the answer comes back as ``ServiceCompleted``."""

    node_id: str
    token_id: str
    connector: str
    operation: str | None
    input: Mapping[str, Any]
    instance_id: str | None = None
    type: str = "call_connector"


@dataclass(frozen=True)
class StartSubprocess:
    """Start a child instance of ``app``; when it ends, send ``SubprocessCompleted`` (if waited for)."""

    node_id: str
    token_id: str
    app: str
    input: Mapping[str, Any]
    wait: bool = True
    instance_id: str | None = None
    type: str = "start_subprocess"


Effect = Notify | ScheduleTimer | CancelTimers | CallConnector | StartSubprocess


def effect_to_dict(effect: Effect) -> dict[str, Any]:
    """Return an effect as plain JSON (``type`` names the kind)."""
    return {f.name: _plain(getattr(effect, f.name)) for f in fields(effect)}


@dataclass(frozen=True)
class StepResult:
    """What one step produced: the new state, the events that made it, and effects to carry out."""

    state: InstanceState
    events: tuple[Event, ...]
    effects: tuple[Effect, ...]
