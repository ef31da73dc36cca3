"""The embedded runner: calls the periodic jobs on their intervals in one process.

The single-machine default (``make run``) has no broker; ``manage.py run_background`` runs
this loop beside daphne instead of Celery worker + beat. Every job is called outside any
transaction, errors are caught and logged per job and round (one failing job never stops
the others or the loop), and SIGTERM/SIGINT stop the loop after the job in progress.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from platform_core.background.jobs import Job, format_counts, is_idle

logger = logging.getLogger("qiaoban.background")


class Stopper:
    """A stop flag that a signal handler may set and a sleeper wakes up for at once (self-pipe)."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self.signum: int | None = None
        self._stopped = False

    def set(self, signum: int | None = None) -> None:
        """Ask the loop to stop (async-signal-safe: a flag and one byte written to a pipe)."""
        if self.signum is None:
            self.signum = signum
        self._stopped = True
        try:
            os.write(self._write, b"x")
        except (BlockingIOError, OSError):
            pass  # the pipe is full or closed: the flag alone is enough

    def is_set(self) -> bool:
        return self._stopped

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` s, less when stopped meanwhile; return whether stopped."""
        if not self._stopped and timeout > 0:
            select.select([self._read], [], [], timeout)
        return self._stopped

    def close(self) -> None:
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass


@contextmanager
def stop_on_signals(stopper: Stopper, signums: Iterable[int] = (signal.SIGTERM, signal.SIGINT)) -> Iterator[None]:
    """Make SIGTERM/SIGINT set ``stopper`` for the duration; a second SIGINT interrupts at once.

    SIGTERM never interrupts a job (a supervisor sends it once and waits); pressing Ctrl-C
    twice at a terminal does, for someone who does not want to wait for a slow connector.
    """
    seen_sigint = False

    def handler(signum: int, frame: Any) -> None:
        nonlocal seen_sigint
        if signum == signal.SIGINT:
            if seen_sigint:
                raise KeyboardInterrupt
            seen_sigint = True
        stopper.set(signum)

    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def tidy_connections() -> None:
    """Close connections that broke or outlived CONN_MAX_AGE (as Django does around a request).

    Connections inside an atomic block are left alone: that is a caller's transaction (tests).
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


@dataclass
class Outcome:
    """What one call of a job did: its counts, or the error it raised."""

    job: Job
    counts: dict[str, Any] | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Runner:
    """Runs ``jobs`` every ``intervals[name]`` seconds until ``stopper`` is set."""

    jobs: list[Job]
    intervals: dict[str, float]
    stopper: Stopper = field(default_factory=Stopper)
    clock: Callable[[], float] = time.monotonic
    _last_error: dict[str, str] = field(default_factory=dict)

    def run_job(self, job: Job) -> Outcome:
        """Call one job, catching and logging whatever it raises."""
        tidy_connections()
        try:
            counts = job.run()
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others (STYLE 11: logged)
            self._log_failure(job, exc)
            return Outcome(job, error=exc)
        finally:
            tidy_connections()
        if self._last_error.pop(job.name, None) is not None:
            logger.info("%s: working again", job.name)
        log = logger.debug if is_idle(counts) else logger.info
        log("%s: %s", job.name, format_counts(counts))
        return Outcome(job, counts=counts)

    def _log_failure(self, job: Job, exc: Exception) -> None:
        # The traceback once per distinct error; a job that keeps failing the same way (say, a
        # database that is down) gets one line per round instead of a wall of tracebacks.
        signature = f"{type(exc).__name__}: {exc}"
        if self._last_error.get(job.name) == signature:
            logger.error("%s failed again: %s", job.name, signature)
        else:
            logger.exception("%s failed: %s", job.name, signature)
        self._last_error[job.name] = signature

    def run_round(self) -> list[Outcome]:
        """Call every job once (``--once``); stop early only when asked to stop."""
        outcomes = []
        for job in self.jobs:
            if self.stopper.is_set():
                break
            outcomes.append(self.run_job(job))
        return outcomes

    def loop(self) -> None:
        """Call each job when due until stopped; a job that took a full batch runs again at once."""
        next_due = {job.name: self.clock() for job in self.jobs}
        while not self.stopper.is_set():
            for job in self.jobs:
                if self.stopper.is_set():
                    return
                if next_due[job.name] > self.clock():
                    continue
                outcome = self.run_job(job)
                more = outcome.ok and outcome.counts is not None and job.full_batch(outcome.counts)
                next_due[job.name] = self.clock() + (0.0 if more else self.intervals[job.name])
            self.stopper.wait(min(next_due.values()) - self.clock())


IN_PROCESS_ENV = "QIAOBAN_BACKGROUND_IN_PROCESS"


def start_in_thread() -> Runner:
    """Run every job in a daemon thread of this process (the embedded profile's web server).

    Without Redis the channel layer is in-memory, so only the process that serves the
    websockets can push to them; jobs run in that process (``manage.py serve`` sets
    ``QIAOBAN_BACKGROUND_IN_PROCESS=1`` for daphne when ``REDIS_URL`` is not set) make
    timer steps, connector answers and notifications reach open sockets. The thread stops
    with the process; a job in progress is cut off like a killed worker's, and the
    outbox/timer leases make another round pick its rows up again.
    """
    from platform_core.background.jobs import JOBS

    runner = Runner(jobs=list(JOBS), intervals={job.name: job.interval() for job in JOBS})
    thread = threading.Thread(target=runner.loop, name="qiaoban-background", daemon=True)
    thread.start()
    logger.info("background jobs run in this process (%s)", ", ".join(job.name for job in JOBS))
    return runner
