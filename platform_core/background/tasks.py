"""Celery tasks of the periodic jobs (scale-out); beat sends them (settings.CELERY_BEAT_SCHEDULE).

Each task runs one job once and returns its counts. The job functions are safe to run
concurrently with themselves (leases and compare-and-set claims), so several workers, or a
run that overlaps the next beat tick, share the work without doing any of it twice: no lock
against duplicate concurrent runs is needed. Beat entries expire after one interval, so a
backlog of ticks behind a busy worker is dropped rather than run in a burst.
"""

from __future__ import annotations

from typing import Any

from platform_core.background.jobs import JOBS_BY_NAME, counts_as_dict
from platform_core.celery import app


@app.task(name="qiaoban.deliver_outbox")
def deliver_outbox() -> dict[str, Any]:
    """Deliver due outbox rows (runtime.instances.outbox.outbox_deliver); return the counts."""
    return JOBS_BY_NAME["deliver_outbox"].run()


@app.task(name="qiaoban.fire_timers")
def fire_timers() -> dict[str, Any]:
    """Fire due timers (runtime.timers.services.timers_fire); return the counts."""
    return JOBS_BY_NAME["fire_timers"].run()


@app.task(name="qiaoban.send_digests")
def send_digests() -> dict[str, Any]:
    """Send due notification digests (runtime.notifications.services.notifications_send_digests)."""
    return JOBS_BY_NAME["send_digests"].run()


@app.task(name="qiaoban.run_jobs")
def run_jobs() -> dict[str, Any]:
    """Run due background jobs (platform_core.background.services.jobs_run); return the counts."""
    return JOBS_BY_NAME["run_jobs"].run()


@app.task(name="qiaoban.purge_files")
def purge_files() -> dict[str, Any]:
    """Delete week-old uploads no request or draft refers to (runtime.files.services.files_purge_orphans)."""
    return JOBS_BY_NAME["purge_files"].run()


@app.task(name="qiaoban.run_job")
def run_job(job_id: str) -> dict[str, Any]:
    """Run one background job now, sent by ``job_create`` after commit (nothing if another runner took it)."""
    from platform_core.background.services import job_run

    return counts_as_dict(job_run(job_id=job_id))
