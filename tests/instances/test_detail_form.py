"""The detail carries the pinned form (without fields hidden from the viewer) and dictionary snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from tests.definitions.conftest import form_doc, money
from tests.instances.conftest import pending

pytestmark = pytest.mark.django_db


def detail(api_as: Any, user: Any, instance: Any) -> dict[str, Any]:
    res = api_as(user).get(f"/api/v1/instances/{instance.pk}/")
    assert res.status_code == 200, res.json()
    return res.json()


def test_initiator_gets_the_pinned_form_and_dictionary(people: Any, api_as: Any, submit: Any,
                                                       purchase_app: Any) -> None:
    instance = submit(people.requester, extra={"internal_note": "给财务看不到"})
    got = detail(api_as, people.requester, instance)
    assert got["form"] == purchase_app.published_version.form
    assert got["dictionary"] == purchase_app.published_version.dictionary_entries
    assert got["data"]["internal_note"] == "给财务看不到"


def test_form_stays_on_the_version_the_request_started_on(people: Any, api_as: Any, submit: Any,
                                                          purchase_app: Any, publisher: Any) -> None:
    from runtime.definitions import services
    from tests.instances.conftest import purchase_flow_with_rights, purchase_form

    instance = submit(people.requester)
    form = purchase_form()
    form["schema"]["properties"]["reason"]["x-label"] = {"zh": "新的事由"}
    services.draft_save(actor=publisher, app=purchase_app, expected_revision=2, form=form,
                        flow=purchase_flow_with_rights())
    services.app_publish(actor=publisher, app=purchase_app)
    got = detail(api_as, people.requester, instance)
    assert got["app"]["version"] == 1
    assert got["form"]["schema"]["properties"]["reason"]["x-label"] == {"zh": "采购事由"}


def test_hidden_field_absent_for_approver_at_the_node(people: Any, api_as: Any, submit: Any) -> None:
    from runtime.instances import services

    instance = submit(people.requester, extra={"internal_note": "SECRET-NOTE"})
    (task,) = pending(instance, people.east_lead)
    services.task_act(actor=people.east_lead, task_id=task.pk, action="approve")
    assert pending(instance, people.accountant)
    got = detail(api_as, people.accountant, instance)
    assert "internal_note" not in got["form"]["schema"]["properties"]
    assert "internal_note" not in got["form"]["ui_schema"]["order"]
    assert "internal_note" not in got["data"] and "internal_note" not in got["field_rights"]
    assert set(got["form"]["schema"]["properties"]) == {"amount", "reason"}
    assert "SECRET-NOTE" not in str(got)
    # The stored version is untouched (the filter works on a copy).
    assert "internal_note" in instance.app_version.form["schema"]["properties"]


def test_list_rows_carry_no_form(people: Any, api_as: Any, submit: Any) -> None:
    submit(people.requester)
    rows = api_as(people.requester).get("/api/v1/instances/?box=started").json()["results"]
    assert rows and "form" not in rows[0] and "dictionary" not in rows[0] and "data" not in rows[0]


def test_hidden_columns_sections_and_widgets_are_removed() -> None:
    """visible_form_document on a form with a table, sections and widgets (no database row needed)."""
    from django.utils import timezone

    from runtime.definitions.models import AppVersion
    from runtime.instances.selectors import visible_form_document

    doc = form_doc("报销", {
        "amount": money("金额"),
        "note": {"type": "string", "x-type": "text", "x-label": {"zh": "备注"}},
        "items": {"type": "array", "x-type": "table", "x-label": {"zh": "明细"},
                  "x-column-order": ["name", "cost"],
                  "items": {"type": "object", "properties": {
                      "name": {"type": "string", "x-type": "text", "x-label": {"zh": "品名"}},
                      "cost": money("成本")}, "required": ["name", "cost"], "additionalProperties": False}},
    }, ["amount", "note"])
    doc["ui_schema"]["sections"] = [{"title": {"zh": "基本"}, "fields": ["amount", "note", "items"]}]
    doc["ui_schema"]["fields"] = {"note": {"widget": "text"}, "items.cost": {"help": {"zh": "含税"}},
                                  "amount": {"help": {"zh": "元"}}}
    version = AppVersion(pk=-4242, app_id=-1, number=1, published_at=timezone.now(), form=doc)
    out = visible_form_document(version, {"note": "hidden", "items.cost": "hidden", "amount": "read_only"})
    schema = out["schema"]
    assert set(schema["properties"]) == {"amount", "items"} and schema["required"] == ["amount"]
    items = schema["properties"]["items"]
    assert set(items["items"]["properties"]) == {"name"} and items["items"]["required"] == ["name"]
    assert items["x-column-order"] == ["name"]
    assert out["ui_schema"]["order"] == ["amount", "items"]
    assert out["ui_schema"]["sections"][0]["fields"] == ["amount", "items"]
    assert out["ui_schema"]["fields"] == {"amount": {"help": {"zh": "元"}}}
    assert "note" in doc["schema"]["properties"]  # the input is not changed
    assert visible_form_document(version, {"amount": "read_only"}) is doc


def test_the_detail_draws_the_flow_without_configs_or_conditions(people: Any, api_as: Any, submit: Any) -> None:
    """diagram: nodes (id, type, name), edges and layout only — no assignee rules, no field names in conditions."""
    instance = submit(people.requester, amount=6000)
    diagram = api_as(people.requester).get(f"/api/v1/instances/{instance.pk}/").json()["diagram"]
    assert {node["type"] for node in diagram["nodes"]} >= {"start", "approval", "exclusive_gateway", "end"}
    assert all(set(node) == {"id", "type", "name"} for node in diagram["nodes"])
    assert all(set(edge) == {"id", "source", "target", "is_default"} for edge in diagram["edges"])
    assert "amount" not in str(diagram) and "assignees" not in str(diagram)
