"""Submitting and approving requests through the API: routing, rights, conflicts, idempotency, pinning."""

from __future__ import annotations

from typing import Any

import pytest

from runtime import engine
from runtime.instances import services
from runtime.instances.models import CommandReceipt, Instance, InstanceEvent, Outbox, Task
from tests.instances.conftest import pending, purchase_flow_with_rights, purchase_form

pytestmark = pytest.mark.django_db


def act(client: Any, task: Task, action: str = "approve", **body: Any) -> Any:
    return client.post(f"/api/v1/tasks/{task.pk}/act/", {"action": action, **body}, format="json")


def approve_all(api_as: Any, instance: Instance, user: Any) -> None:
    for task in pending(instance, user):
        response = act(api_as(user), task, comment="同意")
        assert response.status_code == 200, response.json()


def test_submit_through_the_api(api_as, people, purchase_app):
    response = api_as(people.requester).post(
        "/api/v1/instances/", {"app": "purchase", "data": {"amount": 3000, "reason": "显示器"}}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "running"
    assert body["app"] == {"key": "purchase", "name": "采购申请", "name_en": "", "icon": "", "version": 1}
    assert body["title"].startswith("采购申请 · 李娜 · ")
    assert body["data"] == {"amount": 3000, "reason": "显示器"}
    assert [t["assignee"]["name"] for t in body["current_tasks"]] == ["王芳"]  # head of 华东组
    instance = Instance.objects.get(pk=body["id"])
    assert instance.initiator_department_id == people.sales_east.pk and instance.version == 1
    assert Outbox.objects.filter(instance=instance, kind="notify").exists()


def test_purchase_6000_goes_to_the_gm(api_as, people, submit):
    instance = submit(people.requester, 6000)
    approve_all(api_as, instance, people.east_lead)
    assert {t.assignee for t in pending(instance)} == {people.finance_head, people.accountant}  # 会签
    approve_all(api_as, instance, people.finance_head)
    instance.refresh_from_db()
    assert instance.status == "running"
    approve_all(api_as, instance, people.accountant)
    assert [t.assignee for t in pending(instance)] == [people.gm]
    approve_all(api_as, instance, people.gm)
    instance.refresh_from_db()
    assert (instance.status, instance.outcome) == ("completed", "approved") and instance.completed_at
    detail = api_as(people.requester).get(f"/api/v1/instances/{instance.pk}/").json()
    approvals = [e for e in detail["timeline"] if e["type"] == "task_approved"]
    assert [e["actor"]["name"] for e in approvals] == ["王芳", "赵敏", "孙悦", "王总"]
    assert all(e["comment"] == "同意" and e["duration_seconds"] is not None for e in approvals)
    gateway = next(e for e in detail["timeline"] if e["type"] == "gateway_decided")
    assert gateway["details"]["target"] == "gm" and gateway["details"]["evaluations"][0]["result"] is True


def test_purchase_3000_skips_the_gm(api_as, people, submit):
    instance = submit(people.requester, 3000)
    for user in (people.east_lead, people.finance_head, people.accountant):
        approve_all(api_as, instance, user)
    instance.refresh_from_db()
    assert (instance.status, instance.outcome) == ("completed", "approved")
    assert not Task.objects.filter(instance=instance, node_id="gm").exists()


def test_reject_ends_the_request(api_as, people, submit):
    instance = submit(people.requester, 3000)
    response = act(api_as(people.east_lead), pending(instance)[0], "reject", comment="预算不足")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["outcome"]) == ("completed", "rejected")


def test_wrong_user_acting_is_403_and_changes_nothing(api_as, people, submit):
    instance = submit(people.requester, 3000)
    task = pending(instance)[0]
    events = InstanceEvent.objects.count()
    # The initiator may see the request but is not the assignee.
    response = act(api_as(people.requester), task)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_an_assignee"
    instance.refresh_from_db()
    task.refresh_from_db()
    assert instance.version == 1 and task.status == "pending" and InstanceEvent.objects.count() == events


def test_acting_on_a_completed_task_is_409(api_as, people, submit):
    instance = submit(people.requester, 3000)
    task = pending(instance)[0]
    assert act(api_as(people.east_lead), task).status_code == 200
    response = act(api_as(people.east_lead), task)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "task_already_completed" and error["message"]
    assert error["details"]["node_id"] == "head"


def test_expected_version_mismatch_is_409(api_as, people, submit):
    instance = submit(people.requester, 3000)
    response = act(api_as(people.east_lead), pending(instance)[0], expected_version=0)
    assert response.status_code == 409 and response.json()["error"]["code"] == "version_conflict"
    assert response.json()["error"]["details"] == {"current_version": 1, "expected_version": 0}
    assert act(api_as(people.east_lead), pending(instance)[0], expected_version=1).status_code == 200


def test_repeated_request_id_returns_the_same_result(api_as, people, submit):
    instance = submit(people.requester, 3000)
    task = pending(instance)[0]
    first = act(api_as(people.east_lead), task, request_id="req-1", comment="好")
    assert first.status_code == 200
    events = InstanceEvent.objects.filter(instance=instance).count()
    again = act(api_as(people.east_lead), task, request_id="req-1", comment="好")
    assert again.status_code == 200 and again.json()["version"] == first.json()["version"]
    assert InstanceEvent.objects.filter(instance=instance).count() == events
    assert CommandReceipt.objects.filter(request_id="req-1").count() == 1


def test_repeated_submit_request_id_creates_one_instance(api_as, people, purchase_app):
    body = {"app": "purchase", "data": {"amount": 100, "reason": "笔"}, "request_id": "abc"}
    first = api_as(people.requester).post("/api/v1/instances/", body, format="json")
    again = api_as(people.requester).post("/api/v1/instances/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Instance.objects.count() == 1


def test_request_id_reused_for_another_action_is_409(api_as, people, submit):
    instance = submit(people.requester, 3000)
    assert act(api_as(people.east_lead), pending(instance)[0], request_id="r").status_code == 200
    response = api_as(people.east_lead).post(f"/api/v1/instances/{instance.pk}/comment/",
                                             {"comment": "x", "request_id": "r"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "request_id_reused"


def test_instances_keep_their_version(api_as, people, publisher, purchase_app, submit):
    from runtime.definitions import services as definitions

    old = submit(people.requester, 6000)
    flow = purchase_flow_with_rights()
    flow["edges"] = [e for e in flow["edges"] if e["id"] not in ("e4", "e6")]
    flow["edges"][-1]["is_default"] = True
    flow["edges"][-1].pop("condition", None)
    flow["nodes"] = [n for n in flow["nodes"] if n["id"] != "gm"]
    definitions.draft_save(actor=publisher, app=purchase_app, expected_revision=2, form=purchase_form(), flow=flow)
    definitions.app_publish(actor=publisher, app=purchase_app)
    new = submit(people.requester, 6000)
    assert (old.app_version.number, new.app_version.number) == (1, 2)
    for instance in (old, new):
        for user in (people.east_lead, people.finance_head, people.accountant):
            approve_all(api_as, instance, user)
    assert [t.assignee for t in pending(old)] == [people.gm]  # v1 still has the GM step
    new.refresh_from_db()
    assert new.status == "completed"


def test_read_only_field_patch_is_400_naming_the_field(api_as, people, submit):
    instance = submit(people.requester, 3000)
    response = act(api_as(people.east_lead), pending(instance)[0], form_patch={"amount": 1})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "field_not_editable" and "amount" in error["message"]
    instance.refresh_from_db()
    assert instance.data["amount"] == 3000 and instance.version == 1


def test_editable_field_patch_is_applied_and_audited(api_as, people, submit):
    from platform_core.audit.models import AuditEvent

    instance = submit(people.requester, 3000)
    response = act(api_as(people.east_lead), pending(instance)[0], form_patch={"reason": "办公电脑两台"})
    assert response.status_code == 200, response.json()
    instance.refresh_from_db()
    assert instance.data["reason"] == "办公电脑两台"
    audit = AuditEvent.objects.filter(target_type="instance", target_id=str(instance.pk)).order_by("seq")
    assert [a.action for a in audit] == ["instance.submit", "instance.approve"]
    assert audit[1].before == {"fields": {"reason": "办公电脑"}}
    assert audit[1].after["fields"] == {"reason": "办公电脑两台"} and audit[1].actor_id == people.east_lead.pk


def test_hidden_field_is_absent_for_the_approver_at_that_node(api_as, people, submit):
    instance = submit(people.requester, 6000, extra={"internal_note": "供应商是亲戚"})
    head = api_as(people.east_lead).get(f"/api/v1/instances/{instance.pk}/").json()
    assert head["data"]["internal_note"] == "供应商是亲戚"
    approve_all(api_as, instance, people.east_lead)
    for response in (
        api_as(people.accountant).get(f"/api/v1/instances/{instance.pk}/"),
        act(api_as(people.accountant), pending(instance, people.accountant)[0]),
        api_as(people.accountant).get("/api/v1/instances/?box=done"),
        api_as(people.accountant).get("/api/v1/instances/?box=todo"),
    ):
        assert response.status_code == 200
        assert "internal_note" not in str(response.content.decode()), response.json()
        assert "供应商是亲戚" not in response.content.decode()


def test_events_replay_to_the_stored_state(api_as, people, submit):
    instance = submit(people.requester, 6000)
    approve_all(api_as, instance, people.east_lead)
    act(api_as(people.finance_head), pending(instance, people.finance_head)[0], "return", target="initiator")
    instance.refresh_from_db()
    assert instance.status == "returned"
    resubmitted = api_as(people.requester).post(f"/api/v1/instances/{instance.pk}/resubmit/",
                                                {"data": {"amount": 6000, "reason": "补充说明"}}, format="json")
    assert resubmitted.status_code == 200, resubmitted.json()
    instance.refresh_from_db()
    events = [
        {"seq": e.seq, "type": e.type, "data": e.data, "actor": e.actor_ref or None, "at": None,
         "request_id": e.request_id or None, "comment": e.comment or None}
        for e in InstanceEvent.objects.filter(instance=instance).order_by("seq")
    ]
    replayed = engine.replay(services.selectors.flow_of(instance.app_version), events)
    assert replayed.to_dict() == instance.state
    assert instance.event_seq == len(events) == instance.state["seq"]


def test_withdraw_urge_and_comment(api_as, people, submit):
    instance = submit(people.requester, 3000)
    client = api_as(people.requester)
    assert client.post(f"/api/v1/instances/{instance.pk}/urge/", {}, format="json").status_code == 200
    again = client.post(f"/api/v1/instances/{instance.pk}/urge/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "urge_too_soon"
    assert Outbox.objects.filter(instance=instance, payload__kind="urged").exists()
    commented = api_as(people.east_lead).post(f"/api/v1/instances/{instance.pk}/comment/", {"comment": "稍等"},
                                              format="json")
    assert commented.status_code == 200
    assert any(e["type"] == "commented" and e["comment"] == "稍等" for e in commented.json()["timeline"])
    other = api_as(people.east_lead).post(f"/api/v1/instances/{instance.pk}/withdraw/", {}, format="json")
    assert other.status_code == 403 and other.json()["error"]["code"] == "not_the_initiator"
    client = api_as(people.requester)  # one client object: sign back in as the initiator
    done = client.post(f"/api/v1/instances/{instance.pk}/withdraw/", {"comment": "不买了"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    assert Task.objects.get(instance=instance).status == "cancelled"


def test_transfer_keeps_the_original_assignee_in_the_loop(api_as, people, submit):
    instance = submit(people.requester, 3000)
    task = pending(instance)[0]
    response = act(api_as(people.east_lead), task, "transfer", to_user=str(people.sales_head.pk))
    assert response.status_code == 200, response.json()
    task.refresh_from_db()
    assert task.assignee == people.sales_head and task.original_assignee == people.east_lead
    assert api_as(people.east_lead).get(f"/api/v1/instances/{instance.pk}/").status_code == 200
    assert act(api_as(people.sales_head), task).status_code == 200


def test_batch_approve(api_as, people, submit):
    first, second = submit(people.requester, 100), submit(people.requester, 200)
    done_task = pending(second)[0]
    act(api_as(people.east_lead), done_task)
    ids = [pending(first)[0].pk, done_task.pk, 999999]
    response = api_as(people.east_lead).post("/api/v1/tasks/batch-approve/", {"task_ids": ids}, format="json")
    assert response.status_code == 200
    rows = response.json()
    assert [r["ok"] for r in rows] == [True, False, False]
    assert [r.get("error", {}).get("code") for r in rows] == [None, "task_already_completed", "task_not_found"]


def test_unknown_action_and_missing_fields_are_400(api_as, people, submit):
    instance = submit(people.requester, 3000)
    task = pending(instance)[0]
    assert act(api_as(people.east_lead), task, "explode").status_code == 400
    response = act(api_as(people.east_lead), task, "transfer")
    assert response.status_code == 400 and response.json()["error"]["code"] == "action_invalid"


def test_invalid_submission_is_400_with_field_errors(api_as, people, purchase_app):
    response = api_as(people.requester).post("/api/v1/instances/", {"app": "purchase", "data": {"amount": -1}},
                                             format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "submission_invalid"
    assert {d["field"] for d in error["details"]} >= {"amount", "reason"}
    assert not Instance.objects.exists()


def test_app_not_startable_is_404(api_as, people, publisher, purchase_app):
    from runtime.definitions import services as definitions

    definitions.app_update(actor=publisher, app=purchase_app, visibility={"departments": [people.finance.pk]})
    body = {"app": "purchase", "data": {"amount": 1, "reason": "x"}}
    response = api_as(people.requester).post("/api/v1/instances/", body, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "app_not_found"
    assert api_as(people.accountant).post("/api/v1/instances/", body, format="json").status_code == 201
