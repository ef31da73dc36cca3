"""Dictionary API: reads for every signed-in user, writes for dictionary.manage, errors in the one shape."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.audit.models import AuditEvent
from platform_core.dictionary import services
from platform_core.dictionary.models import DictionaryEntry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/dictionary/entries/"


def error(response, status, code):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


# --- who may do what ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", [BASE, f"{BASE}expense_type/", f"{BASE}expense_type/options/",
                                 f"{BASE}expense_type/options/air/", f"{BASE}expense_type/usage/"])
def test_anonymous_gets_401_json(api, url):
    error(api.get(url), 401, "not_authenticated")


def test_every_signed_in_user_reads(api_as, employee):
    client = api_as(employee)
    assert client.get(BASE).json()["count"] == 6
    detail = client.get(f"{BASE}expense_type/").json()
    assert detail["name"] == "费用类型" and [o["code"] for o in detail["options"]][:2] == ["air", "train"]
    assert client.get(f"{BASE}expense_type/options/air/").json()["label"] == "机票"
    usage = client.get(f"{BASE}expense_type/usage/").json()
    assert usage["key"] == "expense_type" and usage["code"] is None and usage["total"] == 0
    assert set(usage["sources"].values()) <= {0}


def test_employee_cannot_write(api_as, employee):
    client = api_as(employee)
    attempts = [
        client.post(BASE, {"key": "x", "name": "x"}, format="json"),
        client.patch(f"{BASE}expense_type/", {"name": "x"}, format="json"),
        client.delete(f"{BASE}expense_type/"),
        client.post(f"{BASE}expense_type/options/", {"code": "x", "label": "x"}, format="json"),
        client.patch(f"{BASE}expense_type/options/air/", {"label": "x"}, format="json"),
        client.delete(f"{BASE}expense_type/options/air/"),
        client.post(f"{BASE}expense_type/options/reorder/", {"codes": ["air"]}, format="json"),
    ]
    for response in attempts:
        assert error(response, 403, "permission_denied")["details"] is None
    assert DictionaryEntry.objects.get(key="expense_type").version == 1


def test_org_admin_without_dictionary_manage_cannot_write(api_as, org):
    response = api_as(org.admin()).post(BASE, {"key": "x", "name": "x"}, format="json")
    error(response, 403, "permission_denied")


# --- the manager's workflow ----------------------------------------------------------------------

def test_create_entry_options_rename_reorder_and_delete(api_as, dict_admin):
    client = api_as(dict_admin)
    created = client.post(BASE, {"key": "project_stage", "name": "项目阶段", "name_en": "Project stage"},
                          format="json")
    assert created.status_code == 201, created.content
    assert created.json() | {"created_at": None, "updated_at": None} == {
        "key": "project_stage", "name": "项目阶段", "name_en": "Project stage", "description": "", "kind": "flat",
        "enabled": True, "version": 1, "option_count": 0, "created_at": None, "updated_at": None, "options": [],
    }
    options = f"{BASE}project_stage/options/"
    for code, label in [("plan", "立项"), ("build", "实施"), ("done", "验收")]:
        response = client.post(options, {"code": code, "label": label}, format="json")
        assert response.status_code == 201 and response.json()["order"] in (0, 1, 2)
    renamed = client.patch(f"{options}build/", {"label": "开发实施", "label_en": "Build"}, format="json")
    assert renamed.status_code == 200
    assert renamed.json() | {"updated_at": None} == {
        "code": "build", "label": "开发实施", "label_en": "Build", "order": 1, "enabled": True, "parent": None,
        "extra": {}, "updated_at": None,
    }
    reordered = client.post(f"{options}reorder/", {"codes": ["done", "plan", "build"]}, format="json")
    assert [o["code"] for o in reordered.json()] == ["done", "plan", "build"]
    assert client.patch(f"{options}done/", {"enabled": False}, format="json").json()["enabled"] is False
    assert client.delete(f"{options}done/").status_code == 204
    detail = client.get(f"{BASE}project_stage/").json()
    assert detail["version"] == 8 and [o["code"] for o in detail["options"]] == ["plan", "build"]
    assert client.delete(f"{BASE}project_stage/").status_code == 204
    assert not DictionaryEntry.objects.filter(key="project_stage").exists()
    actions = list(AuditEvent.objects.filter(actor=dict_admin).values_list("action", flat=True))
    assert actions == [
        "dictionary_entry.create", "dictionary_option.create", "dictionary_option.create", "dictionary_option.create",
        "dictionary_option.update", "dictionary_option.reorder", "dictionary_option.update",
        "dictionary_option.delete", "dictionary_entry.delete",
    ]


def test_code_change_refused_with_field_named(api_as, dict_admin):
    response = api_as(dict_admin).patch(f"{BASE}expense_type/options/air/", {"code": "flight", "label": "飞机"},
                                        format="json")
    err = error(response, 400, "dictionary_code_immutable")
    assert err["details"] == {"field": "code", "code": "air"}
    assert "cannot be changed" in err["message"]
    assert DictionaryEntry.objects.get(key="expense_type").options.get(code="air").label == "机票"


def test_key_change_and_duplicates_refused(api_as, dict_admin):
    client = api_as(dict_admin)
    error(client.patch(f"{BASE}currency/", {"key": "money"}, format="json"), 400, "dictionary_key_immutable")
    err = error(client.post(BASE, {"key": "currency", "name": "币种"}, format="json"), 400, "dictionary_key_taken")
    assert err["details"] == {"field": "key", "key": "currency"}
    error(client.post(BASE, {"key": "Bad Key", "name": "x"}, format="json"), 400, "dictionary_key_invalid")
    err = error(client.post(f"{BASE}currency/options/", {"code": "USD", "label": "美金"}, format="json"), 400,
                "dictionary_code_taken")
    assert err["details"]["field"] == "code"
    err = error(client.post(BASE, {"key": "x"}, format="json"), 400, "validation_failed")
    assert "name" in err["details"]


def test_messages_follow_the_request_language(api_as, dict_admin):
    client = api_as(dict_admin)
    response = client.post(BASE, {"key": "currency", "name": "币种"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert error(response, 400, "dictionary_key_taken")["message"] == (
        "A dictionary entry with the key “currency” already exists."
    )


def test_parent_cycle_refused(api_as, dict_admin):
    response = api_as(dict_admin).patch(f"{BASE}region/options/east/", {"parent": "hangzhou"}, format="json")
    err = error(response, 400, "dictionary_parent_cycle")
    assert err["details"] == {"field": "parent", "code": "east", "parent": "hangzhou"}


def test_move_option_and_create_under_parent(api_as, dict_admin):
    client = api_as(dict_admin)
    moved = client.patch(f"{BASE}region/options/nanjing/", {"parent": "north"}, format="json")
    assert moved.json()["parent"] == "north"
    created = client.post(f"{BASE}region/options/", {"code": "suzhou", "label": "苏州", "parent": "east"},
                          format="json")
    assert created.status_code == 201 and created.json()["parent"] == "east"
    top = client.patch(f"{BASE}region/options/suzhou/", {"parent": None}, format="json")
    assert top.json()["parent"] is None


def test_delete_in_use_refused(api_as, dict_admin, fake_usage):
    client = api_as(dict_admin)
    fake_usage.counts[("leave_type", "sick")] = 4
    fake_usage.counts[("leave_type", None)] = 2
    err = error(client.delete(f"{BASE}leave_type/options/sick/"), 400, "dictionary_in_use")
    assert err["details"] == {"field": "code", "key": "leave_type", "code": "sick", "count": 4}
    error(client.delete(f"{BASE}leave_type/"), 400, "dictionary_in_use")
    usage = client.get(f"{BASE}leave_type/usage/?code=sick").json()
    assert (usage["key"], usage["code"], usage["total"], usage["sources"]["test"]) == ("leave_type", "sick", 4, 4)
    assert client.get(f"{BASE}leave_type/usage/").json()["total"] == 2
    error(client.get(f"{BASE}leave_type/usage/?code=nope"), 404, "dictionary_option_not_found")
    assert client.delete(f"{BASE}leave_type/options/annual/").status_code == 204


def test_unknown_entry_and_option_are_404(api_as, employee):
    client = api_as(employee)
    err = error(client.get(f"{BASE}nope/"), 404, "dictionary_entry_not_found")
    assert "nope" in err["message"]
    error(client.get(f"{BASE}nope/options/"), 404, "dictionary_entry_not_found")
    error(client.get(f"{BASE}currency/options/GBP/"), 404, "dictionary_option_not_found")


def test_reorder_invalid(api_as, dict_admin):
    client = api_as(dict_admin)
    err = error(client.post(f"{BASE}currency/options/reorder/", {"codes": ["USD", "CNY"]}, format="json"), 400,
                "dictionary_reorder_invalid")
    assert err["details"]["missing"] == "EUR, HKD, JPY"
    error(client.post(f"{BASE}currency/options/reorder/", {"codes": []}, format="json"), 400, "validation_failed")


# --- filters and trees -----------------------------------------------------------------------------

def test_enabled_filters(api_as, employee):
    services.entry_update(actor=None, system=True, entry=DictionaryEntry.objects.get(key="leave_type"), enabled=False)
    region = DictionaryEntry.objects.get(key="region")
    services.option_disable(actor=None, system=True, option=region.options.get(code="south"))
    client = api_as(employee)
    keys = [e["key"] for e in client.get(f"{BASE}?enabled=true").json()["results"]]
    assert "leave_type" not in keys and len(keys) == 5
    assert [e["key"] for e in client.get(f"{BASE}?enabled=false").json()["results"]] == ["leave_type"]
    enabled = [o["code"] for o in client.get(f"{BASE}region/options/?enabled=true").json()]
    assert "south" not in enabled and "shenzhen" not in enabled and "beijing" in enabled
    disabled = [o["code"] for o in client.get(f"{BASE}region/options/?enabled=false").json()]
    assert disabled == ["south", "guangzhou", "shenzhen"]
    error(client.get(f"{BASE}region/options/?enabled=maybe"), 400, "validation_failed")


def test_tree_listing(api_as, employee):
    client = api_as(employee)
    tree = client.get(f"{BASE}region/options/?tree=1").json()
    assert [(n["code"], [c["code"] for c in n["children"]]) for n in tree] == [
        ("east", ["shanghai", "hangzhou", "nanjing"]), ("south", ["guangzhou", "shenzhen"]),
        ("north", ["beijing", "tianjin"]),
    ]
    assert tree[0]["children"][0]["children"] == [] and tree[0]["label"] == "华东"
    flat = client.get(f"{BASE}region/options/").json()
    assert len(flat) == 10 and "children" not in flat[0]
    assert [n["code"] for n in client.get(f"{BASE}currency/options/?tree=1").json()] == [
        "CNY", "USD", "EUR", "HKD", "JPY",
    ]


def test_chinese_labels_round_trip_as_data(api_as, dict_admin):
    client = api_as(dict_admin)
    label = "<b>差旅·补贴</b> “特殊” 费用"
    client.post(f"{BASE}expense_type/options/", {"code": "allowance", "label": label, "label_en": "Allowance"},
                format="json")
    response = client.get(f"{BASE}expense_type/options/allowance/")
    assert response.json()["label"] == label
    # Stored and returned as text, not escaped or marked up, and UTF-8 rather than \\u escapes.
    assert "<b>差旅·补贴</b>".encode() in response.content
    assert DictionaryEntry.objects.get(key="expense_type").options.get(code="allowance").label == label


# --- bounded queries ---------------------------------------------------------------------------------

def test_list_query_counts_do_not_grow(api_as, employee):
    client = api_as(employee)
    small, _ = queries(client, f"{BASE}?page_size=100")
    small_options, _ = queries(client, f"{BASE}currency/options/")
    small_detail, _ = queries(client, f"{BASE}currency/")
    small_tree, _ = queries(client, f"{BASE}region/options/?tree=1")
    entry = DictionaryEntry.objects.get(key="currency")
    for i in range(30):
        services.entry_create(actor=None, system=True, key=f"bulk_{i}", name=f"批量{i}")
        services.option_create(actor=None, system=True, entry=entry, code=f"X{i:02d}", label=f"币{i}")
    region = DictionaryEntry.objects.get(key="region")
    for i in range(30):
        services.option_create(actor=None, system=True, entry=region, code=f"city{i}", label=f"城市{i}",
                               parent="east")
    large, body = queries(client, f"{BASE}?page_size=100")
    assert body["count"] == 36 and body["results"][0]["option_count"] >= 0
    large_options, rows = queries(client, f"{BASE}currency/options/")
    large_detail, detail = queries(client, f"{BASE}currency/")
    large_tree, tree = queries(client, f"{BASE}region/options/?tree=1")
    assert len(rows) == 35 and len(detail["options"]) == 35 and len(tree[0]["children"]) == 33
    assert large == small <= 2
    assert large_options == small_options <= 2
    assert large_detail == small_detail <= 2
    assert large_tree == small_tree <= 2


def test_entry_filters_by_kind_and_search(api_as, employee):
    client = api_as(employee)
    assert [e["key"] for e in client.get(f"{BASE}?kind=tree").json()["results"]] == ["region"]
    assert [e["key"] for e in client.get(f"{BASE}?search=币种").json()["results"]] == ["currency"]
    listed = {e["key"]: e["option_count"] for e in client.get(BASE).json()["results"]}
    assert listed["region"] == 10 and listed["customer_level"] == 3
    assert client.get(f"{BASE}?enabled=maybe").status_code == 400
