"""Timer workers racing: each timer fires exactly once; a killed worker's timers fire after it is gone.

On PostgreSQL the workers are separate processes (tests/timers/worker.py) on the test
database; on SQLite (an in-memory test database that other processes cannot open) they are
threads of this process, and the killed worker is a claim that is never followed up.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from runtime.instances.models import CommandReceipt, InstanceEvent
from runtime.timers.models import Timer
from tests.timers.conftest import at

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "worker.py"
TEN_REMINDERS = [{"kind": "remind", "after_hours": 1, "repeat_hours": 1, "max": 10}]


def _due_timers(people, make_app, submit_at, instances: int) -> int:
    """``instances`` requests with ten due reminders each (submitted in the past)."""
    make_app("race", TEN_REMINDERS)
    for i in range(instances):
        submit_at(people.requester, "race", at("2026-09-30 10:00"), amount=100 + i)
    count = Timer.objects.filter(status="pending").count()
    assert count == instances * 10
    return count


def _assert_each_fired_once(expected: int) -> None:
    assert Counter(Timer.objects.values_list("status", flat=True)) == {"fired": expected}
    reminded = Counter(InstanceEvent.objects.filter(type="task_reminded")
                       .values_list("instance_id", "data__attempt"))
    assert len(reminded) == expected and set(reminded.values()) == {1}, "a reminder fired twice or never"
    receipts = list(CommandReceipt.objects.filter(request_id__startswith="timer:").values_list("request_id", flat=True))
    assert len(receipts) == len(set(receipts)) == expected


def _worker_env() -> dict[str, str]:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "platform_core.test_settings"}


def _worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), *args], cwd=ROOT, env=_worker_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_two_workers_fire_each_timer_exactly_once(people, make_app, submit_at):
    if not _postgres():
        print("SQLite run: two worker threads instead of processes (the in-memory test database is per process)")
        expected = _due_timers(people, make_app, submit_at, 30)
        results: list[object] = []
        barrier = threading.Barrier(2)

        def work() -> None:
            from runtime.timers.services import timers_fire

            try:
                barrier.wait(timeout=10)
                while (counts := timers_fire(limit=7)).claimed:
                    results.append(counts)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                results.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert all(not isinstance(r, Exception) for r in results), results
        assert sum(r.fired for r in results) == expected
        _assert_each_fired_once(expected)
        return
    expected = _due_timers(people, make_app, submit_at, 100)  # 1,000 due timers
    workers = [_worker("--limit", "50") for _ in range(2)]
    outputs = [w.communicate(timeout=600) for w in workers]
    for w, (_out, err) in zip(workers, outputs, strict=True):
        assert w.returncode == 0, err
    totals = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert sum(t["fired"] for t in totals) == expected, totals
    assert all(t["fired"] > 0 for t in totals), f"one worker did everything: {totals}"
    _assert_each_fired_once(expected)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_timers_fire_after_it_is_gone(people, make_app, submit_at):
    from runtime.timers import services

    if not _postgres():
        print("SQLite run: the killed worker is a claim never followed up (no second process can open the "
              "in-memory test database)")
        expected = _due_timers(people, make_app, submit_at, 3)
        from django.utils import timezone

        now = timezone.now()
        held = services._claim(15, now)  # the worker claimed a batch, fired some, then died
        for timer in held[:5]:
            assert services._fire(timer, now) == "fired"
        assert services.timers_fire(now=now).fired == expected - 15  # the unclaimed ones
        assert services.timers_fire(now=now + services.lease() / 2).claimed == 0  # its lease holds
        late = services.timers_fire(now=now + services.lease() + services.RETRY_AFTER)
        assert late.fired == 10
        assert all(services._fire(t, now) == "lost" for t in held)  # it comes back: too late
        _assert_each_fired_once(expected)
        return
    expected = _due_timers(people, make_app, submit_at, 20)  # 200 due timers
    victim = _worker("--limit", "1000", "--slow", "0.05")
    seen = []
    deadline = time.monotonic() + 120
    while len(seen) < 20 and time.monotonic() < deadline:
        line = victim.stdout.readline()
        if line.startswith("fired"):
            seen.append(line)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert len(seen) == 20
    fired_before = Timer.objects.filter(status="fired").count()
    assert 20 <= fired_before < expected  # it held the rest when it died
    # Its leases still hold: a worker now finds nothing to do.
    out, err = _worker("--limit", "1000").communicate(timeout=300)
    assert json.loads(out.strip().splitlines()[-1])["claimed"] == 0, err
    # After the lease the rest fire, each once.
    seconds = str(services.lease().total_seconds() + 60)
    out, err = _worker("--limit", "1000", "--now-offset", seconds).communicate(timeout=600)
    total = json.loads(out.strip().splitlines()[-1])
    assert total["fired"] == expected - fired_before, (total, err)
    _assert_each_fired_once(expected)
