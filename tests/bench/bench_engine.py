"""Runtime engine throughput: complete 3-level purchase requests per second, ours vs SpiffWorkflow on Django.

Run: ``python tests/bench/bench_engine.py`` (``make bench``). One "instance" is a purchase of
6000: submit by 李娜, then 部门负责人 → 财务 → 总经理 approve, four steps in all.

* **ours** drives ``runtime.instances.services.instance_submit`` / ``task_act`` — the functions
  the API calls — so every step is one transaction that persists state, events, tasks,
  participants, outbox and the audit chain. The step that finds the pending task (one query,
  what an inbox request does) is inside the timing.
* **spiff** runs ``engine_bpmn/purchase.bpmn`` (the same route, gateway ``amount > 5000``) with
  SpiffWorkflow the way a Django app would host it: per step, in one transaction, read the
  serialised workflow from a plain row (``bench_spiff_state``, created with ``connection.cursor()``
  in the same database), deserialise, complete the ready user task, run engine steps, serialise
  and UPDATE the row (submit INSERTs it). It records no tasks, events, audit or assignees.

Both sides alternate in the same process and database (rounds AB, BA, AB, ... so drift and
order effects hit both); the ratio is ours / spiff per round, median. The database is a
temporary SQLite file (WAL, the settings' PRAGMAs) or, when ``DATABASE_URL`` is set, a throwaway
PostgreSQL database created and dropped on that server (its name must contain "bench",
otherwise ``qiaoban_bench`` is used). Target: ours >= 2x SpiffWorkflow-on-Django on SQLite.
Not a test: it prints figures and exits 0 whatever they are (non-zero only on errors).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

TARGET = 2.0
ROUNDS = 3
BUDGET_SECONDS = 2.0  # per side and round
WARMUP_INSTANCES = 10  # per side, untimed
AMOUNT = 6000
BPMN_FILE = Path(__file__).resolve().parent / "engine_bpmn" / "purchase.bpmn"
EXPECTED_NODES = ["head", "finance", "gm"]
EXPECTED_SPIFF = ["部门负责人", "财务", "总经理"]
PG_BENCH_DB = "qiaoban_bench"


# --- environment (before django.setup) ------------------------------------------------------------

def _pg_bench_url(url: str) -> tuple[str, str]:
    """(url of the throwaway bench database, its name): never the database DATABASE_URL names unless a bench one."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        name = PG_BENCH_DB
    return urlunsplit(parts._replace(path="/" + name)), name


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _environment(tmp: str) -> tuple[str, Callable[[], None]]:
    """Point the settings at a throwaway database; return (label, cleanup)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "platform_core.settings"
    os.environ["QIAOBAN_VAR_DIR"] = tmp
    os.environ["DEBUG"] = "0"  # no query log outside CaptureQueriesContext
    os.environ.pop("REDIS_URL", None)  # local-memory cache: measure the database, not a network cache
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = os.path.join(tmp, "bench.sqlite3")
        os.environ["SQLITE_PATH"] = path
        return f"SQLite {path}", lambda: None
    bench_url, name = _pg_bench_url(url)
    _pg_admin(bench_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(bench_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = bench_url

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        _pg_admin(bench_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    host = urlsplit(bench_url)
    return f"PostgreSQL {host.hostname}:{host.port or 5432}/{name}", drop


# --- the two sides --------------------------------------------------------------------------------

def _purchase(amount: int) -> dict[str, Any]:
    return {"title": "笔记本电脑", "category": "it", "amount": amount,
            "items": [{"name": "笔记本电脑", "quantity": 1, "price": amount}]}


class Ours:
    """Submit + approve every pending step through the services the API uses."""

    def __init__(self) -> None:
        from platform_core.org.models import User
        from runtime.instances import services
        from runtime.instances.models import Task

        self.services = services
        self.Task = Task
        self.initiator = User.objects.get(username="lina")
        # The signed-in user of each request: the auth layer hands the services a User.
        self.users = {u.pk: u for u in User.objects.all()}
        self.data = _purchase(AMOUNT)

    def submit(self) -> Any:
        return self.services.instance_submit(actor=self.initiator, app_key="purchase", data=self.data).instance

    def pending(self, instance: Any) -> Any:
        """(task id, node id, assignee) of the first pending task: one query, as an inbox request."""
        row = (self.Task.objects.filter(instance_id=instance.pk, status="pending").order_by("pk")
               .values_list("pk", "node_id", "assignee_id").first())
        return row[0], row[1], self.users[row[2]]

    def approve(self, task: Any) -> Any:
        task_id, _, assignee = task
        return self.services.task_act(actor=assignee, task_id=task_id, action="approve",
                                      payload={"comment": "同意"}).instance

    def run_one(self) -> list[str]:
        instance = self.submit()
        nodes = []
        while instance.status == "running":
            task = self.pending(instance)
            nodes.append(task[1])
            instance = self.approve(task)
        return nodes

    def check(self) -> None:
        """One instance must take the expected route and leave tasks, events and audit behind."""
        from platform_core.audit.models import AuditEvent
        from runtime.instances.models import Instance, InstanceEvent

        nodes = self.run_one()
        instance = Instance.objects.order_by("-pk").first()
        assert instance is not None
        assert nodes == EXPECTED_NODES, nodes
        assert (instance.status, instance.outcome) == ("completed", "approved"), (instance.status, instance.outcome)
        assert self.Task.objects.filter(instance=instance).count() >= 3
        assert InstanceEvent.objects.filter(instance=instance).exists()
        audits = AuditEvent.objects.filter(target_type="instance", target_id=str(instance.pk)).count()
        assert audits == 4, audits

    def query_counts(self) -> list[tuple[str, int, int]]:
        """(step, queries in the service call, queries to find the pending task) for one instance."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        rows = []
        with CaptureQueriesContext(connection) as q:
            instance = self.submit()
        rows.append(("submit", len(q), 0))
        while instance.status == "running":
            with CaptureQueriesContext(connection) as lookup:
                task = self.pending(instance)
            with CaptureQueriesContext(connection) as q:
                instance = self.approve(task)
            rows.append((f"approve {task[1]}", len(q), len(lookup)))
        return rows


class Spiff:
    """SpiffWorkflow hosted by Django: the serialised workflow in one row, loaded and saved every step."""

    TABLE = "bench_spiff_state"

    def __init__(self) -> None:
        from django.db import connection, transaction
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
        from SpiffWorkflow.util.task import TaskState

        parser = BpmnParser()
        parser.add_bpmn_file(str(BPMN_FILE))
        self.spec = parser.get_spec("purchase")  # parsed once, as an app would cache it
        self.BpmnWorkflow = BpmnWorkflow
        self.serializer = BpmnWorkflowSerializer()
        self.READY = TaskState.READY
        self.connection = connection
        self.transaction = transaction
        self.lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""  # SQLite: IMMEDIATE locks
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {self.TABLE} (id INTEGER PRIMARY KEY, state TEXT)")
            cursor.execute(f"SELECT MAX(id) FROM {self.TABLE}")
            self.next_id = (cursor.fetchone()[0] or 0) + 1
        self.data = _purchase(AMOUNT)

    def _ready(self, workflow: Any) -> Any:
        tasks = workflow.get_tasks(state=self.READY, manual=True)
        return tasks[0] if tasks else None

    def submit(self) -> int:
        row_id, self.next_id = self.next_id, self.next_id + 1
        workflow = self.BpmnWorkflow(self.spec)
        for task in workflow.get_tasks(state=self.READY):  # the start task: form data flows down from it
            task.data.update(self.data)
        workflow.do_engine_steps()
        with self.transaction.atomic(), self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.TABLE} (id, state) VALUES (%s, %s)",
                           [row_id, self.serializer.serialize_json(workflow)])
        return row_id

    def approve(self, row_id: int) -> tuple[str, bool]:
        """Complete the ready user task of ``row_id``: (its name, whether the workflow is now complete)."""
        with self.transaction.atomic(), self.connection.cursor() as cursor:
            cursor.execute(f"SELECT state FROM {self.TABLE} WHERE id = %s{self.lock}", [row_id])
            workflow = self.serializer.deserialize_json(cursor.fetchone()[0])
            task = self._ready(workflow)
            task.data[f"{task.task_spec.name}_comment"] = "同意"
            task.run()
            workflow.do_engine_steps()
            cursor.execute(f"UPDATE {self.TABLE} SET state = %s WHERE id = %s",
                           [self.serializer.serialize_json(workflow), row_id])
            return task.task_spec.bpmn_name, workflow.is_completed()

    def run_one(self) -> list[str]:
        row_id = self.submit()
        names, done = [], False
        while not done:
            name, done = self.approve(row_id)
            names.append(name)
        return names

    def check(self) -> None:
        names = self.run_one()
        assert names == EXPECTED_SPIFF, names
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT state FROM {self.TABLE} WHERE id = %s", [self.next_id - 1])
            assert self.serializer.deserialize_json(cursor.fetchone()[0]).is_completed()

    def in_memory_rate(self, seconds: float) -> float:
        """Reference only: the same four steps with no database and no serialisation."""
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            workflow = self.BpmnWorkflow(self.spec)
            for task in workflow.get_tasks(state=self.READY):
                task.data.update(self.data)
            workflow.do_engine_steps()
            while (task := self._ready(workflow)) is not None:
                task.run()
                workflow.do_engine_steps()
            assert workflow.is_completed()
            count += 1
        return count / (time.perf_counter() - start)


def _rate(run_one: Callable[[], Any], seconds: float) -> float:
    """Complete instances per second, running whole instances until ``seconds`` have passed."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run_one()
        count += 1
    return count / (time.perf_counter() - start)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="qiaoban-bench-") as tmp:
        label, cleanup = _environment(tmp)
        try:
            return _bench(label)
        finally:
            cleanup()


def _bench(label: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    call_command("install_templates", stdout=StringIO())
    print(f"database: {label} ({connection.vendor}); set up in {time.perf_counter() - started:.1f} s")
    import SpiffWorkflow

    print(f"purchase amount {AMOUNT}: submit + {' → '.join(EXPECTED_SPIFF)}; "
          f"SpiffWorkflow {getattr(SpiffWorkflow, '__version__', '?')}")

    ours, spiff = Ours(), Spiff()
    ours.check()
    spiff.check()
    for _ in range(WARMUP_INSTANCES):
        ours.run_one()
        spiff.run_one()

    sides = {"ours": ours.run_one, "spiff": spiff.run_one}
    rates: dict[str, list[float]] = {"ours": [], "spiff": []}
    for r in range(ROUNDS):
        order = ["ours", "spiff"] if r % 2 == 0 else ["spiff", "ours"]
        for side in order:
            rates[side].append(_rate(sides[side], BUDGET_SECONDS))
        print(f"  round {r + 1} ({order[0]} first): ours {rates['ours'][-1]:7.1f}/s   "
              f"spiff-on-django {rates['spiff'][-1]:7.1f}/s   ratio {rates['ours'][-1] / rates['spiff'][-1]:.2f}x")

    ratios = [o / s for o, s in zip(rates["ours"], rates["spiff"], strict=True)]
    ours_med, spiff_med, ratio = (statistics.median(rates["ours"]), statistics.median(rates["spiff"]),
                                  statistics.median(ratios))
    memory = spiff.in_memory_rate(1.0)
    print(f"ours (services, {connection.vendor}):        {ours_med:7.1f} instances/s  (median of {ROUNDS})")
    print(f"SpiffWorkflow on Django ({connection.vendor}): {spiff_med:7.1f} instances/s  (median of {ROUNDS})")
    print(f"SpiffWorkflow in memory (reference):  {memory:7.1f} instances/s")
    per_round = ", ".join(f"{x:.2f}" for x in ratios)
    print(f"paired ratio ours / spiff-on-django:  {ratio:.2f}x  (median of per-round ratios {per_round})")

    print("queries per step, ours (service call; + lookup of the pending task):")
    rows = ours.query_counts()
    for step, n, lookup in rows:
        print(f"  {step:<18} {n:3d}" + (f"  + {lookup}" if lookup else ""))
    print(f"  {'total':<18} {sum(n for _, n, _ in rows):3d}  + {sum(lk for _, _, lk in rows)}")
    print("queries per step, spiff-on-django: submit 1 (INSERT), each approve 2 (SELECT, UPDATE)")

    met = ratio >= TARGET
    if connection.vendor == "sqlite":
        print(f"target ours >= {TARGET:.0f}x SpiffWorkflow-on-Django (same SQLite file): "
              f"{'MET' if met else 'NOT MET'} ({ratio:.2f}x)")
    else:
        print(f"target is set on SQLite; on {connection.vendor} the ratio is {ratio:.2f}x "
              f"({'would meet' if met else 'would not meet'} {TARGET:.0f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
