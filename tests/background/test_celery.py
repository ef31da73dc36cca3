"""Celery: the tasks run eagerly, beat's schedule, and a real worker + beat on Redis against PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from platform_core.background import tasks
from platform_core.background.jobs import JOBS
from platform_core.celery import app
from tests.background.conftest import ROOT, connector_row
from tests.connectors.webhook_server import Reply

CELERY = Path(sys.executable).parent / "celery"


def test_deliver_outbox_task_runs_eagerly_and_returns_the_counts(people, contract_app, legal, webhook):
    webhook.replies.append(Reply(200, {"data": {"contract_no": "HT-E-1"}}))
    row = connector_row(people.requester)

    result = tasks.deliver_outbox.apply()

    assert result.successful()
    assert result.get() == {"claimed": 1, "done": 1, "retried": 0, "failed": 0, "lost": 0}
    row.refresh_from_db()
    assert row.status == "done" and len(webhook.received) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("task", "job", "answer", "expected", "kwargs"), [
    ("fire_timers", "fire_timers", {"fired": 4, "escalated": 1}, {"fired": 4, "escalated": 1}, {"limit": 500}),
    ("send_digests", "send_digests", 7, {"count": 7}, {}),
])
def test_timer_and_digest_tasks_run_eagerly_and_return_the_counts(spy_jobs, task, job, answer, expected, kwargs):
    # Their functions are written by the timers and notifications work; stand-ins record the call.
    calls = spy_jobs(**{job: lambda **kw: answer})
    result = getattr(tasks, task).apply()
    assert result.successful() and result.get() == expected
    assert calls == [(job, kwargs)]


@pytest.mark.django_db
def test_a_failing_job_fails_its_task(spy_jobs):
    def broken(**kwargs):
        raise RuntimeError("no timers table")

    spy_jobs(fire_timers=broken)
    result = tasks.fire_timers.apply()
    assert result.failed() and isinstance(result.result, RuntimeError)


def test_beat_schedule_names_the_five_tasks_on_their_intervals():
    app.loader.import_default_modules()  # what a worker does: autodiscovery of the apps' tasks
    schedule = app.conf.beat_schedule
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    by_task = {entry["task"]: entry for entry in schedule.values()}
    assert set(by_task) == {"qiaoban.deliver_outbox", "qiaoban.fire_timers", "qiaoban.send_digests", "qiaoban.run_jobs",
                            "qiaoban.purge_files"}
    assert set(by_task) <= set(app.tasks)
    assert {job.task_name: by_task[job.task_name]["schedule"] for job in JOBS} == {
        "qiaoban.deliver_outbox": 5.0, "qiaoban.fire_timers": 15.0, "qiaoban.send_digests": 60.0,
        "qiaoban.run_jobs": 2.0, "qiaoban.purge_files": 3600.0}
    assert "qiaoban.run_job" in app.tasks  # sent by job_create for each new job
    assert all(entry["options"]["expires"] == entry["schedule"] for entry in schedule.values())


def test_celery_settings():
    conf = app.conf
    assert app.main == "qiaoban"
    assert conf.task_acks_late is True and conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"] and conf.task_serializer == "json" and conf.result_serializer == "json"
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit <= 300  # inside the outbox lease (5 min)
    assert conf.broker_url == (os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or None)


def _database_url() -> str:
    """The test database (pytest-django's), as a URL for the worker processes."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{quote(s['NAME'], safe='')}"


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(CELERY), "-A", "platform_core", *args], cwd=ROOT, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_delivered(row, processes, logs, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status == "done":
            return
        for process, log in zip(processes, logs, strict=True):
            assert process.poll() is None, log.read_text()
        time.sleep(0.25)
    raise AssertionError(f"row {row.pk} not delivered: {row.status}\n" + "\n".join(log.read_text() for log in logs))


def test_real_worker_and_beat_deliver_the_outbox(transactional_db, people, contract_app, legal, webhook, tmp_path,
                                                 capsys):
    redis_url = os.environ.get("REDIS_URL")
    if connection.vendor != "postgresql" or not redis_url:
        reason = ("the real Celery worker test runs on the scale-out pass only (DATABASE_URL=PostgreSQL and "
                  "REDIS_URL): a worker process cannot see the in-memory SQLite test database")
        with capsys.disabled():
            print(f"\n{__name__}: not run: {reason}")
        pytest.skip(reason)

    # A queue of our own, so that no other worker on this Redis takes our tasks (and we theirs).
    queue = f"qiaoban-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="platform_core.test_settings", DATABASE_URL=_database_url(),
               REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=queue,
               BACKGROUND_OUTBOX_INTERVAL="1", QIAOBAN_VAR_DIR=str(tmp_path / "var"))
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = _start(["worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h", "--loglevel=INFO",
                     "--without-gossip", "--without-mingle", "--without-heartbeat"], env, worker_log)
    beat = None
    try:
        # 1. a task sent by hand reaches the worker, which delivers the row.
        webhook.replies.append(Reply(200, {"data": {"contract_no": "HT-W-1"}}))
        first = connector_row(people.requester)
        tasks.deliver_outbox.apply_async(queue=queue)
        _wait_delivered(first, [worker], [worker_log])
        assert first.attempts == 1 and len(webhook.received) == 1
        assert "qiaoban.deliver_outbox" in worker_log.read_text()

        # 2. beat's schedule sends the task by itself (every second here) to the same queue.
        webhook.replies.append(Reply(200, {"data": {"contract_no": "HT-W-2"}}))
        second = connector_row(people.requester)
        beat = _start(["beat", "-s", str(tmp_path / "beat-schedule"), "--loglevel=INFO"], env, beat_log)
        _wait_delivered(second, [worker, beat], [worker_log, beat_log])
        assert second.attempts == 1 and len(webhook.received) == 2
        assert "Sending due task deliver-outbox (qiaoban.deliver_outbox)" in beat_log.read_text()
    finally:
        if beat is not None:
            _stop(beat)
        _stop(worker)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
