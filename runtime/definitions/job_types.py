"""The ``app_import`` background job: ``services.app_import`` of an uploaded app export, run later."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from platform_core.background.exceptions import JobParamsInvalid
from platform_core.background.registries import JobOutcome, JobType, ProgressReporter
from platform_core.errors import PermissionDenied
from platform_core.org.permissions import APPS_DESIGN, has_permission
from runtime.definitions import portable
from runtime.definitions.exceptions import ImportInvalid
from runtime.definitions.portable import MAX_IMPORT_BYTES


class AppImportJobType(JobType):
    """Input file: an app exported as JSON (at most MAX_IMPORT_BYTES, as the synchronous import)."""

    type = "app_import"
    accepts_file = True

    def check_permission(self, actor: Any) -> None:
        if not has_permission(actor, APPS_DESIGN):
            raise PermissionDenied()

    def clean_params(self, params: Mapping[str, Any], upload: Any | None) -> dict[str, Any]:
        if params:
            raise JobParamsInvalid(details={name: [gettext("This kind of job takes no parameters.")]
                                            for name in sorted(params)})
        assert upload is not None
        if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            raise ImportInvalid(ImportInvalid.TOO_LARGE, params={"size": upload.size, "limit": MAX_IMPORT_BYTES})
        # Checked now, so a file that is not an app export is a 400 at once, not a failed job.
        upload.seek(0)
        portable.parse_file(upload.read(MAX_IMPORT_BYTES + 1))
        return {}

    def run(self, job: Any, report_progress: ProgressReporter) -> JobOutcome:
        from runtime.definitions.services import app_import

        with job.input_file.open("rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
        report_progress(0, 1)
        # The import and the job's last progress point commit together: a job cancelled meanwhile
        # (JobStopped at the progress point) rolls the whole import back, and nothing is half-written.
        with transaction.atomic():
            app, report = app_import(actor=job.created_by, file=raw)
            report_progress(1, 1)
        return JobOutcome(result={"app": app.key, "report": report})
