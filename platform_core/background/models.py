"""Background jobs: long exports and imports that run outside the request, with progress.

A :class:`BackgroundJob` is one user's request for long work (an audit log export, an app
import). The API creates it ``queued``; ``services.jobs_run`` (the ``run_jobs`` periodic job
of the embedded runner and of Celery beat) or the ``qiaoban.run_job`` Celery task claims it
with a lease, runs its kind (``registries.job_type_registry``) and records the outcome.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_core.errors import InvalidTransition


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# The one table of allowed status changes (STYLE 6). running -> running: taken over by another
# runner after the lease ran out; running -> queued: an unexpected error, tried again later.
TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELLED}),
    JobStatus.RUNNING: frozenset({JobStatus.RUNNING, JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED,
                                  JobStatus.QUEUED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}
FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


def check_transition(current: str, new: str) -> None:
    """Raise InvalidTransition unless ``current -> new`` is in TRANSITIONS."""
    if new not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(details={"status": current, "to": new})


def job_file_path(instance: BackgroundJob, filename: str) -> str:
    # One folder per job: names stay readable and never collide between jobs.
    return f"jobs/{instance.pk}/{filename}"


class BackgroundJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)  # a type of registries.job_type_registry
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to=job_file_path, max_length=300, blank=True)
    input_name = models.CharField(_("input file name"), max_length=255, blank=True)
    input_content_type = models.CharField(_("input content type"), max_length=128, blank=True)
    output_file = models.FileField(_("output file"), upload_to=job_file_path, max_length=300, blank=True)
    output_name = models.CharField(_("output file name"), max_length=255, blank=True)
    output_content_type = models.CharField(_("output content type"), max_length=128, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.JSONField(_("error"), null=True, blank=True)  # {"code", "message"[, "details"]}
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE,
                                   related_name="background_jobs")
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)  # fence: bumped by every claim
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "lease_until"], name="bgjobs_status_lease"),
            models.Index(fields=["created_by", "-created_at"], name="bgjobs_creator_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def as_event(self) -> dict[str, Any]:
        """The payload of the ``job.updated`` websocket message."""
        return {"id": str(self.pk), "kind": self.kind, "status": self.status,
                "progress_done": self.progress_done, "progress_total": self.progress_total,
                "error": self.error}
