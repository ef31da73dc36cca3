"""The one exception base of the platform (pure Python, no Django imports).

Domain code raises subclasses of :class:`PlatformError` with a stable ``code``
(API contract, tested), an English message template (the gettext msgid) and
parameters. The API layer translates the template with Django's gettext for the
request's language and formats it with the parameters; domain code never
mentions HTTP.
"""

from __future__ import annotations

from typing import Any


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it (picked up by makemessages)."""
    return message


class PlatformError(Exception):
    """Base of every domain error; carries a stable code, a message template and details."""

    code: str = "error"
    message: str = gettext_noop("Something went wrong.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        details: Any = None,
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = dict(params or {})
        self.details = details
        super().__init__(self.formatted())

    def formatted(self, translate: Any = None) -> str:
        """Return the message, translated by ``translate`` (a gettext) when given."""
        template = translate(self.message) if translate else self.message
        if not self.params:
            return template
        try:
            return template % self.params
        except (KeyError, TypeError, ValueError):
            return template

    def as_dict(self, translate: Any = None) -> dict[str, Any]:
        """Return the ``{"code", "message", "details"}`` body of the API error shape."""
        return {"code": self.code, "message": self.formatted(translate), "details": self.details}


class NotFound(PlatformError):
    code = "not_found"
    message = gettext_noop("Not found.")


class PermissionDenied(PlatformError):
    code = "permission_denied"
    message = gettext_noop("You do not have permission to do this.")


class ValidationFailed(PlatformError):
    code = "validation_failed"
    message = gettext_noop("The data is not valid.")


class Conflict(PlatformError):
    code = "conflict"
    message = gettext_noop("The data was changed by someone else; reload and try again.")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    message = gettext_noop("This action is not allowed in the current state.")
