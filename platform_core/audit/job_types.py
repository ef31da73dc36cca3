"""The ``audit_export`` background job: the audit log export of the API, as a file to download later."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from platform_core.audit import exporting, selectors
from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_record
from platform_core.background.exceptions import JobParamsInvalid
from platform_core.background.registries import JobOutcome, JobOutput, JobType, ProgressReporter
from platform_core.errors import PermissionDenied
from platform_core.org.permissions import AUDIT_READ, has_permission

PROGRESS_EVERY = 1000  # rows between two progress points


def _counted(events: Iterable[AuditEvent], total: int, report_progress: ProgressReporter) -> Iterator[AuditEvent]:
    done = 0
    for event in events:
        yield event
        done += 1
        if done % PROGRESS_EVERY == 0:
            report_progress(done, total)


class AuditExportJobType(JobType):
    """Params: ``format`` (xlsx or csv) and the filters of ``GET /api/v1/audit/events/export/``."""

    type = "audit_export"

    def check_permission(self, actor: Any) -> None:
        if not has_permission(actor, AUDIT_READ):
            raise PermissionDenied()

    def clean_params(self, params: Mapping[str, Any], upload: Any | None) -> dict[str, Any]:
        allowed = {"format", *selectors.FILTERS}
        details: dict[str, list[str]] = {}
        for name in sorted(set(params) - allowed):
            details[name] = [gettext("Unknown parameter; use %(names)s.") % {"names": ", ".join(sorted(allowed))}]
        cleaned: dict[str, Any] = {}
        for name in sorted(set(params) & allowed):
            value = params[name]
            if value in (None, ""):
                continue
            if isinstance(value, bool) or not isinstance(value, str | int):
                details[name] = [gettext("Text is required.")]
                continue
            cleaned[name] = str(value)
        cleaned.setdefault("format", "xlsx")
        if cleaned["format"] not in exporting.FORMATS:
            details["format"] = [gettext("Use xlsx or csv.")]
        if details:
            raise JobParamsInvalid(details=details)
        # The same checks as the synchronous export, now (400) rather than when the job runs.
        exporting.checked(selectors.audit_event_list(cleaned))
        return cleaned

    def run(self, job: Any, report_progress: ProgressReporter) -> JobOutcome:
        kind = job.params.get("format", "xlsx")
        filters = {k: v for k, v in job.params.items() if k in selectors.FILTERS}
        qs = exporting.checked(selectors.audit_event_list(filters))
        total = qs.count()
        report_progress(0, total)
        events = _counted(qs.iterator(chunk_size=2000), total, report_progress)
        if kind == "csv":
            body = exporting.to_csv(events)
        else:
            body = exporting.to_xlsx(events, title=str(AuditEvent._meta.verbose_name_plural))
        report_progress(total, total)
        # Reading the log out of the system is itself recorded (as the synchronous export does).
        audit_record(actor=job.created_by, action="audit.export", target_type="audit_log", target_id="-",
                     after={"format": kind, "filters": filters, "job": str(job.pk)})
        content_type, extension = exporting.FORMATS[kind]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        name = f"audit-events-{stamp}.{extension}"
        return JobOutcome(result={"rows": total, "format": kind, "filename": name},
                          output=JobOutput(name=name, content_type=content_type, content=body))
