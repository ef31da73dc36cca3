"""The embedded runner: ``run_background --once``, error isolation, stopping on signals, bad arguments."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from platform_core.background.jobs import JOBS, JOBS_BY_NAME, Job
from platform_core.background.runner import Runner, Stopper, stop_on_signals
from tests.background.conftest import connector_row, manage, run_manage, subprocess_env
from tests.connectors.webhook_server import Reply


def test_once_calls_every_job_and_delivers_an_outbox_row(people, contract_app, legal, webhook, spy_jobs):
    webhook.replies.append(Reply(200, {"data": {"contract_no": "HT-2026-7"}}))
    row = connector_row(people.requester)
    calls = spy_jobs(fire_timers=lambda **kw: {"fired": 2}, send_digests=lambda **kw: {"sent": 0})
    out = io.StringIO()

    call_command("run_background", "--once", stdout=out)

    assert [name for name, _ in calls] == ["deliver_outbox", "fire_timers", "send_digests", "run_jobs",
                                           "purge_files"]
    assert dict(calls) == {"deliver_outbox": {"limit": 100}, "fire_timers": {"limit": 500}, "send_digests": {},
                           "run_jobs": {"limit": 5}, "purge_files": {"limit": 200}}
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 1)
    assert len(webhook.received) == 1 and row.instance.__class__.objects.get(pk=row.instance_id).data[
        "contract_no"] == "HT-2026-7"
    assert out.getvalue().splitlines() == [
        "deliver_outbox: claimed=1 done=1 retried=0 failed=0 lost=0",
        "fire_timers: fired=2",
        "send_digests: sent=0",
        "run_jobs: claimed=0 succeeded=0 failed=0 retried=0 stopped=0",
        "purge_files: examined=0 deleted=0 kept_in_drafts=0",
    ]


def test_once_runs_the_other_jobs_when_one_fails_and_exits_1(people, contract_app, legal, webhook, spy_jobs,
                                                              capsys, caplog):
    row = connector_row(people.requester)

    def broken(**kwargs):
        raise RuntimeError("timer table is on fire")

    calls = spy_jobs(fire_timers=broken, send_digests=lambda **kw: 3)
    with pytest.raises(SystemExit) as exit_info, caplog.at_level(logging.ERROR, logger="qiaoban.background"), \
            translation.override("en"):
        call_command("run_background", "--once")

    assert exit_info.value.code == 1
    assert [name for name, _ in calls] == ["deliver_outbox", "fire_timers", "send_digests", "run_jobs",
                                           "purge_files"]
    row.refresh_from_db()
    assert row.status == "done"
    captured = capsys.readouterr()
    assert "fire_timers: error RuntimeError: timer table is on fire" in captured.out
    assert "send_digests: count=3" in captured.out
    assert captured.err.strip().splitlines() == ["run_background: failed: fire_timers"]
    assert "timer table is on fire" in caplog.text and "Traceback" in caplog.text


def fake_job(name: str, function: str, limit: int | None = None) -> Job:
    return Job(name, function, 3600.0, limit=limit)


@pytest.fixture
def fake_functions(db, monkeypatch):
    """Job functions by path for in-process Runner tests (the runner tidies connections: db access)."""
    from platform_core.background import jobs

    table: dict[str, object] = {}
    monkeypatch.setattr(jobs, "load_function", lambda path: table[path])
    return table


def test_loop_logs_errors_and_keeps_going(fake_functions, caplog):
    stopper = Stopper()
    seen = {"flaky": 0, "steady": 0}

    def flaky(**kwargs):
        seen["flaky"] += 1
        if seen["flaky"] <= 3:
            raise ConnectionError("database is down")
        return {"done": 1}

    def steady(**kwargs):
        seen["steady"] += 1
        if seen["steady"] >= 6:
            stopper.set()
        return {"done": 0}

    fake_functions.update({"x:flaky": flaky, "x:steady": steady})
    runner = Runner(jobs=[fake_job("flaky", "x:flaky"), fake_job("steady", "x:steady")],
                    intervals={"flaky": 0.01, "steady": 0.01}, stopper=stopper)
    with caplog.at_level(logging.DEBUG, logger="qiaoban.background"):
        runner.loop()

    assert seen["steady"] == 6 and seen["flaky"] >= 5  # the failures stopped neither the loop nor the other job
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("flaky failed: ConnectionError: database is down") == 1  # traceback once
    assert messages.count("flaky failed again: ConnectionError: database is down") == 2  # then one line a round
    assert "flaky: working again" in messages and "flaky: done=1" in messages
    assert sum(1 for r in caplog.records if r.exc_info) == 1
    stopper.close()


def test_a_full_batch_runs_again_without_waiting(fake_functions):
    stopper = Stopper()
    sizes = [10, 10, 4]

    def deliver(*, limit):
        taken = sizes.pop(0)
        if not sizes:
            stopper.set()
        return {"claimed": taken}

    fake_functions["x:deliver"] = deliver
    runner = Runner(jobs=[fake_job("deliver", "x:deliver", limit=10)], intervals={"deliver": 3600.0}, stopper=stopper)
    started = time.monotonic()
    runner.loop()
    assert sizes == [] and time.monotonic() - started < 5  # three runs, no hour-long wait between them
    stopper.close()


def test_sigterm_stops_the_loop_after_the_job_in_progress(fake_functions):
    stopper = Stopper()
    runs: list[float] = []
    fake_functions["x:slow"] = lambda: runs.append(time.monotonic()) or {"n": 1}
    runner = Runner(jobs=[fake_job("slow", "x:slow")], intervals={"slow": 3600.0}, stopper=stopper)
    before = signal.getsignal(signal.SIGTERM)
    killer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    started = time.monotonic()
    killer.start()
    with stop_on_signals(stopper):
        runner.loop()  # sleeping for an hour until the signal wakes it
    assert time.monotonic() - started < 5
    assert len(runs) == 1 and stopper.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored
    stopper.close()


def test_the_command_stops_on_sigterm_and_survives_failing_jobs(tmp_path):
    # A real process on a database without tables: every job fails every round, yet the loop
    # goes on, and SIGTERM ends it with exit code 0.
    runner = manage("run_background", "--interval", "deliver_outbox=0.2", env=subprocess_env(tmp_path))
    try:
        first_line = runner.stdout.readline()  # "started" (in the active language)
        assert "deliver_outbox / 0.2 s" in first_line, first_line
        time.sleep(1.5)
        assert runner.poll() is None, runner.stderr.read()
        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=20)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    assert runner.returncode == 0, err
    assert out.strip(), "a stop message"
    assert err.count("deliver_outbox failed: OperationalError") == 1  # the traceback once ...
    assert err.count("deliver_outbox failed again: OperationalError") >= 2  # ... then one line per round


@translation.override("en")
def test_bad_arguments_are_refused_with_one_line():
    with pytest.raises(CommandError, match="Unknown job “nope”"):
        call_command("run_background", "--once", "--jobs", "deliver_outbox,nope")
    with pytest.raises(CommandError, match="JOB=SECONDS"):
        call_command("run_background", "--interval", "5")
    with pytest.raises(CommandError, match="positive number"):
        call_command("run_background", "--interval", "fire_timers=0")
    with pytest.raises(CommandError, match="positive number"):
        call_command("run_background", "--interval", "fire_timers=soon")


def test_bad_arguments_exit_non_zero_in_a_process(tmp_path):
    for args, code in ((["--jobs", "nope"], 1), (["--bogus"], 2)):
        result = run_manage("run_background", *args, env=subprocess_env(tmp_path))
        assert result.returncode == code
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_jobs_table_names_the_five_functions():
    assert {job.name: job.function for job in JOBS} == {
        "deliver_outbox": "runtime.instances.outbox:outbox_deliver",
        "fire_timers": "runtime.timers.services:timers_fire",
        "send_digests": "runtime.notifications.services:notifications_send_digests",
        "run_jobs": "platform_core.background.services:jobs_run",
        "purge_files": "runtime.files.services:files_purge_orphans",
    }
    assert [JOBS_BY_NAME[n].interval() for n in ("deliver_outbox", "fire_timers", "send_digests", "run_jobs")] == [
        5, 15, 60, 2]


@pytest.mark.django_db
def test_only_the_selected_jobs_run(spy_jobs):
    calls = spy_jobs(fire_timers=lambda **kw: {"fired": 0}, send_digests=lambda **kw: {})
    out = io.StringIO()
    call_command("run_background", "--once", "--jobs", "send_digests,fire_timers", stdout=out)
    assert [name for name, _ in calls] == ["fire_timers", "send_digests"]  # table order
    assert out.getvalue().splitlines() == ["fire_timers: fired=0", "send_digests: -"]


def _children(pid: int) -> list[int]:
    result = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in result.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (not yet reaped by init) counts as gone
        return stat.read().split(") ", 1)[1][0] != "Z"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_login_page(port: int, process: subprocess.Popen[str]) -> int:
    import urllib.request

    for _ in range(120):
        assert process.poll() is None, process.stderr.read()
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).status
        except OSError:
            time.sleep(0.25)
    raise AssertionError("daphne did not answer")


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_serve_runs_daphne_and_the_runner_and_leaves_no_orphans(tmp_path, how):
    port = _free_port()
    env = subprocess_env(tmp_path)
    serve = manage("serve", "--port", str(port), "--grace", "10", env=env)
    try:
        assert _wait_for_login_page(port, serve) == 200
        children = _children(serve.pid)
        # No REDIS_URL: one daphne process that runs the jobs in a thread, so that their
        # websocket events reach its sockets (in-memory channel layer).
        assert len(children) == 1
        if how == "sigterm":
            serve.send_signal(signal.SIGTERM)
            out, err = serve.communicate(timeout=30)
            assert serve.returncode == 0, err
        else:  # the supervisor dies without cleaning up: the kernel tells the children (PDEATHSIG)
            serve.kill()
            out, err = serve.communicate(timeout=30)
        assert "background jobs run in this process" in err
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)]
    finally:
        for pid in [serve.pid, *_children(serve.pid)]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        serve.wait()


def test_serve_stops_everything_when_a_child_dies(tmp_path):
    port = _free_port()
    env = subprocess_env(tmp_path)
    serve = manage("serve", "--port", str(port), env=env)
    try:
        assert _wait_for_login_page(port, serve) == 200
        children = _children(serve.pid)
        os.kill(children[-1], signal.SIGKILL)  # the server crashes
        out, err = serve.communicate(timeout=30)
        assert serve.returncode == 1
        assert "daphne" in err and "-9" in err  # who died, and how
        assert not [pid for pid in children if _alive(pid)]
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()


def test_serve_with_redis_runs_the_jobs_in_a_process_of_their_own(tmp_path):
    """With REDIS_URL, processes share websocket events through Redis: daphne + run_background."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        print("REDIS_URL is not set (embedded pass): the Redis variant of serve runs on the scale-out pass")
        pytest.skip("REDIS_URL is not set: the scale-out pass (PostgreSQL + Redis) runs this test")
    port = _free_port()
    serve = manage("serve", "--port", str(port), "--grace", "10", env=subprocess_env(tmp_path, REDIS_URL=redis_url))
    try:
        assert _wait_for_login_page(port, serve) == 200
        children = _children(serve.pid)
        assert len(children) == 2  # daphne and run_background
        serve.send_signal(signal.SIGTERM)
        out, err = serve.communicate(timeout=30)
        assert serve.returncode == 0, err
        assert "background jobs run in this process" not in err
    finally:
        for pid in [serve.pid, *_children(serve.pid)]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        serve.wait()


def test_serve_refuses_bad_arguments(tmp_path):
    result = run_manage("serve", "--port", "http", env=subprocess_env(tmp_path))
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1, result.stderr


def _importable(path: str) -> bool:
    import importlib

    module, _, attribute = path.partition(":")
    try:
        return hasattr(importlib.import_module(module), attribute)
    except ImportError:
        return False


def test_once_with_the_real_functions(people, contract_app, legal, webhook, capsys):
    # The timers and notifications functions are written alongside this work; one that is not
    # there yet must fail its own job only, and is named on stderr.
    row = connector_row(people.requester)
    missing = [job.name for job in JOBS if not _importable(job.function)]
    with translation.override("en"):
        if missing:
            with pytest.raises(SystemExit):
                call_command("run_background", "--once")
        else:
            call_command("run_background", "--once")
    out, err = capsys.readouterr()
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    assert list(lines) == [job.name for job in JOBS]
    assert lines["deliver_outbox"].startswith("claimed=1 done=1")
    for name in missing:
        print(f"\n{name}: its function is not there yet, so only its failure is checked")
        assert lines[name].startswith("error ")
    assert err.strip() == (f"run_background: failed: {', '.join(missing)}" if missing else "")
    row.refresh_from_db()
    assert row.status == "done"
