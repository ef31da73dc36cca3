"""Two approvers of one 或签 node act at the same moment: exactly one decides, the other gets 409."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from platform_core.errors import Conflict
from runtime.instances import services
from runtime.instances.models import Instance, InstanceEvent
from tests.instances.conftest import pending, purchase_form

ANY_FLOW = {
    "schema_version": 1,
    "nodes": [
        {"id": "start", "type": "start", "name": {"zh": "发起"}},
        {"id": "finance", "type": "approval", "name": {"zh": "财务或签"},
         "config": {"mode": "any", "assignees": [{"rule": "role", "role": "finance"}]}},
        {"id": "end", "type": "end", "name": {"zh": "结束"}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "finance"}, {"id": "e2", "source": "finance", "target": "end"}],
    "layout": {},
}


@pytest.mark.django_db(transaction=True)
def test_any_mode_race_has_one_winner(people, publisher):
    from runtime.definitions import services as definitions

    app = definitions.app_create(actor=publisher, key="quick-buy", name="小额采购")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=purchase_form(), flow=ANY_FLOW)
    definitions.app_publish(actor=publisher, app=app)
    instance = services.instance_submit(actor=people.requester, app_key="quick-buy",
                                        data={"amount": 10, "reason": "纸"}).instance
    tasks = {t.assignee_id: t for t in pending(instance)}
    assert set(tasks) == {people.finance_head.pk, people.accountant.pk}

    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def approve(user):
        try:
            barrier.wait(timeout=5)
            for _ in range(200):
                try:
                    services.task_act(actor=user, task_id=tasks[user.pk].pk, action="approve")
                except OperationalError as exc:
                    # The test database is in-memory SQLite with a shared cache, which answers
                    # "table is locked" at once instead of waiting like the file database's
                    # busy timeout (or PostgreSQL's row lock) does; the transaction was rolled
                    # back, so waiting and retrying is what the server would do.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
                    continue
                outcomes[user.username] = "ok"
                return
        except Conflict as exc:
            outcomes[user.username] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[user.username] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (people.finance_head, people.accountant)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["ok", "task_not_active"] or sorted(outcomes.values()) == [
        "ok", "task_already_completed"], outcomes
    instance.refresh_from_db()
    assert (instance.status, instance.outcome, instance.version) == ("completed", "approved", 2)
    assert InstanceEvent.objects.filter(instance=instance, type="task_approved").count() == 1
    assert Instance.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_submission_sent_twice_at_once_makes_one_request(people, publisher):
    """A double click or a network retry: both answers name the one instance; nothing fails."""
    from runtime.definitions import services as definitions

    app = definitions.app_create(actor=publisher, key="quick-buy", name="小额采购")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=purchase_form(), flow=ANY_FLOW)
    definitions.app_publish(actor=publisher, app=app)
    for attempt in range(10):
        barrier = threading.Barrier(2)
        results: list[object] = []
        request_id = f"double-click-{attempt}"

        def submit(barrier=barrier, results=results, request_id=request_id):
            try:
                barrier.wait(timeout=5)
                for _ in range(200):
                    try:
                        result = services.instance_submit(actor=people.requester, app_key="quick-buy",
                                                          data={"amount": 10, "reason": "纸"}, request_id=request_id)
                    except OperationalError as exc:
                        if "locked" not in str(exc):  # in-memory SQLite's shared cache: retry (see above)
                            raise
                        time.sleep(0.01)
                        continue
                    results.append((result.instance.pk, result.replayed))
                    return
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                results.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=submit) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert len(results) == 2 and all(isinstance(r, tuple) for r in results), results
        assert results[0][0] == results[1][0], results
        assert sorted(r[1] for r in results) == [False, True]
    assert Instance.objects.count() == 10
