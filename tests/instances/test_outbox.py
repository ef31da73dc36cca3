"""Outbox delivery of service nodes: a real webhook, retries, failures, concurrency and redelivery."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from connectors.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from runtime import engine
from runtime.instances import services
from runtime.instances.models import CommandReceipt, Instance, InstanceEvent, Outbox
from runtime.instances.outbox import backoff, outbox_deliver
from tests.connectors.conftest import SECRET
from tests.connectors.webhook_server import Reply, WebhookServer
from tests.definitions.conftest import form_doc, money
from tests.instances.conftest import pending


@pytest.fixture
def webhook():
    with WebhookServer() as server:
        yield server


def contract_form():
    return form_doc("合同登记", {
        "title": {"type": "string", "x-type": "text", "x-label": {"zh": "合同名称"}, "maxLength": 100},
        "amount": money("金额", maximum=10_000_000),
        "contract_no": {"type": "string", "x-type": "text", "x-label": {"zh": "合同编号"}, "maxLength": 50},
    }, ["title", "amount"])


def contract_flow(on_error: str = "fail"):
    """Start -> push to the legal system (writes contract_no back) -> finance -> end."""
    return {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start", "name": {"zh": "发起"}},
            {"id": "legal", "type": "service", "name": {"zh": "推送法务系统", "en": "Push to legal"},
             "config": {"connector": "legal", "operation": "register",
                        "input": {"title": {"var": "form.title"}, "amount": {"var": "form.amount"}},
                        "output": {"contract_no": "data.contract_no"}, "on_error": on_error}},
            {"id": "finance", "type": "approval", "name": {"zh": "财务"},
             "config": {"mode": "any", "assignees": [{"rule": "role", "role": "finance"}]}},
            {"id": "end", "type": "end", "name": {"zh": "结束"}},
        ],
        "edges": [{"id": "e1", "source": "start", "target": "legal"},
                  {"id": "e2", "source": "legal", "target": "finance"},
                  {"id": "e3", "source": "finance", "target": "end"}],
        "layout": {},
    }


@pytest.fixture
def contract_app(publisher):
    from runtime.definitions import services as definitions

    app = definitions.app_create(actor=publisher, key="contract", name="合同登记")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=contract_form(), flow=contract_flow())
    definitions.app_publish(actor=publisher, app=app)
    return app


@pytest.fixture
def legal(webhook):
    from connectors.services import connector_save

    return connector_save(actor=None, system=True, key="legal", kind="http",
                          config={"url": webhook.url, "secret": SECRET, "timeout": 2})


def submit(user, title="服务器采购合同", amount=8000):
    return services.instance_submit(actor=user, app_key="contract", data={"title": title, "amount": amount}).instance


def calls(instance):
    return list(Outbox.objects.filter(instance=instance, kind="call_connector"))



def deliver_done_excluding_notifications() -> int:
    """``outbox_deliver().done`` less the ``notify`` rows it delivered along (runtime.notifications)."""
    before = Outbox.objects.filter(kind="notify", status="done").count()
    done = outbox_deliver().done
    return done - (Outbox.objects.filter(kind="notify", status="done").count() - before)

def test_connector_result_is_written_back_and_the_flow_goes_on(people, contract_app, legal, webhook):
    webhook.replies.append(Reply(200, {"data": {"contract_no": "HT-2025-001"}}))
    instance = submit(people.requester)
    assert instance.status == "running" and pending(instance) == []
    (row,) = calls(instance)
    assert (row.status, row.attempts) == ("pending", 0)

    counts = outbox_deliver()
    assert (counts.claimed, counts.done) == (1, 1)

    (got,) = webhook.received
    assert got.json() == {"operation": "register", "input": {"title": "服务器采购合同", "amount": 8000}}
    assert verify(SECRET, got.headers[TIMESTAMP_HEADER], got.body, got.headers[SIGNATURE_HEADER])
    assert got.headers[DELIVERY_HEADER] == f"outbox:{row.pk}"
    instance.refresh_from_db()
    row.refresh_from_db()
    assert instance.data["contract_no"] == "HT-2025-001"
    assert {t.assignee_id for t in pending(instance)} == {people.finance_head.pk, people.accountant.pk}
    assert (row.status, row.attempts, row.last_error) == ("done", 1, None)
    assert row.delivered_at is not None and row.claimed_until is None
    receipt = CommandReceipt.objects.get(request_id=f"outbox:{row.pk}")
    assert receipt.actor_id is None and receipt.command == "service_completed"
    assert InstanceEvent.objects.filter(instance=instance, type="service_completed").count() == 1


def test_kinds_without_a_handler_stay_pending_and_untouched(people, contract_app, legal, webhook):
    webhook.replies.append(Reply(200, {"data": {"contract_no": "HT-1"}}))
    instance = submit(people.requester)
    outbox_deliver()
    others = Outbox.objects.filter(instance=instance).exclude(kind="call_connector")
    assert {o.kind for o in others} >= {"notify"}  # new_task notifications of the finance node
    assert all((o.status, o.attempts, o.claimed_until, o.last_error) == ("pending", 0, None, None) for o in others)


def test_503_is_retried_with_backoff_then_succeeds(people, contract_app, legal, webhook):
    webhook.replies.extend([Reply(503, {"error": "maintenance"}), Reply(200, {"data": {"contract_no": "HT-9"}})])
    instance = submit(people.requester)
    now = timezone.now()

    counts = outbox_deliver(now=now)
    assert (counts.claimed, counts.retried) == (1, 1)
    (row,) = calls(instance)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.available_at == now + backoff(1) == now + timedelta(seconds=30)
    assert row.last_error["code"] == "connector_unavailable" and row.last_error["retryable"] is True
    instance.refresh_from_db()
    assert instance.status == "running" and "contract_no" not in instance.data

    assert outbox_deliver(now=now + timedelta(seconds=10)).claimed == 0  # not due yet
    assert outbox_deliver(now=now + timedelta(seconds=31)).done == 1
    row.refresh_from_db()
    instance.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 2)
    assert instance.data["contract_no"] == "HT-9"
    assert len(webhook.received) == 2
    assert {r.headers[DELIVERY_HEADER] for r in webhook.received} == {f"outbox:{row.pk}"}


def test_retry_after_is_honoured():
    assert backoff(1, retry_after=600) == timedelta(seconds=600)
    assert backoff(1, retry_after=10**9) == timedelta(hours=1)
    assert backoff(20) == timedelta(hours=1)


def _assert_in_error_state(instance, code):
    instance.refresh_from_db()
    assert instance.status == "error"
    (token,) = instance.state["tokens"]
    assert (token["node_id"], token["wait"], token["issue"]["code"]) == ("legal", "error", code)
    failed = InstanceEvent.objects.get(instance=instance, type="service_failed")
    assert failed.data["code"] == code


def test_400_fails_at_once_and_the_instance_stops_in_error(people, contract_app, legal, webhook):
    webhook.replies.append(Reply(400, {"error": "amount missing"}))
    instance = submit(people.requester)
    counts = outbox_deliver()
    assert (counts.claimed, counts.failed) == (1, 1)
    (row,) = calls(instance)
    assert (row.status, row.attempts, row.last_error["code"]) == ("failed", 1, "connector_rejected")
    _assert_in_error_state(instance, "connector_rejected")
    assert pending(instance) == []
    assert outbox_deliver(now=timezone.now() + timedelta(days=1)).claimed == 0  # failed rows are not retried


def test_retryable_failures_give_up_after_max_attempts(people, contract_app, legal, webhook, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    webhook.default = Reply(503, {})
    instance = submit(people.requester)
    now = timezone.now()
    for attempt in range(1, 4):
        counts = outbox_deliver(now=now)
        assert counts.claimed == 1, attempt
        now += timedelta(hours=2)
    (row,) = calls(instance)
    assert (row.status, row.attempts, row.last_error["code"]) == ("failed", 3, "connector_unavailable")
    _assert_in_error_state(instance, "connector_unavailable")
    assert len(webhook.received) == 3


def test_missing_connector_fails_the_node_with_a_clear_code(people, contract_app):
    instance = submit(people.requester)
    assert outbox_deliver().failed == 1
    _assert_in_error_state(instance, "connector_not_found")


def test_admin_retry_after_a_failure_calls_the_connector_again(people, contract_app, legal, webhook):
    webhook.replies.extend([Reply(400, {}), Reply(200, {"data": {"contract_no": "HT-2"}})])
    instance = submit(people.requester)
    outbox_deliver()
    # The admin retry service is a later issue; the engine command it will send is Retry.
    from django.db import transaction

    from runtime.instances.services import _lock, _run

    with transaction.atomic():
        _run(_lock(instance.pk), engine.Retry(actor=engine.SYSTEM, node_id="legal"), actor=None,
             now=timezone.now(), meta=None, request_id=None)
    assert deliver_done_excluding_notifications() == 1
    instance.refresh_from_db()
    assert instance.status == "running" and instance.data["contract_no"] == "HT-2"


def test_redelivery_is_idempotent(people, contract_app, legal, webhook):
    webhook.default = Reply(200, {"data": {"contract_no": "HT-3"}})
    instance = submit(people.requester)
    outbox_deliver()
    instance.refresh_from_db()
    version, events = instance.version, InstanceEvent.objects.filter(instance=instance).count()
    (row,) = calls(instance)

    # A worker that crashed after the engine step but before anyone saw "done" is the same
    # as the row being delivered again: the engine answer is a stored receipt, not a second step.
    Outbox.objects.filter(pk=row.pk).update(status="pending", claimed_until=None)
    assert deliver_done_excluding_notifications() == 1
    instance.refresh_from_db()
    assert (instance.version, InstanceEvent.objects.filter(instance=instance).count()) == (version, events)
    assert CommandReceipt.objects.filter(request_id=f"outbox:{row.pk}").count() == 1
    replay = services.instance_system_command(
        instance_id=instance.pk, request_id=f"outbox:{row.pk}",
        command=engine.ServiceCompleted(actor=engine.SYSTEM, node_id="legal", token="k1", result={}))
    assert replay.replayed and replay.instance.version == version


def test_a_crashed_workers_row_is_taken_again_after_its_lease(people, contract_app, legal, webhook):
    from runtime.instances import outbox

    webhook.default = Reply(200, {"data": {"contract_no": "HT-4"}})
    instance = submit(people.requester)
    now = timezone.now()
    (stale,) = outbox._claim(10, now)  # claimed, then the worker died
    assert outbox_deliver(now=now + timedelta(minutes=1)).claimed == 0  # the lease holds
    assert outbox_deliver(now=now + outbox.LEASE + timedelta(seconds=1)).done == 1
    # The dead worker wakes up: its attempt is no longer the latest, so it records nothing.
    assert outbox._record(stale, now, status="failed") == "lost"
    (row,) = calls(instance)
    assert (row.status, row.attempts) == ("done", 2)
    instance.refresh_from_db()
    assert instance.data["contract_no"] == "HT-4"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliverers_deliver_each_row_exactly_once(people, publisher, webhook):
    from connectors.services import connector_save
    from runtime.definitions import services as definitions

    app = definitions.app_create(actor=publisher, key="contract", name="合同登记")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=contract_form(), flow=contract_flow())
    definitions.app_publish(actor=publisher, app=app)
    connector_save(actor=None, system=True, key="legal", kind="http",
                   config={"url": webhook.url, "secret": SECRET, "timeout": 5})
    webhook.default = lambda got: Reply(200, {"data": {"contract_no": got.headers[DELIVERY_HEADER]}}, delay=0.05)
    instances = [submit(people.requester, title=f"合同{i}") for i in range(8)]

    barrier = threading.Barrier(2)
    results: list[object] = []

    def deliver():
        try:
            barrier.wait(timeout=5)
            while True:  # small batches, so the two deliverers interleave claims and calls
                counts = outbox_deliver(limit=2)
                if not counts.claimed:
                    break
                results.append(counts)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(not isinstance(r, Exception) for r in results), results
    # 8 connector calls, plus the notify rows of the finance tasks they led to (runtime.notifications)
    handled = Outbox.objects.filter(kind__in=("call_connector", "notify")).count()
    assert sum(r.claimed for r in results) == handled and sum(r.done for r in results) == handled, results
    ids = [r.headers[DELIVERY_HEADER] for r in webhook.received]
    assert len(ids) == 8 and len(set(ids)) == 8
    for instance in instances:
        instance.refresh_from_db()
        (row,) = calls(instance)
        assert (row.status, row.attempts) == ("done", 1)
        assert instance.data["contract_no"] == f"outbox:{row.pk}"
        assert InstanceEvent.objects.filter(instance=instance, type="service_completed").count() == 1
    assert Instance.objects.count() == 8


def test_management_command_runs_one_batch(people, contract_app, legal, webhook):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    webhook.default = Reply(200, {"data": {"contract_no": "HT-5"}})
    submit(people.requester)
    out = StringIO()
    call_command("deliver_outbox", "--once", stdout=out)
    assert out.getvalue().strip() == "claimed=1 done=1 retried=0 failed=0 lost=0"
    for bad in (["--interval", "0"], ["--interval", "soon"], ["--limit", "-3"]):
        with pytest.raises(CommandError, match="must be a positive number"):
            call_command("deliver_outbox", "--once", *bad)


def test_management_command_bad_arguments_exit_with_one_line():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for args in (["--bogus"], ["--interval", "0"]):
        done = subprocess.run([sys.executable, "manage.py", "deliver_outbox", *args], cwd=root,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode != 0
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
