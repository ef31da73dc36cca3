"""Subprocess nodes through the outbox: the child starts for the initiator, its end answers the parent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from runtime.instances import services
from runtime.instances.models import CommandReceipt, Instance, InstanceEvent, Outbox
from runtime.instances.outbox import outbox_deliver
from tests.definitions.conftest import form_doc
from tests.instances.conftest import pending


def text(label):
    return {"type": "string", "x-type": "text", "x-label": {"zh": label}, "maxLength": 100}


def it_form():
    return form_doc("IT 开通", {"employee": text("员工"), "badge_no": text("工牌号")}, ["employee"])


def it_flow():
    """The child: the general manager approves and fills in the badge number."""
    return {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start", "name": {"zh": "发起"}},
            {"id": "it", "type": "approval", "name": {"zh": "IT 审批"},
             "config": {"mode": "single", "assignees": [{"rule": "role", "role": "general_manager"}],
                        "fields": {"badge_no": "editable"}}},
            {"id": "end", "type": "end", "name": {"zh": "结束"}},
        ],
        "edges": [{"id": "e1", "source": "start", "target": "it"}, {"id": "e2", "source": "it", "target": "end"}],
        "layout": {},
    }


def onboarding_form():
    return form_doc("入职", {"employee": text("员工"), "it_result": text("IT 结果"), "badge_no": text("工牌号")},
                    ["employee"])


def onboarding_flow(child_app="it-setup", wait=True):
    """The parent: start the IT request; approved -> HR approves; otherwise the request ends rejected."""
    return {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start", "name": {"zh": "发起"}},
            {"id": "sub", "type": "subprocess", "name": {"zh": "IT 开通子流程"},
             "config": {"app": child_app, "input": {"employee": {"var": "form.employee"}},
                        "output": {"it_result": "$outcome", "badge_no": "badge_no"}, "wait": wait}},
            {"id": "gw", "type": "exclusive_gateway", "name": {"zh": "IT 是否通过"}},
            {"id": "hr", "type": "approval", "name": {"zh": "人事"},
             "config": {"mode": "single", "assignees": [{"rule": "role", "role": "hr"}]}},
            {"id": "end", "type": "end", "name": {"zh": "完成"}},
            {"id": "end_rejected", "type": "end", "name": {"zh": "未通过"}, "config": {"outcome": "rejected"}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "sub"},
            {"id": "e2", "source": "sub", "target": "gw"},
            {"id": "e3", "source": "gw", "target": "hr", "priority": 1,
             "condition": {"==": [{"var": "form.it_result"}, "approved"]}},
            {"id": "e4", "source": "gw", "target": "end_rejected", "is_default": True},
            {"id": "e5", "source": "hr", "target": "end"},
        ],
        "layout": {},
    }


def publish(publisher, key, name, form, flow):
    from runtime.definitions import services as definitions

    app = definitions.app_create(actor=publisher, key=key, name=name)
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=form, flow=flow)
    definitions.app_publish(actor=publisher, app=app)
    app.refresh_from_db()
    return app


@pytest.fixture
def apps(publisher):
    child = publish(publisher, "it-setup", "IT 开通", it_form(), it_flow())
    parent = publish(publisher, "onboarding", "入职", onboarding_form(), onboarding_flow())
    return parent, child


def start_parent(user):
    return services.instance_submit(actor=user, app_key="onboarding", data={"employee": "周杰"}).instance



def deliver_done_excluding_notifications() -> int:
    """``outbox_deliver().done`` less the ``notify`` rows it delivered along (runtime.notifications)."""
    before = Outbox.objects.filter(kind="notify", status="done").count()
    done = outbox_deliver().done
    return done - (Outbox.objects.filter(kind="notify", status="done").count() - before)

def test_child_starts_for_the_initiator_with_the_input(people, apps):
    parent_app, child_app = apps
    parent = start_parent(people.requester)
    (row,) = Outbox.objects.filter(instance=parent, kind="start_subprocess")
    assert deliver_done_excluding_notifications() == 1

    child = Instance.objects.get(parent=parent)
    assert (child.app_id, child.app_version_id) == (child_app.pk, child_app.published_version_id)
    assert child.initiator_id == people.requester.pk
    assert child.data == {"employee": "周杰"}
    assert (child.parent_node_id, child.parent_token, child.parent_waits) == ("sub", "k1", True)
    assert [t.assignee_id for t in pending(child)] == [people.gm.pk]
    row.refresh_from_db()
    assert row.status == "done"
    assert CommandReceipt.objects.get(request_id=f"outbox:{row.pk}").instance_id == child.pk
    parent.refresh_from_db()
    assert parent.status == "running" and parent.state["tokens"][0]["wait"] == "subprocess"
    # The requester sees the child among their requests (they are its initiator).
    from runtime.instances import selectors

    assert selectors.instance_get_for(people.requester, child.pk) == child


def test_child_approved_parent_goes_on_with_the_childs_data(people, apps):
    parent = start_parent(people.requester)
    outbox_deliver()
    child = Instance.objects.get(parent=parent)
    (task,) = pending(child)
    services.task_act(actor=people.gm, task_id=task.pk, action="approve", payload={"form_patch": {"badge_no": "B-42"}})
    child.refresh_from_db()
    assert (child.status, child.outcome) == ("completed", "approved")
    (answer,) = Outbox.objects.filter(instance=parent, kind="subprocess_completed")
    assert answer.payload["outcome"] == "approved" and answer.payload["child_id"] == child.pk

    assert deliver_done_excluding_notifications() == 1
    parent.refresh_from_db()
    assert parent.data["it_result"] == "approved" and parent.data["badge_no"] == "B-42"
    assert [t.assignee_id for t in pending(parent)] == [people.hr_head.pk]
    event = InstanceEvent.objects.get(instance=parent, type="subprocess_completed")
    assert event.data["outcome"] == "approved"


def test_child_rejected_parent_continues_as_the_flow_defines(people, apps):
    parent = start_parent(people.requester)
    outbox_deliver()
    child = Instance.objects.get(parent=parent)
    (task,) = pending(child)
    services.task_act(actor=people.gm, task_id=task.pk, action="reject", payload={"comment": "名额已满"})
    assert deliver_done_excluding_notifications() == 1
    parent.refresh_from_db()
    assert (parent.status, parent.outcome, parent.data["it_result"]) == ("completed", "rejected", "rejected")


def test_child_withdrawn_by_the_initiator_answers_the_parent(people, apps):
    parent = start_parent(people.requester)
    outbox_deliver()
    child = Instance.objects.get(parent=parent)
    services.instance_withdraw(actor=people.requester, instance_id=child.pk)
    assert deliver_done_excluding_notifications() == 1
    parent.refresh_from_db()
    assert (parent.status, parent.outcome, parent.data["it_result"]) == ("completed", "rejected", "withdrawn")


def test_answer_redelivery_is_idempotent(people, apps):
    parent = start_parent(people.requester)
    outbox_deliver()
    child = Instance.objects.get(parent=parent)
    services.task_act(actor=people.gm, task_id=pending(child)[0].pk, action="approve")
    outbox_deliver()
    parent.refresh_from_db()
    version = parent.version
    for row in Outbox.objects.filter(instance=parent, kind__in=("start_subprocess", "subprocess_completed")):
        Outbox.objects.filter(pk=row.pk).update(status="pending", claimed_until=None)
    assert deliver_done_excluding_notifications() == 2
    parent.refresh_from_db()
    assert parent.version == version
    assert Instance.objects.filter(parent=parent).count() == 1  # the child is not started twice


def test_missing_child_app_fails_the_start_without_retrying(people, publisher):
    publish(publisher, "onboarding", "入职", onboarding_form(), onboarding_flow(child_app="no-such-app"))
    parent = start_parent(people.requester)
    counts = outbox_deliver()
    assert (counts.claimed, counts.failed) == (1, 1)
    (row,) = Outbox.objects.filter(instance=parent, kind="start_subprocess")
    assert (row.status, row.last_error["code"]) == ("failed", "app_not_found")
    assert not Instance.objects.filter(parent=parent).exists()
    assert outbox_deliver(now=timezone.now() + timedelta(days=1)).claimed == 0
    # The parent's subprocess node fails: the request is in error with the reason, and the
    # node's fallback admins are told (an admin Retry of the node starts the child again).
    parent.refresh_from_db()
    assert parent.status == "error"
    token = parent.state["tokens"][0]
    assert (token["wait"], token["issue"]["code"]) == ("error", "app_not_found")
    assert InstanceEvent.objects.filter(instance=parent, type="subprocess_failed").exists()


def test_unpublished_child_app_and_invalid_input_are_refused(people, publisher):
    from runtime.definitions import services as definitions

    app = definitions.app_create(actor=publisher, key="it-setup", name="IT 开通")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=it_form(), flow=it_flow())
    publish(publisher, "onboarding", "入职", onboarding_form(), onboarding_flow())
    parent = start_parent(people.requester)
    outbox_deliver()
    (row,) = Outbox.objects.filter(instance=parent, kind="start_subprocess")
    assert (row.status, row.last_error["code"]) == ("failed", "app_not_published")


def test_child_input_must_fit_the_child_form(people, publisher):
    publish(publisher, "it-setup", "IT 开通", it_form(), it_flow())
    flow = onboarding_flow()
    flow["nodes"][1]["config"]["input"] = {"badge_no": {"var": "form.employee"}}  # employee (required) missing
    publish(publisher, "onboarding", "入职", onboarding_form(), flow)
    parent = start_parent(people.requester)
    assert outbox_deliver().failed == 1
    (row,) = Outbox.objects.filter(instance=parent, kind="start_subprocess")
    assert row.last_error["code"] == "submission_invalid"
    assert not Instance.objects.filter(parent=parent).exists()


def test_not_waited_child_does_not_answer(people, publisher):
    publish(publisher, "it-setup", "IT 开通", it_form(), it_flow())
    flow = onboarding_flow(wait=False)
    flow["nodes"][1]["config"].pop("output")
    publish(publisher, "onboarding", "入职", onboarding_form(), flow)
    parent = start_parent(people.requester)
    parent.refresh_from_db()
    assert all(t["node_id"] != "sub" for t in parent.state["tokens"])  # it went on at once
    outbox_deliver()
    child = Instance.objects.get(parent=parent)
    assert child.parent_waits is False
    services.task_act(actor=people.gm, task_id=pending(child)[0].pk, action="approve")
    assert not Outbox.objects.filter(kind="subprocess_completed").exists()
