"""Manual cc (抄送) and an administrator's retry of a failed node, through the API."""

from __future__ import annotations

from typing import Any

from runtime.instances.models import CcRecord, InstanceEvent, Outbox
from runtime.instances.outbox import outbox_deliver
from tests.instances.conftest import pending
from tests.instances.test_subprocess import it_flow, it_form, onboarding_flow, onboarding_form, publish, start_parent


def test_the_initiator_copies_a_request_and_it_lands_in_their_cc_box(people: Any, submit: Any, api_as: Any) -> None:
    instance = submit(people.requester, 3000)
    response = api_as(people.requester).post(f"/api/v1/instances/{instance.pk}/cc/",
                                             {"users": [str(people.hr_head.pk)], "comment": "请知悉"}, format="json")
    assert response.status_code == 200, response.json()
    assert CcRecord.objects.filter(instance=instance, user=people.hr_head).exists()
    cc_box = api_as(people.hr_head).get("/api/v1/instances/?box=cc").json()
    assert [row["id"] for row in cc_box["results"]] == [instance.pk]
    assert Outbox.objects.filter(instance=instance, kind="notify", payload__kind="cc").exists()


def test_only_people_on_the_request_may_copy_it(people: Any, submit: Any, api_as: Any) -> None:
    instance = submit(people.requester, 3000)
    # hr_head cannot see it at all: 404, no hint that it exists.
    response = api_as(people.hr_head).post(f"/api/v1/instances/{instance.pk}/cc/",
                                           {"users": [str(people.gm.pk)]}, format="json")
    assert response.status_code == 404
    response = api_as(people.requester).post(f"/api/v1/instances/{instance.pk}/cc/", {"users": []}, format="json")
    assert response.status_code == 400 and "users" in response.json()["error"]["details"]


def test_an_administrator_retries_a_failed_subprocess_node(org: Any, people: Any, publisher: Any,
                                                            api_as: Any) -> None:
    publish(publisher, "onboarding", "入职", onboarding_form(), onboarding_flow())  # the child app is missing
    parent = start_parent(people.requester)
    outbox_deliver()
    parent.refresh_from_db()
    assert parent.status == "error"

    url = f"/api/v1/instances/{parent.pk}/retry/"
    response = api_as(people.requester).post(url, {"node_id": "it"}, format="json")
    assert response.status_code in (403, 404)  # the initiator may see it, but is no administrator

    org.role("process_admin", permissions=["apps.publish"], data_scope="all")
    admin = org.user("process_admin_user", roles=["process_admin"], display_name="流程管理员")
    publish(publisher, "it-setup", "IT 开通", it_form(), it_flow())  # the admin fixes the cause
    node_id = parent.state["tokens"][0]["node_id"]
    response = api_as(admin).post(url, {"node_id": node_id, "comment": "已补建 IT 开通应用"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "running"
    assert InstanceEvent.objects.filter(instance=parent, type="retried", actor=admin).exists()
    assert outbox_deliver().done == 1
    parent.refresh_from_db()
    child = parent.children.get()
    assert pending(child)  # the child request now runs
