"""Errors of background jobs (codes are API contract)."""

from __future__ import annotations

from platform_core.errors import NotFound, PlatformError, ValidationFailed, gettext_noop


class JobDoesNotExist(NotFound):
    code = "job_not_found"
    message = gettext_noop("This job does not exist.")


class JobParamsInvalid(ValidationFailed):
    code = "job_params_invalid"
    message = gettext_noop("The job's parameters are not valid.")


class JobKindUnknown(ValidationFailed):
    code = "job_kind_unknown"
    message = gettext_noop("Unknown kind of job “%(kind)s”.")


class JobOutputMissing(NotFound):
    code = "job_output_missing"
    message = gettext_noop("This job has no file to download (yet).")


class JobStopped(PlatformError):
    """Raised at a progress point when the job was cancelled or taken over: stop working."""

    code = "job_stopped"
    message = gettext_noop("The job was stopped.")
