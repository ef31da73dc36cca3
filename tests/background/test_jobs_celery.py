"""A background job run by a real Celery worker on Redis against PostgreSQL (the scale-out pass)."""

from __future__ import annotations

import io
import os
import time
import uuid

import pytest
from django.db import connection
from openpyxl import load_workbook

from platform_core.audit.services import audit_record
from platform_core.background import services, tasks
from platform_core.background.models import BackgroundJob
from platform_core.celery import app
from tests.background.test_celery import _database_url, _start, _stop

EVIL = '=HYPERLINK("http://x","y")'


def test_real_worker_runs_an_export_job(transactional_db, people, tmp_path, settings, monkeypatch, capsys):
    redis_url = os.environ.get("REDIS_URL")
    if connection.vendor != "postgresql" or not redis_url:
        reason = ("the real Celery worker test runs on the scale-out pass only (DATABASE_URL=PostgreSQL and "
                  "REDIS_URL): a worker process cannot see the in-memory SQLite test database")
        with capsys.disabled():
            print(f"\n{__name__}: not run: {reason}")
        pytest.skip(reason)

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)  # shared with the worker, which writes the file
    # job_create would send qiaoban.run_job to the default queue; this test sends it to its own.
    monkeypatch.setattr(services, "send_run_job", lambda job_id: None)
    queue = f"qiaoban-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="platform_core.test_settings", DATABASE_URL=_database_url(),
               REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=queue, MEDIA_ROOT=str(media),
               QIAOBAN_VAR_DIR=str(tmp_path / "var"))
    worker_log = tmp_path / "worker.log"
    worker = _start(["worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h", "--loglevel=INFO",
                     "--without-gossip", "--without-mingle", "--without-heartbeat"], env, worker_log)
    try:
        audit_record(actor=people.admin, action="test.edit", target_type="widget", target_id=8, target_label=EVIL)
        job = services.job_create(actor=people.admin, kind="audit_export",
                                  params={"format": "xlsx", "target_type": "widget"})
        tasks.run_job.apply_async(args=[str(job.pk)], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            assert worker.poll() is None, worker_log.read_text()
            time.sleep(0.25)
        assert job.status == "succeeded", f"{job.status} {job.error}\n{worker_log.read_text()}"
        assert job.attempts == 1 and job.progress_done == job.progress_total == 1
        assert "qiaoban.run_job" in worker_log.read_text()
        with job.output_file.open("rb") as handle:
            sheet = load_workbook(io.BytesIO(handle.read())).active
        assert [cell.value for cell in list(sheet.iter_rows())[1]][7] == EVIL
        # Another run_job for the same job finds nothing to do (exactly once).
        assert services.job_run(job_id=job.pk).claimed == 0
        assert BackgroundJob.objects.get(pk=job.pk).attempts == 1
    finally:
        _stop(worker)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
