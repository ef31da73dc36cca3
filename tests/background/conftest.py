"""Fixtures of the background tests: the contract app whose service node calls a live webhook."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.instances.conftest import publisher  # noqa: F401 - fixture used by contract_app
from tests.instances.test_outbox import contract_app, legal, webhook  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]


def connector_row(user: Any) -> Any:
    """Submit a contract request: its service node leaves one pending call_connector outbox row."""
    from runtime.instances.models import Outbox
    from tests.instances.test_outbox import submit

    instance = submit(user)
    return Outbox.objects.get(instance=instance, kind="call_connector")


@pytest.fixture
def spy_jobs(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[tuple[str, dict[str, Any]]]]:
    """``spy_jobs(fire_timers=fn, ...)``: replace job functions by name; returns the call log.

    Jobs not named keep their real function (so the outbox is delivered for real), whether or
    not the other jobs' modules exist yet.
    """
    from platform_core.background import jobs

    def install(**fakes: Callable[..., Any]) -> list[tuple[str, dict[str, Any]]]:
        calls: list[tuple[str, dict[str, Any]]] = []
        real = jobs.load_function
        by_path = {jobs.JOBS_BY_NAME[name].function: (name, fake) for name, fake in fakes.items()}

        def load(path: str) -> Callable[..., Any]:
            if path in by_path:
                name, fake = by_path[path]

                def call(**kwargs: Any) -> Any:
                    calls.append((name, kwargs))
                    return fake(**kwargs)

                return call
            function = real(path)
            name = next(job.name for job in jobs.JOBS if job.function == path)

            def call_real(**kwargs: Any) -> Any:
                calls.append((name, kwargs))
                return function(**kwargs)

            return call_real

        monkeypatch.setattr(jobs, "load_function", load)
        return calls

    return install


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment of a manage.py child on its own throwaway SQLite file and var folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="platform_core.settings", SQLITE_PATH=str(tmp_path / "db.sqlite3"),
               QIAOBAN_VAR_DIR=str(tmp_path / "var"), SECRET_KEY="background-tests", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def manage_args(*args: str) -> list[str]:
    """The command line of ``manage.py <args>`` with this interpreter."""
    return [sys.executable, str(ROOT / "manage.py"), *args]


def manage(*args: str, env: dict[str, str], **kwargs: Any) -> subprocess.Popen[str]:
    """Start ``manage.py <args>`` as a child process (text pipes for stdout and stderr)."""
    return subprocess.Popen(manage_args(*args), cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def run_manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py <args>`` to completion."""
    return subprocess.run(manage_args(*args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
