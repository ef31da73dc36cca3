"""The periodic jobs: one table that both the embedded runner and Celery beat read.

Each job calls one service function that is safe to run concurrently with itself (rows are
claimed with leases / compare-and-set updates), so overlapping runs — two runners, two
Celery workers, a slow run overlapping the next beat — only share the work; none is done
twice. Nothing here prevents overlap, because nothing needs to.

The functions are imported when a job runs, not when this module is imported: the apps that
own them import Django models, and a missing one must fail that job only (the runner logs it
and goes on with the others).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

TASK_PREFIX = "qiaoban."


@dataclass(frozen=True)
class Job:
    """A periodic job: which function to call, how often by default, with which batch size."""

    name: str
    function: str  # "package.module:function", imported when the job runs
    default_interval: float  # seconds; settings.BACKGROUND_INTERVALS[name] overrides it
    limit: int | None = None  # passed as ``limit=``; a full batch means more are due

    @property
    def task_name(self) -> str:
        """The Celery task that runs this job."""
        return TASK_PREFIX + self.name

    def interval(self) -> float:
        """Seconds between runs: ``settings.BACKGROUND_INTERVALS[name]``, else the default."""
        return float(getattr(settings, "BACKGROUND_INTERVALS", {}).get(self.name, self.default_interval))

    def run(self, *, now: datetime | None = None) -> dict[str, Any]:
        """Call the job's function once and return its counts as a plain (JSON-able) dict."""
        function = load_function(self.function)
        kwargs: dict[str, Any] = {}
        if self.limit is not None:
            kwargs["limit"] = self.limit
        if now is not None:
            kwargs["now"] = now
        return counts_as_dict(function(**kwargs))

    def full_batch(self, counts: Mapping[str, Any]) -> bool:
        """Whether the run took as many rows as it may take (then more are probably due at once)."""
        if self.limit is None:
            return False
        taken = counts.get("claimed", counts.get("fired", 0))
        return isinstance(taken, int) and taken >= self.limit


JOBS: tuple[Job, ...] = (
    Job("deliver_outbox", "runtime.instances.outbox:outbox_deliver", 5.0, limit=100),
    Job("fire_timers", "runtime.timers.services:timers_fire", 15.0, limit=500),
    # Digests, mail held back by quiet hours and retries of failed mail/robot posts.
    Job("send_digests", "runtime.notifications.services:notifications_send_digests", 60.0),
    # Users' exports and imports (BackgroundJob); with Celery, qiaoban.run_job starts each at once.
    Job("run_jobs", "platform_core.background.services:jobs_run", 2.0, limit=5),
    # Uploads that no request or draft refers to, a week after they were made (runtime/files).
    Job("purge_files", "runtime.files.services:files_purge_orphans", 3600.0, limit=200),
)
JOBS_BY_NAME: dict[str, Job] = {job.name: job for job in JOBS}


def load_function(path: str) -> Callable[..., Any]:
    """Import ``"module:attribute"`` and return the attribute."""
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def counts_as_dict(result: Any) -> dict[str, Any]:
    """A job function's result as a plain dict (``as_dict()``, a dataclass, a mapping or a number)."""
    if result is None:
        return {}
    if hasattr(result, "as_dict"):
        return dict(result.as_dict())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return dataclasses.asdict(result)
    if isinstance(result, Mapping):
        return {str(key): value for key, value in result.items()}
    if isinstance(result, int | float):
        return {"count": result}
    return {"result": str(result)}


def format_counts(counts: Mapping[str, Any]) -> str:
    """``claimed=1 done=1 ...`` (stable, for logs and ``--once`` output)."""
    return " ".join(f"{key}={value}" for key, value in counts.items()) or "-"


def is_idle(counts: Mapping[str, Any]) -> bool:
    """Whether a run did nothing (every count is zero), so it is logged at DEBUG only."""
    return all(not value for value in counts.values())
