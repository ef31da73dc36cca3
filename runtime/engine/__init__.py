"""The flow engine: a published flow version interpreted into a running instance (pure Python).

``step(flow, state, command, ctx=...)`` validates a command, decides, and returns the new
state, the events that produced it and the effects Django code must carry out. State is
only ever the fold of events (``apply``/``replay``). No Django imports here (a test
enforces it). See ``docs/engine.md``.
"""

from __future__ import annotations

from runtime.engine.commands import (
    SYSTEM,
    AddSigner,
    Approve,
    Cc,
    Command,
    Comment,
    DelayElapsed,
    Reject,
    RemoveSigner,
    Resubmit,
    Retry,
    Return,
    ServiceCompleted,
    Submit,
    SubprocessCompleted,
    Timeout,
    Transfer,
    Urge,
    Withdraw,
    command_from_dict,
)
from runtime.engine.context import EngineContext, EngineSettings
from runtime.engine.core import step
from runtime.engine.errors import (
    ApproverNotFound,
    EngineError,
    FieldNotEditable,
    FlowLoop,
    InvalidCommand,
    InvalidTransition,
    NotAnAssignee,
    NotTheInitiator,
    RoutingBlocked,
    SignerNotYours,
    TaskAlreadyCompleted,
    TaskNotActive,
    WithdrawNotAllowed,
)
from runtime.engine.fold import EVENT_TYPES, apply, replay
from runtime.engine.model import (
    TRANSITIONS,
    CallConnector,
    CancelTimers,
    Effect,
    Event,
    InstanceState,
    Notify,
    ScheduleTimer,
    StartSubprocess,
    Status,
    StepResult,
    Task,
    TaskStatus,
    Token,
    effect_to_dict,
)
from runtime.engine.reads import tasks_for, visible_data

__all__ = [
    "EVENT_TYPES", "SYSTEM", "TRANSITIONS",
    "AddSigner", "Approve", "ApproverNotFound", "CallConnector", "CancelTimers", "Cc", "Command", "Comment",
    "DelayElapsed", "Effect", "EngineContext", "EngineError", "EngineSettings", "Event", "FieldNotEditable",
    "FlowLoop", "InstanceState", "InvalidCommand", "InvalidTransition", "NotAnAssignee", "NotTheInitiator",
    "Notify", "Reject", "RemoveSigner", "Resubmit", "Retry", "Return", "RoutingBlocked", "ScheduleTimer",
    "ServiceCompleted", "SignerNotYours", "StartSubprocess", "Status", "StepResult", "Submit",
    "SubprocessCompleted", "Task", "TaskAlreadyCompleted", "TaskNotActive", "TaskStatus", "Timeout", "Token",
    "Transfer", "Urge", "Withdraw", "WithdrawNotAllowed",
    "apply", "command_from_dict", "effect_to_dict", "replay", "step", "tasks_for", "visible_data",
]
