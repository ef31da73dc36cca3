"""The timeline obeys field rights: hidden fields and sub-table columns never reach a viewer, in any trace."""

from __future__ import annotations

import json
from typing import Any

import pytest

from runtime.instances import services
from tests.definitions.conftest import form_doc, money
from tests.instances.conftest import pending

pytestmark = pytest.mark.django_db

SECRET_NOTE = "SECRET-NOTE-7731"  # hidden field X
SECRET_COST = 4242.17  # hidden column Y (items.cost), as submitted
PATCHED_COST = 5150.29  # the head's edit of that column
MARK = {"hidden": True}


def expense_form() -> dict[str, Any]:
    """报销: a note and a reviewer finance must not see, and lines whose cost finance must not see."""
    return form_doc(
        "报销申请",
        {
            "amount": money("金额", maximum=10_000_000),
            "secret_note": {"type": "string", "x-type": "text", "x-label": {"zh": "内部备注"}},
            "reviewer": {"type": "string", "x-type": "user", "x-label": {"zh": "复核人"}},
            "items": {
                "type": "array", "x-type": "table", "x-label": {"zh": "明细"}, "maxItems": 10,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "x-type": "text", "x-label": {"zh": "品名"}, "maxLength": 50},
                        "cost": money("成本"),
                    },
                    "additionalProperties": False,
                },
            },
        },
        ["amount"],
    )


def expense_flow(people: Any) -> dict[str, Any]:
    """head (may edit the lines) → a gateway reading the hidden note and column → finance (hides them)."""
    hidden = {"secret_note": "hidden", "reviewer": "hidden", "items.cost": "hidden", "amount": "read_only"}
    return {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start", "name": {"zh": "发起"}},
            {"id": "head", "type": "approval", "name": {"zh": "部门负责人"},
             "config": {"mode": "single", "assignees": [{"rule": "dept_head", "levels": 1}],
                        "fields": {"items": "editable"}}},
            {"id": "gw", "type": "exclusive_gateway", "name": {"zh": "判断"}},
            {"id": "finance", "type": "approval", "name": {"zh": "财务"},
             "config": {"mode": "all", "fields": hidden, "assignees": [
                 {"rule": "role", "role": "finance"},
                 {"rule": "form_field", "field": "reviewer"},
                 {"rule": "dynamic", "candidates": [str(people.finance_head.pk)],
                  "select": {"var": "form.secret_note"}},
             ]}},
            {"id": "end", "type": "end", "name": {"zh": "结束"}, "config": {"outcome": "approved"}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "head"},
            {"id": "e2", "source": "head", "target": "gw"},
            {"id": "e3", "source": "gw", "target": "finance", "priority": 1,
             "condition": {"or": [{"==": [{"var": "form.secret_note"}, "nothing"]},
                                  {"some": [{"var": "form.items"}, {">": [{"var": "cost"}, 1000]}]}]}},
            {"id": "e4", "source": "gw", "target": "finance", "is_default": True},
            {"id": "e5", "source": "finance", "target": "end"},
        ],
    }


@pytest.fixture
def request_at_finance(publisher: Any, people: Any) -> Any:
    """A request the head approved after raising a line's cost; finance (会签) now holds it."""
    from runtime.definitions import services as definitions

    app = definitions.app_create(actor=publisher, key="expense", name="报销申请")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=expense_form(),
                           flow=expense_flow(people))
    definitions.app_publish(actor=publisher, app=app)
    data = {"amount": 300, "secret_note": SECRET_NOTE, "reviewer": str(people.hr_head.pk),
            "items": [{"name": "键盘", "cost": SECRET_COST}]}
    instance = services.instance_submit(actor=people.requester, app_key="expense", data=data).instance
    services.task_act(actor=people.east_lead, task_id=pending(instance)[0].pk, action="approve",
                      payload={"form_patch": {"items": [{"name": "键盘", "cost": PATCHED_COST}]}})
    assert {t.assignee for t in pending(instance)} == {people.finance_head, people.accountant, people.hr_head}
    return instance


def entry(body: dict[str, Any], type_: str) -> dict[str, Any]:
    return next(e for e in body["timeline"] if e["type"] == type_)


def finance_trace(body: dict[str, Any]) -> list[dict[str, Any]]:
    return next(e for e in body["timeline"] if e["type"] == "node_activated" and e["node_id"] == "finance")[
        "details"]["trace"]


def test_a_viewer_whose_node_hides_a_field_and_a_column_never_receives_their_values(
        api_as, people, request_at_finance):
    response = api_as(people.accountant).get(f"/api/v1/instances/{request_at_finance.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    for secret in (SECRET_NOTE, json.dumps(SECRET_COST), json.dumps(PATCHED_COST)):
        assert secret not in text, secret
    body = response.json()
    assert body["data"]["items"] == [{"name": "键盘"}] and "secret_note" not in body["data"]
    # The gateway still explains itself: its rule and result stay, the hidden values become the marker.
    evaluation = entry(body, "gateway_decided")["details"]["evaluations"][0]
    assert evaluation["result"] is True and evaluation["rule"]["or"]
    assert evaluation["values"]["form.secret_note"] == MARK
    assert evaluation["values"]["form.items"] == [{"name": "键盘"}]
    assert evaluation["values"]["form.items.cost"] == MARK
    # Assignee traces: which rule and field found whom stays; the values read are masked.
    trace = finance_trace(body)
    by_rule = {t["rule"]: t for t in trace}
    assert by_rule["form_field"] == {"rule": "form_field", "field": "reviewer", "user_id": MARK, "user": MARK}
    assert by_rule["dynamic"]["selected"] == MARK and by_rule["dynamic"]["ignored"] == MARK
    assert by_rule["role"]["users"]  # other rules are untouched
    # The head changed only the hidden column: finance is not told that the lines changed.
    assert entry(body, "task_approved")["details"]["patched_fields"] == []


def test_the_initiator_whose_start_node_shows_everything_sees_the_values(api_as, people, request_at_finance):
    response = api_as(people.requester).get(f"/api/v1/instances/{request_at_finance.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    for secret in (SECRET_NOTE, json.dumps(PATCHED_COST)):
        assert secret in text, secret
    body = response.json()
    evaluation = entry(body, "gateway_decided")["details"]["evaluations"][0]
    assert evaluation["values"]["form.secret_note"] == SECRET_NOTE
    assert evaluation["values"]["form.items"] == [{"name": "键盘", "cost": PATCHED_COST}]
    by_rule = {t["rule"]: t for t in finance_trace(body)}
    assert by_rule["form_field"]["user"] == "陈静" and by_rule["form_field"]["user_id"] == str(people.hr_head.pk)
    assert by_rule["dynamic"]["ignored"] == [SECRET_NOTE]
    assert entry(body, "task_approved")["details"]["patched_fields"] == ["items"]


def test_a_past_approver_gets_every_field_hidden_anywhere_hidden(api_as, people, request_at_finance):
    text = api_as(people.east_lead).get(f"/api/v1/instances/{request_at_finance.pk}/").content.decode()
    for secret in (SECRET_NOTE, json.dumps(SECRET_COST), json.dumps(PATCHED_COST)):
        assert secret not in text, secret


def test_the_timeline_after_an_action_obeys_the_actors_rights(api_as, people, request_at_finance):
    task = pending(request_at_finance, people.accountant)[0]
    response = api_as(people.accountant).post(f"/api/v1/tasks/{task.pk}/act/", {"action": "approve"}, format="json")
    assert response.status_code == 200, response.json()
    text = response.content.decode()
    for secret in (SECRET_NOTE, json.dumps(SECRET_COST), json.dumps(PATCHED_COST)):
        assert secret not in text, secret
