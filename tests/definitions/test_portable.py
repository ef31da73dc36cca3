"""Export to one portable JSON file and import it elsewhere: ids travel as keys, the dictionary is merged."""

from __future__ import annotations

import io
import json

import pytest

from platform_core.audit.models import AuditEvent
from runtime.definitions import services
from runtime.definitions.models import App, AppDraft
from tests.definitions.conftest import purchase_flow, purchase_form, travel_form


def with_people(flow, people, admin_user):
    """The purchase flow with a fixed approver, a dynamic candidate list and a node admin (all user ids)."""
    flow["nodes"][4]["config"]["assignees"] = [{"rule": "user", "users": [str(people.gm.pk)]}]
    flow["nodes"][2]["config"]["admin"] = str(admin_user.pk)
    flow["nodes"][2]["config"]["assignees"].append(
        {"rule": "dynamic", "candidates": [str(people.finance_head.pk), str(people.accountant.pk)],
         "select": {"var": "initiator.id"}})
    return flow


def form_with_defaults(people):
    form = purchase_form()
    form["schema"]["properties"]["buyer"] = {"type": "string", "x-type": "user", "x-label": {"zh": "采购员"},
                                             "default": str(people.accountant.pk)}
    form["schema"]["properties"]["dept"] = {"type": "string", "x-type": "department", "x-label": {"zh": "部门"},
                                            "default": str(people.sales.pk)}
    form["ui_schema"]["order"] += ["buyer", "dept"]
    return form


@pytest.fixture
def exported(api_as, publisher, make_app, people):
    form = form_with_defaults(people)
    flow = with_people(purchase_flow(), people, people.hr_head)
    app = make_app("purchase", form, flow, actor=publisher, name="采购申请", icon="cart", category="finance",
                   visibility={"departments": [people.sales.pk], "roles": ["finance"], "users": [people.gm.pk]})
    services.app_publish(actor=publisher, app=app)
    response = api_as(publisher).get("/api/v1/apps/purchase/export/?version=published")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="purchase-v1.qiaoban.json"'
    return {"file": json.loads(response.content), "form": form, "flow": flow}


def test_export_names_people_and_departments_by_stable_keys(exported):
    data = exported["file"]
    assert data["format"] == "qiaoban-app" and data["format_version"] == 1
    assert data["source"] == {"app": "purchase", "version": 1}
    assert data["app"]["visibility"] == {"departments": ["sales"], "roles": ["finance"], "users": ["gm"]}
    nodes = {n["id"]: n for n in data["flow"]["nodes"]}
    assert nodes["gm"]["config"]["assignees"] == [{"rule": "user", "users": ["gm"]}]
    assert nodes["finance"]["config"]["admin"] == "hr_head"
    assert nodes["finance"]["config"]["assignees"][1]["candidates"] == ["finance_head", "accountant"]
    props = data["form"]["schema"]["properties"]
    assert props["buyer"]["default"] == "accountant" and props["dept"]["default"] == "sales"
    assert data["form"]["schema_version"] == 1 and data["flow"]["schema_version"] == 1


def test_import_into_a_clean_state_gives_equal_documents(api_as, publisher, exported):
    App.objects.filter(key="purchase").delete()  # versions go with it
    response = api_as(publisher).post("/api/v1/apps/import/", exported["file"], format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["app"]["key"] == "purchase" and body["app"]["published_version"] is None
    report = body["report"]
    assert report["key_changed"] is False and report["unmapped"] == []
    assert report["verification"]["errors"] == 0
    draft = AppDraft.objects.get(app__key="purchase")
    assert draft.form == exported["form"] and draft.flow == exported["flow"]
    app = App.objects.get(key="purchase")
    assert app.icon == "cart" and app.category == "finance" and app.owner == publisher
    assert AuditEvent.objects.filter(action="app.import", target_id=str(app.pk)).exists()


def test_import_next_to_the_original_gets_a_fresh_key(api_as, publisher, exported):
    client = api_as(publisher)
    first = client.post("/api/v1/apps/import/", exported["file"], format="json").json()
    second = client.post("/api/v1/apps/import/", exported["file"], format="json").json()
    assert (first["app"]["key"], second["app"]["key"]) == ("purchase-2", "purchase-3")
    assert first["report"]["key_changed"] is True and first["report"]["requested_key"] == "purchase"


def test_import_remaps_by_key_and_reports_what_it_cannot_map(api_as, publisher, exported, people, org):
    data = exported["file"]
    # Another installation: the people and departments have other ids; some do not exist at all.
    App.objects.all().delete()
    data["app"]["visibility"] = {"departments": ["sales", "legal"], "roles": ["finance", "auditor"],
                                 "users": ["gm", "nobody"]}
    nodes = {n["id"]: n for n in data["flow"]["nodes"]}
    nodes["finance"]["config"]["admin"] = "someone_else"
    nodes["gm"]["config"]["assignees"] = [{"rule": "user", "users": ["gm", "ghost"]},
                                          {"rule": "role", "role": "purchasing"}]
    data["form"]["schema"]["properties"]["dept"]["default"] = "no-such-dept"
    body = api_as(publisher).post("/api/v1/apps/import/", data, format="json").json()
    unmapped = {(u["kind"], u["value"], u["where"]) for u in body["report"]["unmapped"]}
    assert unmapped == {
        ("department", "legal", "visibility"),
        ("role", "auditor", "visibility"),
        ("user", "nobody", "visibility"),
        ("user", "someone_else", "node finance: admin"),
        ("user", "ghost", "node gm: assignees"),
        ("role", "purchasing", "node gm: assignees"),
        ("department", "no-such-dept", "field dept: default"),
    }
    app = App.objects.get(key="purchase")
    assert app.visibility == {"schema_version": 1, "departments": [people.sales.pk], "roles": ["finance"],
                              "users": [people.gm.pk]}
    flow_nodes = {n["id"]: n for n in app.draft.flow["nodes"]}
    assert "admin" not in flow_nodes["finance"]["config"]
    assert flow_nodes["gm"]["config"]["assignees"][0] == {"rule": "user", "users": [str(people.gm.pk)]}
    assert flow_nodes["gm"]["config"]["assignees"][1] == {"rule": "role", "role": "purchasing"}  # codes are kept
    assert "default" not in app.draft.form["schema"]["properties"]["dept"]


def test_visibility_that_maps_to_nothing_is_not_widened_to_everyone(api_as, publisher, exported):
    data = exported["file"]
    data["app"]["visibility"] = {"departments": ["legal"], "roles": [], "users": []}
    body = api_as(publisher).post("/api/v1/apps/import/", data, format="json").json()
    assert body["report"]["visibility_restricted_to_importer"] is True
    assert body["app"]["visibility"] == {"departments": [], "roles": [], "users": [publisher.pk]}


def test_import_as_a_multipart_file(api_as, publisher, exported):
    upload = io.BytesIO(json.dumps(exported["file"], ensure_ascii=False).encode("utf-8"))
    upload.name = "purchase.qiaoban.json"
    response = api_as(publisher).post("/api/v1/apps/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["app"]["key"] == "purchase-2"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(format="something-else"), "format"),
        (lambda d: d.update(format_version=2), "format_version"),
        (lambda d: d.update(format_version="1"), "format_version"),
        (lambda d: d.pop("app"), "app"),
        (lambda d: d["app"].update(name=""), "app.name"),
        (lambda d: d["app"]["visibility"].update(users=[1]), "app.visibility"),
        (lambda d: d.update(form=[]), "form"),
        (lambda d: d["form"].update(schema_version=99), "form.schema_version"),
        (lambda d: d["flow"].pop("schema_version"), "flow"),
        (lambda d: d.update(dictionary={"x": []}), "dictionary"),
    ],
)
def test_import_validates_the_file(api_as, publisher, exported, change, path):
    data = exported["file"]
    change(data)
    response = api_as(publisher).post("/api/v1/apps/import/", data, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "import_invalid" and error["details"]["path"] == path
    assert error["message"] and "%(" not in error["message"]


def test_import_refuses_non_json_and_oversized_files(api_as, publisher):
    client = api_as(publisher)
    upload = io.BytesIO(b"\x89PNG not json")
    upload.name = "picture.png"
    response = client.post("/api/v1/apps/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["code"] == "import_invalid"
    big = '{"format": "qiaoban-app", "pad": "' + "x" * 3_200_000 + '"}'
    response = client.post("/api/v1/apps/import/", big, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "import_invalid"
    assert "3000000" in json.dumps(response.json()) or "3,000,000" in response.json()["error"]["message"]
    response = client.post("/api/v1/apps/import/", "not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post("/api/v1/apps/import/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["details"]


def test_dictionary_merge_reuses_reports_and_adds_with_permission(api_as, publisher, dictionary_admin, make_app,
                                                                  dictionary):
    app = make_app("travel", travel_form(), actor=publisher)
    data = api_as(publisher).get(f"/api/v1/apps/{app.key}/export/").json()
    assert data["dictionary"] == dictionary.snapshot(["expense_type"])  # the entries the form uses, in full
    # The other installation: a different label for hotel, and no "meal" code.
    dictionary.set_label("expense_type", "hotel", {"zh": "酒店", "en": "Hotel"})
    dictionary.remove_code("expense_type", "meal")
    report = api_as(publisher).post("/api/v1/apps/import/", data, format="json").json()["report"]["dictionary"]
    assert report["checked"] is True and report["reused"] == []
    assert report["missing_codes"] == [{"entry": "expense_type", "codes": ["meal"], "added": []}]
    assert report["label_differences"] == [
        {"entry": "expense_type", "code": "hotel", "file": {"zh": "住宿", "en": "Hotel"},
         "local": {"zh": "酒店", "en": "Hotel"}}]
    assert "meal" not in dictionary.codes("expense_type")
    # An importer holding dictionary.manage gets the missing code added (labels: local ones win).
    report = api_as(dictionary_admin).post("/api/v1/apps/import/", data, format="json").json()["report"]["dictionary"]
    assert report["missing_codes"] == [{"entry": "expense_type", "codes": ["meal"], "added": ["meal"]}]
    options = {o["code"]: o for o in dictionary.snapshot(["expense_type"])["expense_type"]["options"]}
    assert options["meal"]["label"] == {"zh": "餐饮", "en": "Meals"}
    assert options["hotel"]["label"]["zh"] == "酒店"
    # A third import finds the entry complete.
    report = api_as(publisher).post("/api/v1/apps/import/", data, format="json").json()["report"]["dictionary"]
    assert report["reused"] == ["expense_type"] and report["missing_codes"] == []


def test_dictionary_entry_missing_entirely(api_as, publisher, dictionary_admin, make_app, dictionary):
    app = make_app("travel", travel_form(), actor=publisher)
    data = api_as(publisher).get(f"/api/v1/apps/{app.key}/export/").json()
    App.objects.all().delete()  # the other installation has neither the app nor the entry
    dictionary.remove_entry("expense_type")
    report = api_as(publisher).post("/api/v1/apps/import/", data, format="json").json()["report"]
    assert report["dictionary"]["missing_entries"] == ["expense_type"]
    assert report["verification"]["errors"] >= 1  # dictionary_unknown: cannot be published until it exists
    report = api_as(dictionary_admin).post("/api/v1/apps/import/", data, format="json").json()["report"]
    assert report["dictionary"]["created"] == ["expense_type"]
    assert report["verification"]["errors"] == 0
    assert dictionary.snapshot(["expense_type"])["expense_type"]["options"] == [
        dict(o, order=o["order"]) for o in data["dictionary"]["expense_type"]["options"]]
