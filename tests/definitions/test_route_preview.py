"""POST /api/v1/apps/<key>/route-preview/: the person filling a form sees who will handle it."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    call_command("install_templates", stdout=StringIO())


def preview(client: Any, user: str, key: str, body: dict[str, Any]) -> Any:
    from platform_core.org.models import User

    client.force_login(User.objects.get(username=user))
    return client.post(f"/api/v1/apps/{key}/route-preview/", body, content_type="application/json")


def test_the_submitter_sees_the_people_on_the_route(client, demo):
    res = preview(client, "lina", "purchase", {"data": {"amount": 6000}})
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["complete"] and not body["blocked"] and not body["needs_more"]
    names = [(step["name"]["zh"], [p["name"] for p in step["people"]]) for step in body["steps"]]
    assert names[0] == ("部门负责人", ["王芳"])
    assert names[1][0] == "财务" and len(names[1][1]) >= 3
    assert names[2][0] == "总经理" and "王建国" in names[2][1]
    # Nothing about conditions, traces or timers reaches the submitter.
    assert "gateway" not in str(body) and "trace" not in str(body) and "timers" not in str(body)
    small = preview(client, "lina", "purchase", {"data": {"amount": 3000}}).json()
    assert [step["name"]["zh"] for step in small["steps"]] == ["部门负责人", "财务"]


def test_a_condition_on_an_empty_field_asks_for_more(client, demo):
    body = preview(client, "lina", "purchase", {"data": {}}).json()
    assert body["needs_more"] and not body["blocked"] and not body["complete"]
    assert [step["name"]["zh"] for step in body["steps"]] == ["部门负责人", "财务"]


def test_only_apps_the_caller_may_start(client, demo):
    from runtime.definitions.models import App

    App.objects.filter(key="purchase").update(visibility={"departments": [], "roles": ["finance"], "users": []})
    res = preview(client, "lina", "purchase", {"data": {"amount": 1}})
    assert res.status_code == 404 and res.json()["error"]["code"] == "app_not_found"
    client.logout()
    anonymous = client.post("/api/v1/apps/leave/route-preview/", {}, content_type="application/json")
    assert anonymous.status_code in (401, 403)


def test_people_from_an_empty_person_field_are_awaited_not_a_blockage(client, demo):
    from platform_core.org.models import User

    body = preview(client, "zhangwei", "task_assignment", {"data": {"task_name": "季度复盘"}}).json()
    assert body["needs_more"] and not body["blocked"] and body["message"] is None
    assert [(s["node_id"], s["people"]) for s in body["steps"]][0] == ("do", [])
    lina = User.objects.get(username="lina")
    filled = preview(client, "zhangwei", "task_assignment",
                     {"data": {"task_name": "季度复盘", "owner": str(lina.pk), "due_date": "2026-12-20"}}).json()
    assert filled["complete"] and not filled["needs_more"]
    assert [(s["node_id"], [p["name"] for p in s["people"]]) for s in filled["steps"]] == [
        ("do", ["李娜"]), ("accept", ["张伟"])]


def test_a_blockage_quotes_its_reason_in_the_reader_s_language(client, demo):
    from platform_core.org.models import Department, User

    # A department without a head: the department's task has nobody, and no process admin takes over.
    parent = User.objects.get(username="lina").department
    empty = Department.objects.create(name="新部门", code="new_dept", parent=parent)
    User.objects.filter(roles__code="process_admin").update(is_active=False)
    body = preview(client, "zhangwei", "task_assignment",
                   {"data": {"task_name": "季度复盘", "owner_department": str(empty.pk)}}).json()
    assert body["blocked"], body
    assert "Nobody" not in body["message"] and "找不到处理人" in body["message"], body["message"]
