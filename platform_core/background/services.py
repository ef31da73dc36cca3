"""Background jobs: create, run (claimed with leases, safe to run concurrently) and cancel.

Claiming follows runtime.timers.services.timers_fire: a short transaction selects due rows
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and takes each with a compare-and-set UPDATE on
``attempts`` (the fence), so two runners never take the same row even where the SELECT
locked nothing (SQLite). The work itself runs outside any long transaction; every progress
point renews the lease through the same fence, and a fence that no longer matches (the job
was cancelled, or its lease ran out and another runner took it) stops the run.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.background.exceptions import JobDoesNotExist, JobKindUnknown, JobParamsInvalid, JobStopped
from platform_core.background.models import BackgroundJob, JobStatus, check_transition
from platform_core.background.registries import JobOutcome, JobType, job_type_registry
from platform_core.errors import PermissionDenied, PlatformError, gettext_noop
from platform_core.realtime.publish import publish_to_users

logger = logging.getLogger("qiaoban.background")

LEASE = timedelta(minutes=2)  # renewed at every progress point
RETRY_AFTER = timedelta(seconds=30)  # an unexpected error is tried again after this
MAX_ATTEMPTS = 3
PUSH_EVERY = 1.0  # seconds between two progress messages of one job (status changes always go)
EVENT = "job.updated"

FAILED_MESSAGE = gettext_noop("The job failed unexpectedly; try again, or ask an administrator to look at the log.")
LOST_MESSAGE = gettext_noop("The job stopped %(attempts)s times without finishing; it will not be tried again.")

T = TypeVar("T")


@dataclass
class RunCounts:
    """What one ``jobs_run`` did (``claimed`` is what the runner's full-batch check reads)."""

    claimed: int = 0
    succeeded: int = 0
    failed: int = 0
    retried: int = 0
    stopped: int = 0  # cancelled meanwhile, or taken over after the lease ran out

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# --- create ------------------------------------------------------------------------------------------

def _job_type(kind: Any) -> JobType:
    if not isinstance(kind, str) or kind not in job_type_registry:
        raise JobKindUnknown(params={"kind": kind}, details={"kind": [gettext("Use one of: %(kinds)s.") % {
            "kinds": ", ".join(job_type_registry.types())}]})
    return job_type_registry.get(kind)


def _language() -> str:
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _storage_name(filename: str, fallback: str) -> str:
    try:
        return get_valid_filename(os.path.basename(filename))[:120] or fallback
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for names like ".."
        return fallback


def job_create(*, actor: Any, kind: str, params: Any, upload: Any = None,
               meta: RequestMeta | None = None) -> BackgroundJob:
    """Queue a job of ``kind`` for ``actor`` (permission, params and row with its audit event at once)."""
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "pk", None):
        raise PermissionDenied()
    job_type = _job_type(kind)
    job_type.check_permission(actor)
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise JobParamsInvalid(details={"params": [gettext("A JSON object is required.")]})
    if job_type.accepts_file and upload is None:
        raise JobParamsInvalid(details={"file": [gettext("This kind of job needs a file.")]})
    if not job_type.accepts_file and upload is not None:
        raise JobParamsInvalid(details={"file": [gettext("This kind of job takes no file.")]})
    cleaned = job_type.clean_params(params, upload)
    job = BackgroundJob(kind=kind, params=cleaned, created_by=actor, language=_language())
    saved_file = None
    try:
        with transaction.atomic():
            if upload is not None:
                job.input_name = os.path.basename(str(upload.name or ""))[:255]
                job.input_content_type = str(getattr(upload, "content_type", "") or "")[:128]
                upload.seek(0)
                job.input_file.save(_storage_name(job.input_name, "input"), upload, save=False)
                saved_file = job.input_file.name
            job.save(force_insert=True)
            audit_record(actor=actor, action="job.create", target_type="job", target_id=job.pk, target_label=kind,
                         after={"kind": kind, "params": cleaned, "file": job.input_name or None}, meta=meta)
            publish_to_users([actor.pk], EVENT, job.as_event())
            if getattr(settings, "CELERY_BROKER_URL", None):
                transaction.on_commit(lambda: send_run_job(job.pk))
    except BaseException:
        if saved_file:
            job.input_file.storage.delete(saved_file)
        raise
    return job


def send_run_job(job_id: Any) -> None:
    """Send ``qiaoban.run_job`` (scale-out); a broker that is away only delays the job to ``run_jobs``."""
    try:
        from platform_core.background.tasks import run_job

        run_job.apply_async(args=[str(job_id)])
    except Exception:  # noqa: BLE001 - the periodic run_jobs picks the job up anyway
        logger.warning("job %s: could not send qiaoban.run_job; run_jobs will pick it up", job_id, exc_info=True)


# --- cancel ------------------------------------------------------------------------------------------

def job_cancel(*, actor: Any, job: BackgroundJob, meta: RequestMeta | None = None) -> BackgroundJob:
    """Cancel the actor's own queued or running job (a running one stops at its next progress point)."""
    with transaction.atomic():
        locked = BackgroundJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None or locked.created_by_id != getattr(actor, "pk", None):
            raise JobDoesNotExist()
        check_transition(locked.status, JobStatus.CANCELLED)
        before = locked.status
        locked.status = JobStatus.CANCELLED
        locked.finished_at = timezone.now()
        locked.lease_until = None
        locked.save(update_fields=["status", "finished_at", "lease_until"])
        audit_record(actor=actor, action="job.cancel", target_type="job", target_id=locked.pk,
                     target_label=locked.kind, before={"status": before}, after={"status": locked.status}, meta=meta)
        publish_to_users([locked.created_by_id], EVENT, locked.as_event())
    return locked


# --- run ---------------------------------------------------------------------------------------------

def _locked_retry(work: Callable[[], T]) -> T:
    """Run ``work``, retrying briefly while SQLite reports a lock (PostgreSQL waits on row locks itself)."""
    for attempt in range(50):
        try:
            return work()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(min(0.005 * (attempt + 1), 0.1))
    raise AssertionError("unreachable")


def _fence(job: BackgroundJob) -> QuerySet[BackgroundJob]:
    """The job's row while this run still owns it: running, with the claim this run made."""
    return BackgroundJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)


def _push(job: BackgroundJob) -> None:
    publish_to_users([job.created_by_id], EVENT, job.as_event())


def _due(now: datetime, job_id: Any = None) -> QuerySet[BackgroundJob]:
    queued = Q(status=JobStatus.QUEUED) & (Q(lease_until__isnull=True) | Q(lease_until__lte=now))
    lost = Q(status=JobStatus.RUNNING, lease_until__lte=now)  # its runner died or was cut off
    qs = BackgroundJob.objects.filter(queued | lost).order_by("created_at", "id")
    if job_id is not None:
        qs = qs.filter(pk=job_id)
    return qs


def _claim(limit: int, now: datetime, counts: RunCounts, job_id: Any = None) -> list[BackgroundJob]:
    with transaction.atomic():
        due = _due(now, job_id)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        claimed: list[BackgroundJob] = []
        for job in due[:limit]:
            same = BackgroundJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts)
            if job.status == JobStatus.RUNNING and job.attempts >= MAX_ATTEMPTS:
                # Its last attempt died without an outcome: give up instead of trying for ever.
                check_transition(job.status, JobStatus.FAILED)
                with translation.override(job.language):
                    error = {"code": "job_lost", "message": gettext(LOST_MESSAGE) % {"attempts": job.attempts}}
                if same.update(status=JobStatus.FAILED, error=error, finished_at=now, lease_until=None):
                    job.status, job.error = JobStatus.FAILED, error
                    counts.failed += 1
                    _push(job)
                continue
            check_transition(job.status, JobStatus.RUNNING)
            # Compare-and-set on attempts: correct even where the SELECT took no row lock.
            until = now + LEASE
            if same.update(status=JobStatus.RUNNING, attempts=F("attempts") + 1, lease_until=until, started_at=now):
                job.status, job.attempts, job.lease_until, job.started_at = (
                    JobStatus.RUNNING, job.attempts + 1, until, now)
                claimed.append(job)
                _push(job)
        return claimed


class Progress:
    """The ``report_progress(done, total=None)`` given to a job type's ``run``."""

    def __init__(self, job: BackgroundJob, clock: Callable[[], float] = time.monotonic) -> None:
        self.job = job
        self.clock = clock
        self._pushed_at: float | None = None

    def __call__(self, done: int, total: int | None = None) -> None:
        values: dict[str, Any] = {"progress_done": max(int(done), 0), "lease_until": timezone.now() + LEASE}
        if total is not None:
            values["progress_total"] = max(int(total), 0)
        if not _locked_retry(lambda: _fence(self.job).update(**values)):
            raise JobStopped()
        self.job.progress_done = values["progress_done"]
        if total is not None:
            self.job.progress_total = values["progress_total"]
        self.job.lease_until = values["lease_until"]
        now = self.clock()
        finished = self.job.progress_total is not None and self.job.progress_done >= self.job.progress_total
        if finished or self._pushed_at is None or now - self._pushed_at >= PUSH_EVERY:
            self._pushed_at = now
            _push(self.job)


def _fail(job: BackgroundJob, error: dict[str, Any], now: datetime) -> str:
    if not _locked_retry(lambda: _fence(job).update(status=JobStatus.FAILED, error=error, finished_at=now,
                                                    lease_until=None)):
        return "stopped"
    job.status, job.error, job.finished_at = JobStatus.FAILED, error, now
    _push(job)
    return "failed"


def _succeed(job: BackgroundJob, outcome: JobOutcome) -> str:
    values: dict[str, Any] = {"status": JobStatus.SUCCEEDED, "result": outcome.result, "lease_until": None}
    saved = None
    if outcome.output is not None:
        # The file is written before the row says so, outside any transaction; a run that lost
        # its claim meanwhile removes it again.
        job.output_file.save(_storage_name(outcome.output.name, "output"), ContentFile(outcome.output.content),
                             save=False)
        saved = job.output_file.name
        values.update(output_file=saved, output_name=outcome.output.name[:255],
                      output_content_type=outcome.output.content_type[:128])
    values["finished_at"] = timezone.now()
    if not _locked_retry(lambda: _fence(job).update(**values)):
        if saved:
            job.output_file.storage.delete(saved)
        return "stopped"
    for name, value in values.items():
        setattr(job, name, value)
    _push(job)
    return "succeeded"


def _run_claimed(job: BackgroundJob, now: datetime) -> str:
    """Run one claimed job to its outcome: succeeded, failed, retried (queued again) or stopped."""
    with translation.override(job.language):
        try:
            job_type = job_type_registry.get(job.kind)
            job_type.check_permission(job.created_by)  # the creator may have lost it since
            outcome = job_type.run(job, Progress(job))
        except JobStopped:
            return "stopped"
        except PlatformError as exc:
            # Expected refusals (a file that cannot be imported, a permission gone): no retry.
            error = {"code": exc.code, "message": exc.formatted(gettext)}
            if exc.details is not None:
                error["details"] = exc.details
            return _fail(job, error, timezone.now())
        except Exception:  # noqa: BLE001 - automated steps never fail silently (STYLE 11): logged, recorded
            logger.exception("job %s (%s) failed unexpectedly (attempt %s)", job.pk, job.kind, job.attempts)
            # No raw exception text in the row: it may hold personal data.
            if job.status == JobStatus.RUNNING and job.attempts >= MAX_ATTEMPTS:
                return _fail(job, {"code": "job_failed", "message": gettext(FAILED_MESSAGE)}, timezone.now())
            retry_at = timezone.now() + RETRY_AFTER
            if not _locked_retry(lambda: _fence(job).update(status=JobStatus.QUEUED, lease_until=retry_at)):
                return "stopped"
            job.status, job.lease_until = JobStatus.QUEUED, retry_at
            _push(job)
            return "retried"
        return _succeed(job, outcome)


def jobs_run(*, limit: int = 5, now: datetime | None = None) -> RunCounts:
    """Claim up to ``limit`` due jobs (queued, or running with an expired lease) and run each once.

    Safe to run concurrently with itself; call it outside any transaction.
    """
    now = now or timezone.now()
    counts = RunCounts()
    claimed = _locked_retry(lambda: _claim(limit, now, counts))
    counts.claimed = len(claimed)
    for job in claimed:
        outcome = _run_claimed(job, now)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def job_run(*, job_id: Any, now: datetime | None = None) -> RunCounts:
    """Run one job now if it is still due (the ``qiaoban.run_job`` task); a job taken by another runner is left."""
    now = now or timezone.now()
    counts = RunCounts()
    claimed = _locked_retry(lambda: _claim(1, now, counts, job_id=job_id))
    counts.claimed = len(claimed)
    for job in claimed:
        outcome = _run_claimed(job, now)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts

