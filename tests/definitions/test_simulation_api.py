"""The seed's examples through the simulation API: "who approves a 6,000-yuan purchase from 销售部?"."""

from __future__ import annotations

import pytest

from runtime.definitions import services
from tests.definitions.conftest import NOW, leave_flow, leave_form, purchase_flow, purchase_form


@pytest.fixture
def purchase_app(make_app, publisher):
    app = make_app("purchase", purchase_form(), purchase_flow(), actor=publisher)
    services.app_publish(actor=publisher, app=app)
    return app


@pytest.fixture
def leave_app(make_app, publisher):
    app = make_app("leave", leave_form(), leave_flow(), actor=publisher)
    services.app_publish(actor=publisher, app=app)
    return app


def simulate(client, key, **body):
    response = client.post(f"/api/v1/apps/{key}/simulate/", {"now": NOW, **body}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def approvers(result, node_id):
    step = next(s for s in result["steps"] if s["node_id"] == node_id)
    return [p["name"] for p in step["approvers"]["people"]]


def test_purchase_of_6000_from_sales_goes_to_the_general_manager(api_as, publisher, purchase_app, sales_clerk):
    result = simulate(api_as(publisher), "purchase", data={"amount": 6000, "reason": "笔记本电脑"},
                      initiator=sales_clerk.pk)
    assert result["path"] == ["start", "head", "finance", "gw", "gm", "end"]
    assert result["outcome"] == "approved" and result["blocked"] is False
    assert approvers(result, "head") == ["张伟"]
    assert sorted(approvers(result, "finance")) == ["孙悦", "赵敏"]
    assert approvers(result, "gm") == ["王总"]
    head = next(s for s in result["steps"] if s["node_id"] == "head")
    assert head["approvers"]["trace"][0]["department"] == "销售部"
    assert {t["kind"] for t in head["timers"]} == {"remind", "escalate"}
    gateway = next(s for s in result["steps"] if s["node_id"] == "gw")["gateway"]
    assert gateway["taken"] == "e4" and gateway["reason"] == "first_match"
    assert result["initiator"] == {"id": str(sales_clerk.pk), "name": "刘洋"}
    assert result["submission"]["valid"] is True
    assert result["version"] == "draft"


def test_purchase_up_to_5000_skips_the_general_manager(api_as, publisher, purchase_app, sales_clerk):
    result = simulate(api_as(publisher), "purchase", data={"amount": 5000, "reason": "办公用品"},
                      initiator=sales_clerk.pk, version="published")
    assert result["path"] == ["start", "head", "finance", "gw", "end"]
    assert result["version"] == "1"


def test_urgent_request_skips_the_skippable_node(api_as, publisher, purchase_app, sales_clerk):
    result = simulate(api_as(publisher), "purchase", data={"amount": 6000, "reason": "急需"},
                      initiator=sales_clerk.pk, urgent=True)
    assert result["skipped_urgent"] == ["gm"]
    assert next(s for s in result["steps"] if s["node_id"] == "gm")["status"] == "skipped_urgent"


def test_incomplete_sample_still_simulates_and_reports_the_form_errors(api_as, publisher, purchase_app, sales_clerk):
    result = simulate(api_as(publisher), "purchase", data={"amount": 6000}, initiator=sales_clerk.pk)
    assert result["path"][-2:] == ["gm", "end"]
    submission = result["submission"]
    assert submission["valid"] is False
    assert [(e["field"], e["code"]) for e in submission["errors"]] == [("reason", "required")]
    assert all("%(" not in e["message"] for e in submission["errors"])


def test_missing_amount_blocks_with_a_reason(api_as, publisher, purchase_app, sales_clerk):
    result = simulate(api_as(publisher), "purchase", data={}, initiator=sales_clerk.pk)
    assert result["blocked"] is True
    assert result["blocking"][0]["code"] == "sim_missing_value"
    assert "%(" not in result["blocking"][0]["message"]


@pytest.mark.parametrize(
    ("period", "days", "path"),
    [
        ({"start": "2025-10-09", "end": "2025-10-10"}, 2, ["start", "head", "days_gw", "cc_hr", "end"]),
        ({"start": "2025-10-09", "end": "2025-10-13"}, 5, ["start", "head", "days_gw", "hr", "end"]),
    ],
)
def test_leave_days_are_computed_and_route_to_hr(api_as, publisher, leave_app, people, period, days, path):
    result = simulate(api_as(publisher), "leave", data={"leave_type": "annual", "period": period},
                      initiator=people.requester.pk)
    assert result["submission"]["data"]["days"] == days
    assert result["path"] == path
    assert approvers(result, "head") == ["王芳"]
    hr_node = "hr" if days > 3 else "cc_hr"
    assert approvers(result, hr_node) == ["陈静"]


def test_lenient_compute_when_the_sample_is_invalid(api_as, publisher, leave_app, people):
    # No leave type (required): the days are still computed so the route can be shown.
    result = simulate(api_as(publisher), "leave", data={"period": {"start": "2025-10-09", "end": "2025-10-13"}},
                      initiator=people.requester.pk)
    assert result["submission"]["valid"] is False
    assert result["submission"]["data"]["days"] == 5
    assert result["path"][-2:] == ["hr", "end"]


def test_unknown_initiator_and_bad_version(api_as, publisher, purchase_app):
    client = api_as(publisher)
    result = simulate(client, "purchase", data={"amount": 1}, initiator="999999")
    assert result["blocking"][0]["code"] == "sim_initiator_unknown"
    bad = client.post("/api/v1/apps/purchase/simulate/", {"initiator": "1", "version": "latest"}, format="json")
    assert bad.status_code == 400 and "version" in bad.json()["error"]["details"]
    missing = client.post("/api/v1/apps/purchase/simulate/", {"initiator": "1", "version": 7}, format="json")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "version_not_found"


def test_batch_compares_the_draft_with_the_published_version(api_as, publisher, purchase_app, sales_clerk):
    flow = purchase_flow()
    flow["edges"][3]["condition"] = {">": [{"var": "form.amount"}, 8000]}  # the GM only above 8,000 now
    services.draft_save(actor=publisher, app=purchase_app, expected_revision=2, flow=flow)
    samples = [
        {"name": "6000", "data": {"amount": 6000, "reason": "x"}, "initiator": str(sales_clerk.pk)},
        {"name": "9000", "data": {"amount": 9000, "reason": "x"}, "initiator": str(sales_clerk.pk)},
    ]
    response = api_as(publisher).post("/api/v1/apps/purchase/simulate-batch/", {"samples": samples, "now": NOW},
                                      format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["total"] == 2 and body["differing"] == 1 and body["published_version"] == 1
    six, nine = body["items"]
    assert six["differs"] is True and six["divergence"]["node_id"] in {"gw", "gm", "end"}
    assert "gm" in six["published"]["path"] and "gm" not in six["draft"]["path"]
    assert nine["differs"] is False
    gm = next(s for s in nine["draft"]["steps"] if s["node_id"] == "gm")
    assert gm["approvers"]["people"][0]["name"] == "王总"


def test_batch_needs_a_published_version(api_as, publisher, make_app, sales_clerk):
    make_app("fresh", purchase_form(), purchase_flow(), actor=publisher)
    response = api_as(publisher).post(
        "/api/v1/apps/fresh/simulate-batch/",
        {"samples": [{"data": {"amount": 1}, "initiator": str(sales_clerk.pk)}]}, format="json",
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "app_not_published"


def test_unloadable_draft_flow_is_a_clear_400(api_as, publisher, make_app, sales_clerk):
    make_app("broken", purchase_form(), {"schema_version": 1, "nodes": "nope"}, actor=publisher)
    response = api_as(publisher).post("/api/v1/apps/broken/simulate/", {"initiator": str(sales_clerk.pk)},
                                      format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "simulation_invalid"
    assert response.json()["error"]["details"]
