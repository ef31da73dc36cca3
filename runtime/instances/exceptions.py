"""Errors of running requests (codes are API contract; domain code never mentions HTTP)."""

from platform_core.errors import Conflict, NotFound, ValidationFailed, gettext_noop


class InstanceDoesNotExist(NotFound):
    """Also raised for instances the user may not see (no hint that they exist)."""

    code = "instance_not_found"
    message = gettext_noop("Request not found.")


class TaskDoesNotExist(NotFound):
    code = "task_not_found"
    message = gettext_noop("Task not found.")


class VersionConflict(Conflict):
    code = "version_conflict"
    message = gettext_noop(
        "The request was changed by someone else in the meantime (version %(current)s, you saw version "
        "%(expected)s). Reload it and try again."
    )


class RequestIdReused(Conflict):
    code = "request_id_reused"
    message = gettext_noop("This request id was already used for a different action; send a new one.")


class ActionInvalid(ValidationFailed):
    code = "action_invalid"
    message = gettext_noop("The action is not valid: %(reason)s")


class UrgeTooSoon(Conflict):
    code = "urge_too_soon"
    message = gettext_noop("You already sent a reminder recently; try again in %(minutes)s minutes.")
