"""publish_to_users: after commit, batched per transaction, never raising; the engine's write path feeds it."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import connection, transaction

from platform_core.realtime import publish
from platform_core.realtime.publish import INBOX_CHANGED, INSTANCE_UPDATED, publish_to_users

pytestmark = pytest.mark.django_db(transaction=True)  # real commits and rollbacks


def test_outside_a_transaction_it_sends_at_once(sent):
    publish_to_users([1, "2", None], "x", {"a": 1})
    assert sent == [{1: [{"type": "x", "payload": {"a": 1}}], 2: [{"type": "x", "payload": {"a": 1}}]}]


def test_nothing_is_sent_before_commit_and_one_batch_after(sent):
    with transaction.atomic():
        hooks_before = len(connection.run_on_commit)
        publish_to_users([1, 2], "a", {"n": 1})
        publish_to_users([1], "b", {"n": 2})
        publish_to_users([1], "a", {"n": 1})  # the same event twice is sent once
        assert sent == []
        assert len(connection.run_on_commit) == hooks_before + 1  # one callback for the whole transaction
    assert sent == [{1: [{"type": "a", "payload": {"n": 1}}, {"type": "b", "payload": {"n": 2}}],
                     2: [{"type": "a", "payload": {"n": 1}}]}]


def test_a_rolled_back_transaction_sends_nothing_and_leaves_no_stale_batch(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_to_users([1], "lost", {})
        raise RuntimeError
    with transaction.atomic():
        publish_to_users([1], "kept", {})
    assert sent == [{1: [{"type": "kept", "payload": {}}]}]


def test_a_rolled_back_savepoint_drops_only_its_events(sent):
    with transaction.atomic():
        publish_to_users([1], "outer-1", {})
        with pytest.raises(RuntimeError), transaction.atomic():
            publish_to_users([1], "inner-lost", {})
            raise RuntimeError
        with transaction.atomic():
            publish_to_users([2], "inner-kept", {})
        publish_to_users([1], "outer-2", {})
    types = [e["type"] for batch in sent for events in batch.values() for e in events]
    assert types == ["outer-1", "inner-kept", "outer-2"]


def test_a_channel_layer_that_is_down_is_logged_not_raised(monkeypatch, caplog):
    class Broken:
        async def group_send(self, group: str, message: Any) -> None:
            raise ConnectionError("redis is down")

    monkeypatch.setattr(publish, "get_channel_layer", lambda: Broken())
    with caplog.at_level(logging.ERROR, logger="platform_core.realtime.publish"), transaction.atomic():
        publish_to_users([1, 2], "x", {})
    publish_to_users([3], "y", {})  # outside a transaction too
    publish._drain()  # sends run on the sender loop, without the caller waiting
    assert sum("group_send to user." in r.getMessage() for r in caplog.records) == 3

    monkeypatch.setattr(publish, "get_channel_layer", lambda: 1 / 0)
    publish_to_users([1], "x", {})  # no layer at all: logged
    assert "channel layer unavailable" in caplog.records[-1].getMessage()


def events_for(sent: list[dict[int, list[dict[str, Any]]]], user: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(e["type"], e["payload"]) for batch in sent for e in batch.get(user.pk, [])]


def test_an_approval_tells_the_inbox_owners_and_the_participants(sent, people, submit):
    from runtime.instances import services
    from tests.instances.conftest import pending

    instance = submit(people.requester, 6000)
    submitted = {"instance_id": instance.pk, "status": "running", "version": 1}
    assert events_for(sent, people.requester) == [(INBOX_CHANGED, {"instance_id": instance.pk, "reason": "submitted"}),
                                                 (INSTANCE_UPDATED, submitted)]
    assert events_for(sent, people.east_lead) == events_for(sent, people.requester)
    sent.clear()

    services.task_act(actor=people.east_lead, task_id=pending(instance, people.east_lead)[0].pk, action="approve")
    updated = (INSTANCE_UPDATED, {"instance_id": instance.pk, "status": "running", "version": 2})
    inbox = (INBOX_CHANGED, {"instance_id": instance.pk, "reason": "tasks"})
    assert len(sent) == 1  # one flush for the step's transaction
    assert events_for(sent, people.east_lead) == [inbox, updated]  # the approved task left the todo box
    assert events_for(sent, people.finance_head) == [inbox, updated]  # 会签: both got a new task
    assert events_for(sent, people.accountant) == [inbox, updated]
    assert events_for(sent, people.requester) == [updated]  # status unchanged: nothing in 我发起的 moved
    assert events_for(sent, people.gm) == []  # not part of the request (yet)


def test_a_cc_recipient_and_the_end_of_the_request(sent, people, submit):
    from runtime.instances import services
    from tests.instances.conftest import pending

    instance = submit(people.requester, 3000)
    services.instance_cc(actor=people.requester, instance_id=instance.pk, users=[people.hr_head.pk])
    assert (INBOX_CHANGED, {"instance_id": instance.pk, "reason": "tasks"}) in events_for(sent, people.hr_head)
    sent.clear()
    services.task_act(actor=people.east_lead, task_id=pending(instance)[0].pk, action="reject", payload={})
    ended = {"instance_id": instance.pk, "status": "completed", "version": 3}
    assert events_for(sent, people.requester) == [(INBOX_CHANGED, {"instance_id": instance.pk, "reason": "status"}),
                                                 (INSTANCE_UPDATED, ended)]
    assert (INSTANCE_UPDATED, ended) in events_for(sent, people.hr_head)


def test_the_write_path_hook_reads_nothing_from_the_database(people, submit, django_assert_num_queries):
    from runtime import engine
    from runtime.instances.models import Instance

    instance = Instance.objects.get(pk=submit(people.requester, 3000).pk)
    state = engine.InstanceState.from_dict(instance.state)
    with transaction.atomic(), django_assert_num_queries(0):
        publish.instance_changed(instance.pk, instance.status, instance.version, None, state)
