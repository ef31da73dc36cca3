"""Errors the engine raises when it refuses a command (pure Python).

Every error carries a stable ``code`` (API contract) and ``details`` with the node id and
the flow version, so the API can say where in which published flow the refusal happened.
A refused command changes nothing: ``step`` raises before any state is returned.
"""

from __future__ import annotations

from typing import Any

from platform_core import errors as core
from platform_core.errors import PlatformError, gettext_noop


class EngineError(PlatformError):
    """Base of the engine's refusals; ``details`` holds ``node_id`` and ``flow_version``."""

    code = "engine_error"
    message = gettext_noop("The request could not be processed.")

    def __init__(
        self,
        message: str | None = None,
        *,
        node_id: str | None = None,
        flow_version: str | None = None,
        params: dict[str, Any] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(
            message,
            params=params,
            details={"node_id": node_id, "flow_version": flow_version, **details},
        )

    @property
    def node_id(self) -> str | None:
        """Return the node the error is about (None for instance-wide refusals)."""
        return dict(self.details or {}).get("node_id")


class InvalidTransition(EngineError, core.InvalidTransition):
    """The command is not allowed in the instance's current status."""

    code = "invalid_transition"
    message = gettext_noop("This action is not allowed while the request is %(status)s.")


class TaskNotActive(InvalidTransition):
    """The task exists but cannot be acted on now (cancelled, suspended, waiting) or does not exist."""

    code = "task_not_active"
    message = gettext_noop("This task cannot be acted on now (it is %(status)s).")


class TaskAlreadyCompleted(TaskNotActive):
    """The task was already decided; the API maps this to 409."""

    code = "task_already_completed"
    message = gettext_noop("This task has already been completed.")


class NotAnAssignee(EngineError, core.PermissionDenied):
    """The actor is not the person the task is assigned to (API: 403)."""

    code = "not_an_assignee"
    message = gettext_noop("Only the person this task is assigned to can do this.")


class NotTheInitiator(EngineError, core.PermissionDenied):
    """Only the initiator may withdraw, resubmit or urge."""

    code = "not_the_initiator"
    message = gettext_noop("Only the person who submitted the request can do this.")


class SignerNotYours(EngineError, core.PermissionDenied):
    """Only the person who added a signer may remove them."""

    code = "signer_not_yours"
    message = gettext_noop("Only the person who added this signer can remove them.")


class WithdrawNotAllowed(InvalidTransition):
    """Withdrawing is refused by the flow's withdraw setting."""

    code = "withdraw_not_allowed"
    message = gettext_noop("The request can no longer be withdrawn (%(reason)s).")


class FieldNotEditable(EngineError, core.ValidationFailed):
    """A form patch touches a field that is not editable at this node."""

    code = "field_not_editable"
    message = gettext_noop("Field “%(field)s” cannot be changed at this step.")


class InvalidCommand(EngineError, core.ValidationFailed):
    """The command's parameters are wrong (unknown user, bad return target, ...)."""

    code = "invalid_command"
    message = gettext_noop("The action is not valid: %(reason)s.")


class RoutingBlocked(EngineError):
    """A gateway cannot route (missing data or no matching branch)."""

    code = "routing_blocked"
    message = gettext_noop("The request cannot continue at “%(node)s”: %(reason)s.")


class ApproverNotFound(EngineError):
    """Nobody was found for a task node whose fallback is "error"."""

    code = "approver_not_found"
    message = gettext_noop("Nobody can handle “%(node)s”.")


class FlowLoop(EngineError):
    """The flow passed through too many nodes in one step (a loop without a wait state)."""

    code = "flow_loop"
    message = gettext_noop("The flow loops without stopping at “%(node)s”.")
