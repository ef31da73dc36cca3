"""Organisation API: reads for everyone, writes for org admins, audited, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_verify_chain
from platform_core.org.models import Department, User


def test_me_lists_roles_and_permissions(api_as, people):
    body = api_as(people.admin).get("/api/v1/me/").json()
    assert body["username"] == people.admin.username
    assert "org.manage" in body["permissions"]
    assert api_as(people.requester).get("/api/v1/me/").json()["permissions"] == []


def test_user_list_query_count_does_not_grow_with_page_size(api_as, people, org):
    client = api_as(people.requester)

    def count(page_size):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/users/?page_size={page_size}")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    count(1)  # warm-up: the viewer's own roles are read once per request object
    small, _ = count(2)
    for _i in range(25):
        org.user(department=people.sales, roles=["employee"])
    large, body = count(50)
    assert body["count"] >= 30 and len(body["results"]) >= 30
    assert large == small <= 5


def test_department_list_and_tree_query_counts(api_as, people):
    client = api_as(people.requester)
    with CaptureQueriesContext(connection) as ctx:
        tree = client.get("/api/v1/departments/tree/").json()
    assert len(ctx.captured_queries) <= 3
    assert [d["name"] for d in tree] == ["公司"]
    sales = next(d for d in tree[0]["children"] if d["name"] == "销售部")
    assert sales["head"]["name"] == "张伟"
    assert [c["name"] for c in sales["children"]] == ["华东组"]
    with CaptureQueriesContext(connection) as ctx:
        listing = client.get("/api/v1/departments/?page_size=100").json()
    assert len(ctx.captured_queries) <= 3
    assert listing["count"] == Department.objects.count()


def test_filters_by_department_subtree_role_and_search(api_as, people):
    client = api_as(people.requester)
    names = lambda url: sorted(u["name"] for u in client.get(url).json()["results"])  # noqa: E731
    assert names(f"/api/v1/users/?department={people.sales.pk}") == ["张伟"]
    assert names(f"/api/v1/users/?department_tree={people.sales.pk}") == ["张伟", "李娜", "王芳"]
    assert names("/api/v1/users/?role=finance") == ["孙悦", "赵敏"]
    assert names("/api/v1/users/?search=李娜") == ["李娜"]
    bad = client.get("/api/v1/users/?department_tree=abc")
    assert bad.status_code == 400 and "department_tree" in bad.json()["error"]["details"]


def test_users_by_ids_for_names_shown_in_forms(api_as, people):
    client = api_as(people.requester)
    wanted = f"{people.east_lead.pk},{people.accountant.pk}"
    body = client.get(f"/api/v1/users/?ids={wanted}").json()
    assert sorted(row["name"] for row in body["results"]) == sorted([people.east_lead.name, people.accountant.name])
    assert client.get("/api/v1/users/?ids=1,x").status_code == 400
    too_many = ",".join(str(i) for i in range(1, 102))
    refused = client.get(f"/api/v1/users/?ids={too_many}")
    assert refused.status_code == 400 and "ids" in refused.json()["error"]["details"]


def test_contact_details_only_for_self_and_org_admins(api_as, people):
    people.requester.phone = "13800000000"
    people.requester.save()
    url = f"/api/v1/users/{people.requester.pk}/"
    assert "phone" not in api_as(people.east_lead).get(url).json()
    assert api_as(people.requester).get(url).json()["phone"] == "13800000000"
    assert api_as(people.admin).get(url).json()["phone"] == "13800000000"


def test_ancestors_subtree_and_manager_chain_endpoints(api_as, people):
    client = api_as(people.requester)
    ancestors = client.get(f"/api/v1/departments/{people.sales_east.pk}/ancestors/").json()
    assert [d["name"] for d in ancestors] == ["公司", "销售部"]
    subtree = client.get(f"/api/v1/departments/{people.sales.pk}/subtree/").json()
    assert sorted(d["name"] for d in subtree) == ["华东组", "销售部"]
    chain = client.get(f"/api/v1/users/{people.requester.pk}/manager-chain/?levels=2").json()
    assert [(c["user"]["name"], c["department"]["name"]) for c in chain] == [("王芳", "华东组"), ("张伟", "销售部")]


@pytest.mark.parametrize("method,url,payload", [
    ("post", "/api/v1/departments/", {"name": "新部门", "code": "new"}),
    ("post", "/api/v1/users/", {"username": "newbie"}),
    ("post", "/api/v1/roles/", {"code": "r", "name": "r"}),
    ("post", "/api/v1/positions/", {"code": "p", "name": "p"}),
])
def test_employees_cannot_write_the_org(api_as, people, method, url, payload):
    before = AuditEvent.objects.count()
    response = getattr(api_as(people.requester), method)(url, payload, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert AuditEvent.objects.count() == before


def test_admin_creates_moves_and_deletes_a_department_audited(api_as, people):
    client = api_as(people.admin)
    created = client.post("/api/v1/departments/", {"name": "华北组", "code": "north", "parent": people.sales.pk,
                                                   "head": people.east_lead.pk}, format="json")
    assert created.status_code == 201, created.content
    dept_id = created.json()["id"]
    assert created.json()["head"]["name"] == "王芳"
    moved = client.patch(f"/api/v1/departments/{dept_id}/", {"parent": people.finance.pk, "name": "华北财务"},
                         format="json")
    assert moved.status_code == 200
    assert moved.json()["path"].startswith(people.finance.path)
    assert moved.json()["name"] == "华北财务"
    cycle = client.patch(f"/api/v1/departments/{people.sales.pk}/", {"parent": people.sales_east.pk}, format="json")
    assert cycle.status_code == 400 and cycle.json()["error"]["code"] == "department_move_invalid"
    assert client.delete(f"/api/v1/departments/{dept_id}/").status_code == 204
    actions = list(AuditEvent.objects.filter(target_type="department", target_id=str(dept_id))
                   .values_list("action", "actor_id"))
    assert actions == [("department.create", people.admin.pk), ("department.move", people.admin.pk),
                       ("department.update", people.admin.pk), ("department.delete", people.admin.pk)]
    update = AuditEvent.objects.get(target_id=str(dept_id), action="department.update")
    assert update.before == {"name": "华北组"} and update.after == {"name": "华北财务"}
    assert audit_verify_chain() == (True, None)


def test_admin_creates_and_updates_a_user(api_as, people):
    client = api_as(people.admin)
    created = client.post("/api/v1/users/", {
        "username": "xiaoming", "display_name": "小明", "password": "Str0ng-Passw0rd",
        "department": people.sales_east.pk, "employee_no": "E100",
    }, format="json")
    assert created.status_code == 201, created.content
    user = User.objects.get(username="xiaoming")
    assert user.check_password("Str0ng-Passw0rd")
    duplicate = client.post("/api/v1/users/", {"username": "xiaoming"}, format="json")
    assert duplicate.status_code == 400 and "username" in duplicate.json()["error"]["details"]
    loop = client.patch(f"/api/v1/users/{people.east_lead.pk}/", {"manager": user.pk}, format="json")
    assert loop.status_code == 200
    refused = client.patch(f"/api/v1/users/{user.pk}/", {"manager": people.east_lead.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "manager_chain_invalid"
    weak = client.patch(f"/api/v1/users/{user.pk}/", {"password": "12345678"}, format="json")
    assert weak.status_code == 400 and weak.json()["error"]["code"] == "password_invalid"
    user.refresh_from_db()
    assert user.check_password("Str0ng-Passw0rd")


def test_role_with_unknown_permission_is_refused(api_as, people):
    response = api_as(people.admin).post("/api/v1/roles/", {"code": "x", "name": "x", "permissions": ["nope"]},
                                         format="json")
    assert response.status_code == 400
    assert "permissions" in response.json()["error"]["details"]


def test_token_login_logout_and_password_change(api, people):
    response = api.post("/api/v1/auth/token/", {"username": "requester", "password": "secret-pass-123"},
                        format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").json()["username"] == "requester"
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 200
    wrong = api.post("/api/v1/auth/password/", {"old_password": "nope", "new_password": "An0ther-Secret"},
                     format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "old_password_wrong"
    ok = api.post("/api/v1/auth/password/", {"old_password": "secret-pass-123", "new_password": "An0ther-Secret"},
                  format="json")
    assert ok.status_code == 204
    # Changing the password revokes the token.
    assert api.get("/api/v1/me/").status_code == 401
    fresh = api.post("/api/v1/auth/token/", {"username": "requester", "password": "An0ther-Secret"}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh.json()['token']}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401


def test_wrong_password_is_a_clear_error(api, people):
    response = api.post("/api/v1/auth/token/", {"username": "requester", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "login_failed"


def test_user_groups_are_managed_by_org_admins(api_as, people):
    payload = {"code": "cc-finance", "name": "财务抄送组", "members": [people.finance_head.pk, people.accountant.pk]}
    assert api_as(people.requester).post("/api/v1/groups/", payload, format="json").status_code == 403
    created = api_as(people.admin).post("/api/v1/groups/", payload, format="json")
    assert created.status_code == 201, created.content
    group_id = created.json()["id"]
    updated = api_as(people.admin).patch(f"/api/v1/groups/{group_id}/", {"members": [people.gm.pk]}, format="json")
    assert updated.json()["members"] == [people.gm.pk]
    event = AuditEvent.objects.get(action="group.update", target_id=str(group_id))
    assert event.before["members"] == sorted([people.finance_head.pk, people.accountant.pk])
    assert event.after["members"] == [people.gm.pk]


def test_org_admin_cannot_escalate_privileges(api_as, people, org):
    client = api_as(people.admin)  # holds org.manage and audit.read only
    grab = client.post("/api/v1/roles/", {"code": "all", "name": "all",
                                          "permissions": ["org.manage", "apps.publish"]}, format="json")
    assert grab.status_code == 403 and grab.json()["error"]["code"] == "grant_not_allowed"
    strong = org.role("strong", permissions=["apps.publish"])
    mine = client.patch(f"/api/v1/users/{people.admin.pk}/", {"roles": [strong.pk]}, format="json")
    assert mine.status_code == 403
    theirs = client.patch(f"/api/v1/users/{people.requester.pk}/", {"roles": [strong.pk]}, format="json")
    assert theirs.status_code == 403
    root = org.user("root")
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    reset = client.patch(f"/api/v1/users/{root.pk}/", {"password": "Qb-new-pass-9"}, format="json")
    assert reset.status_code == 403 and reset.json()["error"]["code"] == "superuser_protected"


def test_refused_password_leaves_the_role_change_undone(api_as, people, org):
    role = org.role("auditor", permissions=["audit.read"])
    response = api_as(people.admin).patch(f"/api/v1/users/{people.requester.pk}/",
                                          {"roles": [role.pk], "password": "12345678"}, format="json")
    assert response.status_code == 400
    assert not people.requester.roles.filter(code="auditor").exists()


def test_admin_password_reset_revokes_tokens(api_as, people):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=people.requester)
    response = api_as(people.admin).patch(f"/api/v1/users/{people.requester.pk}/", {"password": "Qb-new-pass-9"},
                                          format="json")
    assert response.status_code == 200
    assert not Token.objects.filter(user=people.requester).exists()
