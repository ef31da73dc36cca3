"""Custom JSON-logic data scopes end to end: role API validation, list/detail visibility, unions, IDOR, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.audit.models import AuditEvent
from platform_core.org import services as org_services
from platform_core.org.models import Role
from runtime.instances.selectors import ViewerScope
from tests.instances.conftest import pending, purchase_flow_with_rights, purchase_form

pytestmark = pytest.mark.django_db

BIG_PURCHASES = {"and": [{"==": [{"var": "app"}, "purchase"]}, {">": [{"var": "data.amount"}, 5000]}]}
MY_DEPARTMENT_URGENT = {"and": [
    {"in_department": [{"var": "initiator_department"}, {"var": "user.department"}]},
    {"==": [{"var": "urgent"}, True]},
]}


def ids(response):
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


def custom_role(code, rule, **fields):
    return org_services.role_create(actor=None, system=True, code=code, name=code, data_scope="custom",
                                    data_scope_rule=rule, **fields)


@pytest.fixture
def equipment_app(publisher):
    """A second app with the same form, so that ``app`` in a rule has something to exclude."""
    from runtime.definitions import services

    app = services.app_create(actor=publisher, key="equipment", name="设备申领")
    services.draft_save(actor=publisher, app=app, expected_revision=1, form=purchase_form(),
                        flow=purchase_flow_with_rights())
    services.app_publish(actor=publisher, app=app)
    return app


@pytest.fixture
def requests_(people, submit, equipment_app):
    """Purchases of 3000, 6000 and 8000 (urgent), and an equipment request of 9000, all from 华东组."""
    from runtime.instances import services

    return {
        "small": submit(people.requester, 3000),
        "big": submit(people.requester, 6000),
        "urgent_big": submit(people.requester, 8000, urgent=True),
        "other_app": services.instance_submit(actor=people.requester, app_key="equipment",
                                              data={"amount": 9000, "reason": "显示器"}).instance,
    }


def test_a_custom_rule_sees_exactly_its_requests(api_as, org, people, requests_):
    custom_role("big_purchases", BIG_PURCHASES)
    auditor = org.user("purchase_auditor", department=people.hr, roles=["big_purchases"])
    client = api_as(auditor)
    assert ids(client.get("/api/v1/instances/")) == sorted([requests_["big"].pk, requests_["urgent_big"].pk])
    assert ids(client.get("/api/v1/instances/?urgent=true")) == [requests_["urgent_big"].pk]
    for name, sees in (("small", False), ("big", True), ("urgent_big", True), ("other_app", False)):
        response = client.get(f"/api/v1/instances/{requests_[name].pk}/")
        assert response.status_code == (200 if sees else 404), name
        if not sees:
            assert response.json()["error"]["code"] == "instance_not_found"
    # Seeing is not acting: the scope viewer is no assignee, and hidden requests stay 404.
    visible_task = pending(requests_["big"])[0]
    assert client.post(f"/api/v1/tasks/{visible_task.pk}/act/", {"action": "approve"},
                       format="json").status_code == 403
    hidden_task = pending(requests_["small"])[0]
    for response in (
        client.post(f"/api/v1/tasks/{hidden_task.pk}/act/", {"action": "approve"}, format="json"),
        client.post(f"/api/v1/instances/{requests_['small'].pk}/comment/", {"comment": "hi"}, format="json"),
        client.post(f"/api/v1/instances/{requests_['other_app'].pk}/withdraw/", {}, format="json"),
    ):
        assert response.status_code == 404, response.json()
    # A rule over form data reads like any scope viewer: fields hidden at any node stay hidden.
    detail = client.get(f"/api/v1/instances/{requests_['big'].pk}/").json()
    assert "internal_note" not in detail["data"] and detail["data"]["amount"] == 6000
    # The boxes stay personal: a scope is not a todo.
    assert ids(client.get("/api/v1/instances/?box=todo")) == []
    assert client.get("/api/v1/instances/counts/").json() == {"todo": 0, "done": 0, "started": 0, "cc": 0}


def test_a_rule_on_the_viewers_department(api_as, org, people, requests_, submit):
    custom_role("dept_urgent", MY_DEPARTMENT_URGENT)
    hr_urgent = submit(people.hr_head, 100, urgent=True)
    sales_watch = org.user("sales_watch", department=people.sales, roles=["dept_urgent"])
    hr_watch = org.user("hr_watch", department=people.hr, roles=["dept_urgent"])
    homeless = org.user("homeless", roles=["dept_urgent"])
    assert ids(api_as(sales_watch).get("/api/v1/instances/")) == [requests_["urgent_big"].pk]
    assert ids(api_as(hr_watch).get("/api/v1/instances/")) == [hr_urgent.pk]
    assert ids(api_as(homeless).get("/api/v1/instances/")) == []


def test_roles_add_up(api_as, org, people, requests_, submit):
    custom_role("big_purchases", BIG_PURCHASES)
    custom_role("dept_urgent", MY_DEPARTMENT_URGENT)
    org.role("team_viewer", data_scope="department")
    hr_small = submit(people.hr_head, 100)
    finance_small = submit(people.finance_head, 200)
    viewer = org.user("hr_viewer", department=people.hr, roles=["big_purchases", "team_viewer"])
    own = submit(viewer, 50)
    expected = sorted([requests_["big"].pk, requests_["urgent_big"].pk, hr_small.pk, own.pk])
    assert ids(api_as(viewer).get("/api/v1/instances/")) == expected
    scope = ViewerScope.of(viewer)
    assert scope.scope == "department" and len(scope.custom) == 1
    both = org.user("two_rules", department=people.finance, roles=["big_purchases", "dept_urgent"])
    assert ids(api_as(both).get("/api/v1/instances/")) == sorted([requests_["big"].pk, requests_["urgent_big"].pk])
    assert finance_small.pk not in ids(api_as(both).get("/api/v1/instances/"))
    org.role("auditor", data_scope="all")
    everyone = org.user("everyone", roles=["big_purchases", "auditor"])
    assert ViewerScope.of(everyone).custom == ()
    assert len(ids(api_as(everyone).get("/api/v1/instances/"))) == 7


def test_a_stored_rule_that_no_longer_compiles_grants_nothing(api_as, org, people, requests_):
    role = custom_role("broken", BIG_PURCHASES)
    Role.objects.filter(pk=role.pk).update(data_scope_rule={"substr": ["x", 1]})  # bypassing the service
    viewer = org.user("broken_viewer", department=people.hr, roles=["broken"])
    assert ids(api_as(viewer).get("/api/v1/instances/")) == []


def test_list_queries_stay_bounded(api_as, org, people, submit, django_assert_max_num_queries):
    custom_role("big_purchases", BIG_PURCHASES)
    custom_role("dept_urgent", MY_DEPARTMENT_URGENT)
    org.role("sales_viewer", data_scope="subtree")
    viewer = org.user("heavy", department=people.sales, roles=["big_purchases", "dept_urgent", "sales_viewer"])

    def count(expected_rows):
        client = api_as(viewer)
        client.get("/api/v1/instances/")  # warm caches (permissions, pinned definitions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/instances/")
        assert len(response.json()["results"]) == expected_rows
        return len(ctx.captured_queries)

    submit(people.requester, 6000)
    small = count(1)
    for amount in range(5):
        submit(people.requester, 7000 + amount, urgent=bool(amount % 2))
    assert count(6) == small
    with django_assert_max_num_queries(8):
        assert api_as(viewer).get("/api/v1/instances/").status_code == 200
    # ViewerScope.of: one query for the roles (plus the department path for a subtree), however many rules.
    fresh = type(viewer).objects.get(pk=viewer.pk)
    with CaptureQueriesContext(connection) as ctx:
        ViewerScope.of(fresh)
        ViewerScope.of(fresh)
    assert len(ctx.captured_queries) == 2


# --- the role API ---------------------------------------------------------------------------------

def post_role(client, **body):
    return client.post("/api/v1/roles/", {"code": "r1", "name": "r1", **body}, format="json")


def test_role_api_accepts_and_audits_a_custom_rule(api_as, people):
    client = api_as(people.admin)
    response = post_role(client, data_scope="custom", data_scope_rule=BIG_PURCHASES)
    assert response.status_code == 201, response.json()
    assert response.json()["data_scope_rule"] == BIG_PURCHASES
    event = AuditEvent.objects.get(action="role.create", target_id=str(response.json()["id"]))
    assert event.after["data_scope_rule"] == BIG_PURCHASES


@pytest.mark.parametrize(("body", "reason", "named"), [
    ({"data_scope": "custom", "data_scope_rule": {"regex": [{"var": "title"}, ".*"]}}, "unknown_operator", "regex"),
    ({"data_scope": "custom", "data_scope_rule": {"==": [{"var": "initiator.email"}, "x"]}}, "unknown_variable",
     "initiator.email"),
    ({"data_scope": "custom", "data_scope_rule": {">": [{"var": "data.amount"}]}}, "arity", "“>”"),
    ({"data_scope": "custom", "data_scope_rule": {"==": [{"var": "data.amount"}, {"var": "data.limit"}]}},
     "needs_variable", "“==”"),
    ({"data_scope": "custom"}, "required", "custom data scope needs a rule"),
    ({"data_scope": "custom", "data_scope_rule": None}, "required", "needs a rule"),
    ({"data_scope": "all", "data_scope_rule": BIG_PURCHASES}, "unexpected", "Custom rule"),
    ({"data_scope_rule": BIG_PURCHASES}, "unexpected", "Custom rule"),
])
def test_role_api_refuses_a_bad_rule_by_name(api_as, people, body, reason, named):
    response = post_role(api_as(people.admin), **body)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "scope_rule_invalid"
    assert error["details"]["reason"] == reason and error["details"]["field"] == "data_scope_rule"
    assert named in error["message"], error["message"]
    assert not Role.objects.filter(code="r1").exists()


def test_role_api_update(api_as, people):
    client = api_as(people.admin)
    role_id = post_role(client, data_scope="custom", data_scope_rule=BIG_PURCHASES).json()["id"]
    url = f"/api/v1/roles/{role_id}/"
    bad = client.patch(url, {"data_scope_rule": {"==": [{"var": "app"}, 5]}}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["details"]["reason"] == "bad_value"
    assert "app" in bad.json()["error"]["message"]
    assert Role.objects.get(pk=role_id).data_scope_rule == BIG_PURCHASES
    renamed = client.patch(url, {"name": "大额采购"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["data_scope_rule"] == BIG_PURCHASES
    cleared = client.patch(url, {"data_scope": "department"}, format="json")
    assert cleared.status_code == 200 and cleared.json()["data_scope_rule"] is None
    event = AuditEvent.objects.filter(action="role.update", target_id=str(role_id)).latest("id")
    assert event.before["data_scope_rule"] == BIG_PURCHASES and event.after["data_scope_rule"] is None
    missing = client.patch(url, {"data_scope": "custom"}, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["details"]["reason"] == "required"
    back = client.patch(url, {"data_scope": "custom", "data_scope_rule": MY_DEPARTMENT_URGENT}, format="json")
    assert back.status_code == 200 and back.json()["data_scope_rule"] == MY_DEPARTMENT_URGENT


def test_role_api_error_in_chinese(api_as, people):
    response = api_as(people.admin).post(
        "/api/v1/roles/", {"code": "r2", "name": "r2", "data_scope": "custom", "data_scope_rule": {"+": [1, 2]}},
        format="json", HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "+" in response.json()["error"]["message"]
