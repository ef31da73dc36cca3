"""An app's life through the API: create, edit the draft, verify, publish, version, roll back, diff."""

from __future__ import annotations

import copy

import pytest

from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_verify_chain
from runtime.definitions import services
from runtime.definitions.exceptions import VersionImmutable
from runtime.definitions.models import App, AppVersion
from tests.definitions.conftest import purchase_flow, purchase_form


def put_draft(client, key, revision, **docs):
    return client.put(f"/api/v1/apps/{key}/draft/", {"expected_revision": revision, **docs}, format="json")


def test_create_gives_a_starter_draft_that_verifies(api_as, designer):
    client = api_as(designer)
    response = client.post("/api/v1/apps/", {"key": "purchase", "name": "采购申请", "name_en": "Purchase",
                                             "icon": "shopping-cart", "category": "finance"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["key"] == "purchase" and body["owner"]["username"] == "designer"
    assert body["published_version"] is None and body["has_unpublished_changes"] is True
    assert body["visibility"] == {"departments": [], "roles": [], "users": []}
    draft = client.get("/api/v1/apps/purchase/draft/").json()
    assert draft["revision"] == 1
    assert draft["form"]["schema_version"] == 1 and draft["form"]["schema"]["properties"] == {}
    assert [n["type"] for n in draft["flow"]["nodes"]] == ["start", "approval", "end"]
    assert draft["flow"]["nodes"][1]["config"]["assignees"] == [{"rule": "dept_head", "levels": 1}]
    verdict = client.post("/api/v1/apps/purchase/verify/").json()
    assert verdict["ok"] is True and verdict["errors"] == 0


@pytest.mark.parametrize("key", ["", "A", "x", "1abc", "has space", "import", "a" * 65])
def test_bad_and_reserved_keys_are_refused(api_as, designer, key):
    response = api_as(designer).post("/api/v1/apps/", {"key": key, "name": "n"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in {"app_key_invalid", "validation_failed"}


def test_taken_key_is_refused(api_as, designer, make_app):
    make_app("purchase")
    response = api_as(designer).post("/api/v1/apps/", {"key": "purchase", "name": "again"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "app_key_invalid"
    assert "already used" in response.json()["error"]["message"] or "已" in response.json()["error"]["message"]


def test_draft_save_needs_the_current_revision(api_as, designer, make_app):
    make_app("purchase")
    client = api_as(designer)
    saved = put_draft(client, "purchase", 1, form=purchase_form())
    assert saved.status_code == 200, saved.json()
    assert saved.json()["revision"] == 2
    assert App.objects.get(key="purchase").draft_revision == 2
    # A second editor still on revision 1 would overwrite the first: refused.
    stale = put_draft(client, "purchase", 1, flow=purchase_flow())
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "draft_conflict"
    assert error["details"]["current_revision"] == 2 and error["details"]["updated_by"]["name"] == "设计员"
    assert put_draft(client, "purchase", 2, flow=purchase_flow()).json()["revision"] == 3


def test_draft_may_be_incomplete_but_must_be_bounded_json(api_as, designer, make_app):
    make_app("purchase")
    client = api_as(designer)
    half_done = {"schema_version": 1, "nodes": [{"id": "start"}], "edges": []}
    assert put_draft(client, "purchase", 1, flow=half_done).status_code == 200
    no_version = put_draft(client, "purchase", 2, flow={"nodes": []})
    assert no_version.status_code == 400 and no_version.json()["error"]["code"] == "draft_invalid"
    not_object = put_draft(client, "purchase", 2, form=["x"])
    assert not_object.status_code == 400 and not_object.json()["error"]["code"] == "draft_invalid"
    big = purchase_form()
    big["schema"]["description"] = "长" * 400_000  # 1.2 MB of UTF-8
    too_big = put_draft(client, "purchase", 2, form=big)
    assert too_big.status_code == 400
    assert too_big.json()["error"]["code"] == "draft_invalid"
    assert too_big.json()["error"]["details"]["limit"] == 1_000_000
    assert client.get("/api/v1/apps/purchase/draft/").json()["revision"] == 2


def test_whole_request_size_is_bounded(api_as, designer, make_app):
    make_app("purchase")
    body = '{"expected_revision": 1, "form": {"schema_version": 1, "x": "' + "a" * 2_200_000 + '"}}'
    response = api_as(designer).put("/api/v1/apps/purchase/draft/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "request_too_large"


def broken_purchase():
    """The purchase form without its amount field, and a gateway without a default branch."""
    form = purchase_form()
    del form["schema"]["properties"]["amount"]
    form["schema"]["required"] = ["reason"]
    form["ui_schema"]["order"] = ["reason"]
    form["schema"]["properties"]["note"] = {"x-type": "no_such_type", "x-label": {"zh": "备注"}}
    form["ui_schema"]["order"].append("note")
    flow = purchase_flow()
    for edge in flow["edges"]:
        if edge["id"] == "e5":
            edge["is_default"] = False
            edge["condition"] = {"<": [{"var": "form.amount"}, 100]}
    return form, flow


def test_publish_is_refused_with_issues_pointing_at_fields_nodes_and_edges(api_as, publisher, make_app):
    form, flow = broken_purchase()
    make_app("purchase", form, flow, actor=publisher)
    client = api_as(publisher)
    verdict = client.post("/api/v1/apps/purchase/verify/").json()
    assert verdict["ok"] is False
    codes = {(i["code"], i["field"]) for i in verdict["issues"]}
    assert ("field_type_unknown", "note") in codes
    refused = client.post("/api/v1/apps/purchase/publish/", {"note": "v1"}, format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "publish_refused"
    assert str(sum(1 for i in error["details"] if i["severity"] == "error")) in error["message"]
    by_code = {i["code"]: i for i in error["details"]}
    assert by_code["field_type_unknown"]["source"] == "form"
    assert by_code["field_type_unknown"]["pointer"].startswith("/schema/properties/note")
    # With the form broken, flow issues about fields would be noise; fix the form first.
    form["schema"]["properties"].pop("note")
    form["ui_schema"]["order"].remove("note")
    services.draft_save(actor=publisher, app=App.objects.get(key="purchase"), expected_revision=2, form=form)
    issues = client.post("/api/v1/apps/purchase/publish/").json()["error"]["details"]
    by_code = {i["code"]: i for i in issues}
    unknown_field = by_code["rule_unknown_field"]
    assert unknown_field["edge_id"] in {"e4", "e5"} and unknown_field["field"] == "amount"
    assert by_code["gateway_no_default"]["node_id"] == "gw"
    assert by_code["field_right_unknown_field"]["node_id"] in {"start", "head", "finance"}
    assert all(i["message"] and "%(" not in i["message"] for i in issues)
    assert not AppVersion.objects.exists()
    # Fixed: publishing goes through and freezes version 1.
    app = App.objects.get(key="purchase")
    services.draft_save(actor=publisher, app=app, expected_revision=3, form=purchase_form(), flow=purchase_flow())
    published = client.post("/api/v1/apps/purchase/publish/")
    assert published.status_code == 201 and published.json()["number"] == 1
    assert AppVersion.objects.get(app=app).flow == purchase_flow()


def test_publish_versions_are_numbered_and_immutable(api_as, publisher, make_app):
    app = make_app("purchase", purchase_form(), purchase_flow(), actor=publisher)
    client = api_as(publisher)
    v1 = client.post("/api/v1/apps/purchase/publish/", {"note": "首次发布"}, format="json")
    assert v1.status_code == 201, v1.json()
    assert v1.json()["number"] == 1 and v1.json()["note"] == "首次发布"
    assert v1.json()["published_by"]["username"] == "publisher"
    listed = client.get("/api/v1/apps/purchase/").json()
    assert listed["published_version"]["number"] == 1 and listed["has_unpublished_changes"] is False
    v1_form = copy.deepcopy(client.get("/api/v1/apps/purchase/versions/1/").json()["form"])

    # Edit the draft and publish v2: v1 keeps its documents.
    form = purchase_form()
    form["schema"]["properties"]["amount"]["maximum"] = 50_000
    services.draft_save(actor=publisher, app=app, expected_revision=2, form=form)
    assert client.get("/api/v1/apps/purchase/").json()["has_unpublished_changes"] is True
    v2 = client.post("/api/v1/apps/purchase/publish/", {"expected_revision": 3}, format="json")
    assert v2.status_code == 201 and v2.json()["number"] == 2
    assert client.get("/api/v1/apps/purchase/versions/1/").json()["form"] == v1_form
    assert client.get("/api/v1/apps/purchase/versions/2/").json()["form"]["schema"]["properties"]["amount"][
        "maximum"] == 50_000
    assert [v["number"] for v in client.get("/api/v1/apps/purchase/versions/").json()["results"]] == [2, 1]

    # Published versions cannot be changed, through the model or in bulk.
    version = AppVersion.objects.get(app=app, number=1)
    version.form = {"schema_version": 1, "tampered": True}
    with pytest.raises(VersionImmutable):
        version.save()
    with pytest.raises(VersionImmutable):
        AppVersion.objects.filter(app=app).update(note="changed")
    assert AppVersion.objects.get(app=app, number=1).form == v1_form
    # Publishing with a stale revision is refused.
    stale = client.post("/api/v1/apps/purchase/publish/", {"expected_revision": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "draft_conflict"


def test_rollback_creates_a_new_version_and_resets_the_draft(api_as, publisher, make_app):
    app = make_app("purchase", purchase_form(), purchase_flow(), actor=publisher)
    client = api_as(publisher)
    client.post("/api/v1/apps/purchase/publish/")
    flow = purchase_flow()
    flow["nodes"][4]["config"]["skippable_when_urgent"] = False
    services.draft_save(actor=publisher, app=app, expected_revision=2, flow=flow)
    client.post("/api/v1/apps/purchase/publish/")
    back = client.post("/api/v1/apps/purchase/versions/1/rollback/", {"note": "回退"}, format="json")
    assert back.status_code == 201, back.json()
    assert back.json()["number"] == 3 and back.json()["rolled_back_from"] == 1
    v1 = client.get("/api/v1/apps/purchase/versions/1/").json()
    v3 = client.get("/api/v1/apps/purchase/versions/3/").json()
    assert v3["flow"] == v1["flow"] and v3["form"] == v1["form"]
    draft = client.get("/api/v1/apps/purchase/draft/").json()
    assert draft["flow"] == v1["flow"] and draft["revision"] == 4
    detail = client.get("/api/v1/apps/purchase/").json()
    assert detail["published_version"]["number"] == 3 and detail["has_unpublished_changes"] is False
    again = client.post("/api/v1/apps/purchase/versions/3/rollback/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "rollback_invalid"
    missing = client.post("/api/v1/apps/purchase/versions/9/rollback/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "version_not_found"


def test_rollback_is_reverified_against_todays_org(api_as, publisher, make_app, people, org):
    flow = purchase_flow()
    flow["nodes"][4]["config"]["on_empty"] = "error"  # nobody found must stop the request
    app = make_app("purchase", purchase_form(), flow, actor=publisher)
    client = api_as(publisher)
    client.post("/api/v1/apps/purchase/publish/")
    services.draft_save(actor=publisher, app=app, expected_revision=2, form=purchase_form() | {"x": None})
    services.draft_save(actor=publisher, app=app, expected_revision=3, form=purchase_form())
    client.post("/api/v1/apps/purchase/publish/")
    # Today nobody holds general_manager any more: v1 would now stop every big purchase.
    from platform_core.org.services import user_update

    user_update(actor=None, system=True, user=people.gm, roles=[])
    refused = client.post("/api/v1/apps/purchase/versions/1/rollback/")
    assert refused.status_code == 400
    assert "approvers_unresolvable" in {i["code"] for i in refused.json()["error"]["details"]}
    assert AppVersion.objects.filter(app=app).count() == 2


def test_diff_names_fields_nodes_and_edges(api_as, publisher, make_app):
    app = make_app("purchase", purchase_form(), purchase_flow(), actor=publisher)
    client = api_as(publisher)
    client.post("/api/v1/apps/purchase/publish/")
    form = purchase_form()
    props = form["schema"]["properties"]
    props["amount"]["x-label"] = {"zh": "采购金额"}
    props["amount"]["maximum"] = 20_000
    props["reason"]["x-type"] = "text"
    props["vendor"] = {"type": "string", "x-type": "text", "x-label": {"zh": "供应商"},
                       "x-visible-if": {">": [{"var": "form.amount"}, 1000]}}
    form["schema"]["required"] = ["amount"]
    form["ui_schema"]["order"].append("vendor")
    flow = purchase_flow()
    flow["edges"][3]["condition"] = {">": [{"var": "form.amount"}, 8000]}
    flow["nodes"] = [n for n in flow["nodes"] if n["id"] != "finance"] + [
        {"id": "cfo", "type": "approval", "name": {"zh": "财务总监"},
         "config": {"assignees": [{"rule": "role", "role": "finance"}]}}]
    flow["nodes"][1]["config"]["timers"] = []
    services.draft_save(actor=publisher, app=app, expected_revision=2, form=form, flow=flow)
    body = client.get("/api/v1/apps/purchase/versions/diff/?a=1&b=draft").json()
    assert body["a"] == "1" and body["b"] == "draft"
    assert [f["key"] for f in body["fields"]["added"]] == ["vendor"]
    changed = {f["key"]: f["changes"] for f in body["fields"]["changed"]}
    assert changed["amount"]["label"] == {"from": {"zh": "金额"}, "to": {"zh": "采购金额"}}
    assert changed["amount"]["settings"]["maximum"] == {"from": 10_000_000, "to": 20_000}
    assert changed["reason"]["type"] == {"from": "textarea", "to": "text"}
    assert changed["reason"]["required"] == {"from": True, "to": False}
    assert [n["id"] for n in body["nodes"]["added"]] == ["cfo"]
    assert [n["id"] for n in body["nodes"]["removed"]] == ["finance"]
    head = next(n for n in body["nodes"]["changed"] if n["id"] == "head")
    assert set(head["changes"]["config"]) == {"timers"}
    e4 = next(e for e in body["edges"]["changed"] if e["id"] == "e4")
    assert e4["changes"]["condition"]["to"] == {">": [{"var": "form.amount"}, 8000]}
    # Defaults: published → draft; the same thing twice is no change.
    assert client.get("/api/v1/apps/purchase/versions/diff/").json()["nodes"]["added"][0]["id"] == "cfo"
    same = client.get("/api/v1/apps/purchase/versions/diff/?a=1&b=published").json()
    assert not any(same[k][c] for k in ("fields", "nodes", "edges") for c in ("added", "removed", "changed"))
    bad = client.get("/api/v1/apps/purchase/versions/diff/?a=zero")
    assert bad.status_code == 400 and "a" in bad.json()["error"]["details"]


def test_update_copy_archive(api_as, publisher, make_app, people):
    make_app("purchase", purchase_form(), purchase_flow(), actor=publisher)
    client = api_as(publisher)
    patched = client.patch("/api/v1/apps/purchase/", {"name": "采购", "visibility": {
        "departments": [people.sales.pk], "roles": ["finance"]}}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["visibility"] == {"departments": [people.sales.pk], "roles": ["finance"], "users": []}
    bad = client.patch("/api/v1/apps/purchase/", {"visibility": {"roles": ["nope"], "users": [99999]}},
                       format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "visibility_invalid"
    assert bad.json()["error"]["details"]["visibility"] == {"roles": ["nope"], "users": [99999]}
    copied = client.post("/api/v1/apps/purchase/copy/", {"key": "purchase-2"}, format="json")
    assert copied.status_code == 201 and copied.json()["published_version"] is None
    assert client.get("/api/v1/apps/purchase-2/draft/").json()["flow"] == purchase_flow()
    archived = client.post("/api/v1/apps/purchase/archive/")
    assert archived.json()["is_archived"] is True
    refused = client.post("/api/v1/apps/purchase/publish/")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "app_archived"
    assert client.post("/api/v1/apps/purchase/unarchive/").json()["is_archived"] is False
    assert client.get("/api/v1/apps/nope/").status_code == 404


def test_every_change_is_audited_and_the_chain_holds(api_as, publisher, make_app):
    app = make_app("purchase", purchase_form(), purchase_flow(), actor=publisher)
    client = api_as(publisher)
    client.post("/api/v1/apps/purchase/publish/")
    client.patch("/api/v1/apps/purchase/", {"icon": "cart"}, format="json")
    client.post("/api/v1/apps/purchase/archive/")
    client.get("/api/v1/apps/purchase/export/")
    actions = list(AuditEvent.objects.filter(target_type="app", target_id=str(app.pk)).values_list("action", flat=True))
    assert actions == ["app.create", "app.draft_save", "app.publish", "app.update", "app.archive", "app.export"]
    draft_event = AuditEvent.objects.get(action="app.draft_save", target_id=str(app.pk))
    assert draft_event.before == {"revision": 1} and draft_event.after["revision"] == 2
    assert draft_event.actor_id == publisher.pk
    assert audit_verify_chain() == (True, None)
