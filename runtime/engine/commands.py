"""Commands: what someone (or the system) asks the engine to do. Frozen dataclasses.

Every command names its ``actor`` (a user id, or ``SYSTEM`` for timers and connectors),
may carry a ``comment``, and a client ``request_id`` that makes a retried command a
no-op. ``command_from_dict`` rebuilds a command from JSON (``{"type": ..., ...}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

SYSTEM = "system"  # the actor of timer and connector commands (STYLE 4: audited like anyone)


@dataclass(frozen=True, kw_only=True)
class Command:
    """Base of commands."""

    type: ClassVar[str] = ""
    actor: str
    comment: str | None = None
    request_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the command as plain JSON."""
        out: dict[str, Any] = {"type": self.type}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
            out[f.name] = value
        return out


@dataclass(frozen=True, kw_only=True)
class Submit(Command):
    type: ClassVar[str] = "submit"
    form_data: Mapping[str, Any] = field(default_factory=dict)
    urgent: bool = False
    picks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # node id -> chosen users


@dataclass(frozen=True, kw_only=True)
class Approve(Command):
    """Approve an approval task, or complete a handle (办理) task."""

    type: ClassVar[str] = "approve"
    task_id: str
    form_patch: Mapping[str, Any] | None = None  # only fields editable at the task's node


@dataclass(frozen=True, kw_only=True)
class Reject(Command):
    type: ClassVar[str] = "reject"
    task_id: str


@dataclass(frozen=True, kw_only=True)
class Return(Command):
    type: ClassVar[str] = "return"
    task_id: str
    to: str = "initiator"  # "initiator" | "previous" | an earlier task node id


@dataclass(frozen=True, kw_only=True)
class Resubmit(Command):
    type: ClassVar[str] = "resubmit"
    form_data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Withdraw(Command):
    type: ClassVar[str] = "withdraw"


@dataclass(frozen=True, kw_only=True)
class Transfer(Command):
    type: ClassVar[str] = "transfer"
    task_id: str
    to_user: str


@dataclass(frozen=True, kw_only=True)
class AddSigner(Command):
    type: ClassVar[str] = "add_signer"
    task_id: str
    users: tuple[str, ...]
    position: str = "before"  # "before" | "after"


@dataclass(frozen=True, kw_only=True)
class RemoveSigner(Command):
    type: ClassVar[str] = "remove_signer"
    task_id: str  # the added signer's task


@dataclass(frozen=True, kw_only=True)
class Urge(Command):
    type: ClassVar[str] = "urge"


@dataclass(frozen=True, kw_only=True)
class Comment(Command):
    type: ClassVar[str] = "comment"
    task_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Cc(Command):
    type: ClassVar[str] = "cc"
    users: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Timeout(Command):
    """A task timer fired (sent by the timer service as ``SYSTEM``)."""

    type: ClassVar[str] = "timeout"
    task_id: str
    action: str  # remind | escalate | auto_transfer | approve | reject | notify_admin
    timer: Mapping[str, Any] = field(default_factory=dict)  # the ScheduleTimer config (to, attempt, ...)


@dataclass(frozen=True, kw_only=True)
class ServiceCompleted(Command):
    type: ClassVar[str] = "service_completed"
    node_id: str
    token: str
    result: Mapping[str, Any] | None = None
    error: Mapping[str, Any] | None = None  # {"code", "message"}: no raw locals (STYLE 11)


@dataclass(frozen=True, kw_only=True)
class DelayElapsed(Command):
    type: ClassVar[str] = "delay_elapsed"
    node_id: str
    token: str


@dataclass(frozen=True, kw_only=True)
class SubprocessCompleted(Command):
    type: ClassVar[str] = "subprocess_completed"
    node_id: str
    token: str
    outcome: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    error: Mapping[str, Any] | None = None  # the child could not be started: {"code", "message"}


@dataclass(frozen=True, kw_only=True)
class Retry(Command):
    """Admin: run a blocked or failed node again, optionally fixing form data first."""

    type: ClassVar[str] = "retry"
    node_id: str
    form_patch: Mapping[str, Any] | None = None


COMMANDS: dict[str, type[Command]] = {
    c.type: c
    for c in (
        Submit, Approve, Reject, Return, Resubmit, Withdraw, Transfer, AddSigner, RemoveSigner, Urge,
        Comment, Cc, Timeout, ServiceCompleted, DelayElapsed, SubprocessCompleted, Retry,
    )
}


def command_from_dict(data: Mapping[str, Any]) -> Command:
    """Build a command from ``{"type": ..., **params}`` (lists become tuples)."""
    cls = COMMANDS[data["type"]]
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in ("users",):
            value = tuple(value)
        elif f.name == "picks":
            value = {k: tuple(v) for k, v in (value or {}).items()}
        kwargs[f.name] = value
    return cls(**kwargs)
