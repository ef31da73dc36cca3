"""Errors and issues of the forms package (codes are API contract)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from platform_core.errors import PlatformError, ValidationFailed, gettext_noop

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class FormIssue:
    """One problem of a form definition, pointing at a field and a place in the document."""

    code: str
    message: str  # gettext_noop template with %(name)s params
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = ERROR  # "error" refuses publishing; "warning" is shown only
    field: str | None = None  # dotted field path, when the issue is about one field
    pointer: str = ""  # JSON pointer into the form document

    def as_dict(self) -> dict[str, Any]:
        """Return the issue as plain data for the API."""
        return asdict(self)

    def formatted(self) -> str:
        """Return the English message with its parameters filled in (logs and tests)."""
        try:
            return self.message % self.params
        except (KeyError, TypeError, ValueError):
            return self.message


class FormInvalid(PlatformError):
    code = "form_invalid"
    message = gettext_noop("The form definition has errors.")


class SubmissionInvalid(ValidationFailed):
    code = "submission_invalid"
    message = gettext_noop("Some fields are not filled in correctly.")


class FormSchemaVersionUnsupported(FormInvalid):
    code = "form_schema_version_unsupported"
    message = gettext_noop("This form was saved by a newer version (schema_version %(version)s).")
