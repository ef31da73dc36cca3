"""DjangoOrgDirectory: the org models through runtime.flows' OrgDirectory protocol, loaded once."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.org.directory import DjangoOrgDirectory
from platform_core.org.services import position_create, user_update
from runtime.flows import OrgDirectory, resolve_assignees, verify
from runtime.flows.spec import NodeSpec


def test_it_is_an_org_directory_with_string_ids(people):
    org = DjangoOrgDirectory()
    assert isinstance(org, OrgDirectory)
    requester = org.user(str(people.requester.pk))
    assert requester.name == "李娜" and requester.department_id == str(people.sales_east.pk)
    assert requester.roles == frozenset({"employee"}) and requester.active is True
    assert org.user(people.requester.pk) == requester  # int ids are accepted too
    sales = org.department(str(people.sales.pk))
    assert sales.name == "销售部" and sales.parent_id == str(people.company.pk)
    assert sales.head_id == str(people.sales_head.pk)
    assert org.user("999999") is None and org.user("not-a-number") is None and org.department("0") is None
    assert sorted(u.name for u in org.users_with_role("finance")) == ["孙悦", "赵敏"]
    assert org.users_with_role("nobody-has-this") == []
    assert {d.name for d in org.departments()} >= {"公司", "销售部", "华东组", "财务部", "人事部"}
    assert org.username(str(people.gm.pk)) == "gm"


def test_positions_inactive_users_and_managers(people, org):
    director = position_create(actor=None, system=True, code="director", name="总监")
    user_update(actor=None, system=True, user=people.sales_head, position=director)
    user_update(actor=None, system=True, user=people.accountant, is_active=False)
    user_update(actor=None, system=True, user=people.requester, manager=people.sales_head)
    directory = DjangoOrgDirectory()
    assert [u.name for u in directory.users_with_position("director")] == ["张伟"]
    finance = {u.name: u.active for u in directory.users_with_role("finance")}
    assert finance == {"赵敏": True, "孙悦": False}  # callers filter inactive people
    assert directory.user(str(people.requester.pk)).manager_id == str(people.sales_head.pk)


def test_org_is_read_once_whatever_is_asked(people, org):
    for n in range(30):
        org.user(f"extra{n}", department=people.sales, roles=["employee"])
    directory = DjangoOrgDirectory()
    with CaptureQueriesContext(connection) as ctx:
        for dept in directory.departments():
            directory.department(dept.id)
        for user_id in range(1, 200):
            directory.user(str(user_id))
        directory.users_with_role("finance")
        directory.users_with_position("director")
    assert len(ctx.captured_queries) == 3


def test_resolution_and_live_verification_run_on_the_django_org(people):
    directory = DjangoOrgDirectory()
    node = NodeSpec(id="head", type="approval", name={"zh": "部门负责人"},
                    config={"assignees": [{"rule": "dept_head", "levels": 2}]})
    resolution = resolve_assignees(node, {"initiator": {"id": str(people.requester.pk)}, "form": {}}, directory)
    assert resolution.users == [str(people.sales_head.pk)]  # 华东组 → 销售部 head
    flow = {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start", "name": {"zh": "发起"}},
            {"id": "legal", "type": "approval", "name": {"zh": "法务"},
             "config": {"assignees": [{"rule": "role", "role": "legal"}], "on_empty": "error"}},
            {"id": "end", "type": "end", "name": {"zh": "结束"}},
        ],
        "edges": [{"id": "e1", "source": "start", "target": "legal"}, {"id": "e2", "source": "legal", "target": "end"}],
        "layout": {},
    }
    codes = {i.code for i in verify(flow, {}, org=directory)}
    assert "approvers_unresolvable" in codes
