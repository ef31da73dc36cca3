"""GET /api/v1/apps/<key>/bpmn/: the flow as a BPMN 2.0 file, for designers only."""

from __future__ import annotations

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator

from platform_core.audit.models import AuditEvent
from runtime.definitions import services
from tests.definitions.conftest import purchase_flow, purchase_form

BPMN = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}


@pytest.fixture(scope="module")
def validator():
    return BpmnValidator()


@pytest.fixture
def purchase(make_app, publisher):
    """purchase, published as version 1, then its draft renamed the head node."""
    app = make_app("purchase", purchase_form(), purchase_flow(), actor=publisher, name="采购申请",
                   name_en="Purchase request")
    services.app_publish(actor=publisher, app=app)
    flow = purchase_flow()
    flow["nodes"][1]["name"] = {"zh": "部门负责人（草稿）", "en": "Head (draft)"}
    services.draft_save(actor=publisher, app=app, expected_revision=app.draft_revision, flow=flow)
    app.refresh_from_db()
    return app


def names(content, validator):
    """XSD-validate and parse the file; return its process id, process name and the node names."""
    root = etree.fromstring(content)
    process = root.find("bpmn:process", BPMN)
    parser = BpmnParser(validator=validator)
    parser.add_bpmn_xml(root)
    spec = parser.get_spec(process.get("id"))
    nodes = {k: v.bpmn_name for k, v in spec.task_specs.items() if k.startswith("Node_")}
    return process.get("id"), process.get("name"), nodes


def test_designer_downloads_the_draft(api_as, designer, purchase, validator):
    response = api_as(designer).get("/api/v1/apps/purchase/bpmn/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="purchase-draft.bpmn"'
    assert response.content.startswith(b"<?xml")
    process_id, name, nodes = names(response.content, validator)
    assert (process_id, name) == ("Process_purchase", "采购申请")
    assert nodes["Node_head"] == "部门负责人（草稿）"
    event = AuditEvent.objects.filter(action="app.export", target_id=str(purchase.pk)).latest("seq")
    assert event.after == {"version": "draft", "format": "bpmn"}


def test_published_and_numbered_versions(api_as, publisher, purchase, validator):
    client = api_as(publisher)
    for query, filename in (("version=published", "purchase-v1.bpmn"), ("version=1", "purchase-v1.bpmn")):
        response = client.get(f"/api/v1/apps/purchase/bpmn/?{query}&language=zh")
        assert response.status_code == 200, response.content
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert names(response.content, validator)[2]["Node_head"] == "部门负责人"


def test_language_follows_the_request_or_the_parameter(api_as, designer, purchase, validator):
    client = api_as(designer)
    english = client.get("/api/v1/apps/purchase/bpmn/")  # the test client asks for English
    _, name, nodes = names(english.content, validator)
    assert name == "Purchase request" and nodes["Node_head"] == "Head (draft)"
    chinese = client.get("/api/v1/apps/purchase/bpmn/?language=zh")
    assert names(chinese.content, validator)[2]["Node_head"] == "部门负责人（草稿）"


def test_asking_for_xml_is_not_refused_and_errors_stay_json(api_as, designer, purchase):
    client = api_as(designer)
    ok = client.get("/api/v1/apps/purchase/bpmn/", HTTP_ACCEPT="application/xml")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("application/xml")
    missing = client.get("/api/v1/apps/purchase/bpmn/?version=7", HTTP_ACCEPT="application/xml")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["error"]["code"] == "version_not_found"


def test_unknown_versions_and_unpublished_apps(api_as, designer, purchase, make_app):
    client = api_as(designer)
    response = client.get("/api/v1/apps/purchase/bpmn/?version=7")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "version_not_found"
    assert "7" in response.json()["error"]["message"]
    bad = client.get("/api/v1/apps/purchase/bpmn/?version=latest")
    assert bad.status_code == 400 and "version" in str(bad.json()["error"])
    make_app("fresh", purchase_form(), purchase_flow())
    unpublished = client.get("/api/v1/apps/fresh/bpmn/?version=published")
    assert unpublished.status_code == 404
    assert unpublished.json()["error"]["code"] == "app_not_published"
    assert client.get("/api/v1/apps/no-such-app/bpmn/").json()["error"]["code"] == "app_not_found"


def test_a_draft_that_does_not_load_is_refused_in_words(api_as, designer, make_app):
    make_app("broken", purchase_form(), {"schema_version": 1, "nodes": [{"id": "x", "type": "teleport"}],
                                         "edges": []})
    response = api_as(designer).get("/api/v1/apps/broken/bpmn/")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bpmn_export_invalid"
    assert "BPMN" in error["message"] and "draft" in error["message"]
    assert error["details"][0]["code"] == "unknown_node_type"


def test_employees_and_publish_only_users_are_refused(api_as, org, people, purchase):
    # Like the other designer-only reads: 403 whether or not the app exists (nothing to learn from keys).
    for url in ("/api/v1/apps/purchase/bpmn/", "/api/v1/apps/never-existed/bpmn/",
                "/api/v1/apps/purchase/bpmn/?version=published"):
        response = api_as(people.requester).get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"
    org.role("only_publish", permissions=["apps.publish"])
    releaser = org.user("releaser", department=people.company, roles=["only_publish"])
    assert api_as(releaser).get("/api/v1/apps/purchase/bpmn/").status_code == 403


def test_anonymous_gets_401_json(api, purchase):
    response = api.get("/api/v1/apps/purchase/bpmn/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
