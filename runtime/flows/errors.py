"""Errors raised by flow definitions and assignee resolution (pure Python)."""

from __future__ import annotations

from platform_core.errors import PlatformError, ValidationFailed, gettext_noop


class FlowInvalid(ValidationFailed):
    """A flow document cannot be loaded; ``details`` lists the issues as dicts."""

    code = "flow_invalid"
    message = gettext_noop("The flow definition is not valid: %(count)s problem(s), first: %(first)s")


class FlowSchemaVersionUnsupported(FlowInvalid):
    code = "flow_schema_version_unsupported"
    message = gettext_noop(
        "The flow was saved with format version %(version)s, which this server cannot read "
        "(it reads up to version %(current)s)."
    )


class AssigneeResolutionError(PlatformError):
    """Base of the errors found while working out who a task goes to."""

    code = "assignee_resolution_failed"
    message = gettext_noop("Could not work out who node “%(node)s” goes to.")


class ApproverNotFound(AssigneeResolutionError):
    """Nobody was found and the node is configured to stop with an error (``on_empty: error``)."""

    code = "approver_not_found"
    message = gettext_noop(
        "Nobody can handle node “%(node)s” and it is set to stop in that case; ask the process "
        "administrator to fix the organisation data or the node's assignee settings."
    )


class ApproverFallbackEmpty(ApproverNotFound):
    """Nobody was found and the "admin" fallback found no active process administrator either."""

    code = "approver_fallback_empty"
    message = gettext_noop(
        "Nobody can handle node “%(node)s”, and there is no active process administrator to hand it to."
    )


class OrgCycleDetected(AssigneeResolutionError):
    """The manager chain or the department tree loops back on itself."""

    code = "org_cycle_detected"
    message = gettext_noop(
        "The organisation data loops back on itself (%(kind)s: %(chain)s); ask an administrator to fix "
        "the managers or parent departments."
    )


class AssigneeDataMissing(AssigneeResolutionError):
    """A data-dependent rule (dynamic selection) reads form values that are missing."""

    code = "assignee_data_missing"
    message = gettext_noop(
        "The assignee of node “%(node)s” depends on %(fields)s, which the form does not fill in."
    )
