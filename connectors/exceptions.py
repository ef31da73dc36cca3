"""Connector errors: each says whether trying again later can help (``retryable``)."""

from __future__ import annotations

from typing import Any

from platform_core.errors import NotFound, PlatformError, ValidationFailed, gettext_noop


class ConnectorError(PlatformError):
    """A connector call failed. ``retryable`` tells the outbox whether to try again later."""

    code = "connector_failed"
    message = gettext_noop("The connector call failed.")
    retryable = False

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        # Seconds the remote asked us to wait (HTTP Retry-After); the outbox waits at least that long.
        self.retry_after = retry_after


class ConnectorUnavailable(ConnectorError):
    """The remote system did not answer usefully now (5xx, 429, timeout, connection refused)."""

    code = "connector_unavailable"
    message = gettext_noop("The connected system is not available (%(reason)s).")
    retryable = True


class ConnectorRejected(ConnectorError):
    """The remote system refused the call (4xx) or answered with something that is not a result."""

    code = "connector_rejected"
    message = gettext_noop("The connected system refused the call (%(reason)s).")


class ConnectorDoesNotExist(ConnectorError, NotFound):
    code = "connector_not_found"
    message = gettext_noop("No active connector “%(key)s” is set up; an administrator must add it.")


class ConnectorConfigInvalid(ConnectorError, ValidationFailed):
    code = "connector_config_invalid"
    message = gettext_noop("The settings of connector “%(key)s” are not valid: %(reason)s")


class ConnectorKindInvalid(ValidationFailed):
    code = "connector_kind_invalid"
    message = gettext_noop("Unknown connector kind “%(kind)s”.")
