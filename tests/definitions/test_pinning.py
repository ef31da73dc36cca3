"""A version pins the dictionary entries its form uses, as they were at publish time."""

from __future__ import annotations

from runtime.definitions import services
from tests.definitions.conftest import travel_form


def test_version_keeps_its_snapshot_after_the_dictionary_changes(api_as, publisher, make_app, dictionary):
    app = make_app("travel", travel_form(), actor=publisher)
    client = api_as(publisher)
    assert client.post("/api/v1/apps/travel/publish/").status_code == 201
    v1 = client.get("/api/v1/apps/travel/versions/1/").json()
    assert set(v1["dictionary"]) == {"expense_type"}  # only the entries the form uses
    assert v1["dictionary"] == dictionary.snapshot(["expense_type"])
    pinned = v1["dictionary"]
    version = pinned["expense_type"]["version"]

    dictionary.set_label("expense_type", "air", {"zh": "飞机票", "en": "Flight"})
    dictionary.disable("expense_type", "hotel")
    assert client.get("/api/v1/apps/travel/versions/1/").json()["dictionary"] == pinned
    # End users fill in v1 with the v1 snapshot until v2 is published.
    assert api_as(publisher).get("/api/v1/apps/travel/published/").json()["dictionary"] == pinned

    services.draft_save(actor=publisher, app=app, expected_revision=2, form=travel_form() | {"schema_version": 1})
    services.app_publish(actor=publisher, app=app)
    v2 = client.get("/api/v1/apps/travel/versions/2/").json()["dictionary"]["expense_type"]
    assert v2["version"] == version + 2
    assert next(o for o in v2["options"] if o["code"] == "hotel")["enabled"] is False
    assert next(o for o in v2["options"] if o["code"] == "air")["label"]["zh"] == "飞机票"
    assert client.get("/api/v1/apps/travel/versions/1/").json()["dictionary"] == pinned


def test_unknown_dictionary_entry_refuses_publishing(api_as, publisher, make_app, dictionary):
    form = travel_form()
    form["schema"]["properties"]["expense_type"]["x-dictionary"] = "no_such_entry"
    make_app("travel", form, actor=publisher)
    response = api_as(publisher).post("/api/v1/apps/travel/publish/")
    assert response.status_code == 400
    issue = next(i for i in response.json()["error"]["details"] if i["code"] == "dictionary_unknown")
    assert issue["field"] == "expense_type" and issue["source"] == "form"


def test_flow_conditions_are_checked_against_the_snapshot(api_as, publisher, make_app, dictionary):
    flow = {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start", "name": {"zh": "发起"}},
            {"id": "gw", "type": "exclusive_gateway", "name": {"zh": "类型"}},
            {"id": "head", "type": "approval", "name": {"zh": "负责人"},
             "config": {"assignees": [{"rule": "dept_head", "levels": 1}]}},
            {"id": "end", "type": "end", "name": {"zh": "结束"}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "gw"},
            {"id": "e2", "source": "gw", "target": "head", "condition": {"==": [{"var": "form.expense_type"}, "boat"]}},
            {"id": "e3", "source": "gw", "target": "end", "is_default": True},
            {"id": "e4", "source": "head", "target": "end"},
        ],
        "layout": {},
    }
    make_app("travel", travel_form(), flow, actor=publisher)
    issues = api_as(publisher).post("/api/v1/apps/travel/verify/").json()["issues"]
    issue = next(i for i in issues if i["code"] == "rule_unknown_dictionary_code")
    assert issue["edge_id"] == "e2" and issue["source"] == "flow"

