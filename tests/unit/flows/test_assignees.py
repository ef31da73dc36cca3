"""Assignee resolution against an in-memory org: rules, traces, fallbacks, broken org data."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.flows import (
    ApproverFallbackEmpty,
    ApproverNotFound,
    AssigneeDataMissing,
    DeptFacts,
    InMemoryOrg,
    NodeSpec,
    OrgCycleDetected,
    ResolveContext,
    UserFacts,
    resolve_assignees,
)
from tests.unit.flows.conftest import PURCHASE_FIELDS


def approval(*assignees: dict[str, Any], **config: Any) -> NodeSpec:
    return NodeSpec("n", "approval", {"zh": "审批"}, {"assignees": list(assignees), **config})


def ctx(initiator: str | None = "u_li", **kwargs: Any) -> ResolveContext:
    return ResolveContext(initiator, **kwargs)


def test_dept_head_trace_names_department_level_and_user(demo_org: InMemoryOrg) -> None:
    result = resolve_assignees(approval({"rule": "dept_head", "levels": 1}), ctx(), demo_org)
    assert result.users == ["u_zhang"]
    assert result.trace == [
        {
            "rule": "dept_head",
            "department": "销售部",
            "department_id": "sales",
            "levels": 1,
            "user": "张三",
            "user_id": "u_zhang",
        }
    ]
    assert result.fallback_used is None


@pytest.mark.parametrize(("levels", "expected"), [(1, "u_zhang"), (2, "u_dir"), (3, "u_gm")])
def test_dept_head_levels_walk_up(demo_org: InMemoryOrg, levels: int, expected: str) -> None:
    result = resolve_assignees(approval({"rule": "dept_head", "levels": levels}), ctx(), demo_org)
    assert result.users == [expected]


def test_dept_head_above_the_top_finds_nobody_and_falls_back_to_admin(demo_org: InMemoryOrg) -> None:
    result = resolve_assignees(approval({"rule": "dept_head", "levels": 4}), ctx(), demo_org)
    assert result.users == ["u_wu"]
    assert result.fallback_used == "admin"
    assert result.trace[0]["reason"] == "no_department_that_high"


def test_vacant_head_with_error_fallback_is_a_clear_error(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "dept_head"}, on_empty="error")
    with pytest.raises(ApproverNotFound) as info:
        resolve_assignees(node, ctx("u_zhou"), demo_org)
    assert info.value.code == "approver_not_found"
    assert info.value.details["trace"][0] == {
        "rule": "dept_head",
        "department": "研发部",
        "department_id": "rnd",
        "levels": 1,
        "reason": "head_vacant",
    }


def test_vacant_head_can_go_up(demo_org: InMemoryOrg) -> None:
    result = resolve_assignees(approval({"rule": "dept_head", "vacant": "up"}), ctx("u_zhou"), demo_org)
    assert result.users == ["u_gm"]
    assert [t.get("reason") for t in result.trace] == ["head_vacant", None]


def test_skip_fallback_returns_nobody(demo_org: InMemoryOrg) -> None:
    result = resolve_assignees(approval({"rule": "dept_head"}, on_empty="skip"), ctx("u_zhou"), demo_org)
    assert (result.users, result.fallback_used) == ([], "skip")


def test_admin_fallback_without_admin_is_an_error(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "dept_head"}, on_empty="admin", admin="u_zheng")  # u_zheng has left
    with pytest.raises(ApproverFallbackEmpty):
        resolve_assignees(node, ctx("u_zhou"), demo_org)


def test_role_drops_inactive_members_visibly(demo_org: InMemoryOrg) -> None:
    result = resolve_assignees(approval({"rule": "role", "role": "finance"}), ctx(), demo_org)
    assert result.users == ["u_qian", "u_zhao"]
    assert {"rule": "filter", "user_id": "u_zheng", "user": "郑离职", "reason": "inactive"} in result.trace


def test_user_and_position_rules_deduplicate_in_order(demo_org: InMemoryOrg) -> None:
    node = approval(
        {"rule": "position", "position": "director"}, {"rule": "user", "users": ["u_gm", "u_dir"]}
    )
    assert resolve_assignees(node, ctx(), demo_org).users == ["u_dir", "u_gm"]


def test_manager_chain_defaults_to_department_heads(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "manager_chain", "levels": 3})
    result = resolve_assignees(node, ctx(), demo_org)
    assert result.users == ["u_zhang", "u_dir", "u_gm"]
    # The head of a department reports to the head above, not to themselves.
    assert resolve_assignees(approval({"rule": "manager_chain"}), ctx("u_zhang"), demo_org).users == ["u_dir"]


def test_manager_chain_until_role(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "manager_chain", "until_role": "general_manager"})
    assert resolve_assignees(node, ctx(), demo_org).users == ["u_zhang", "u_dir", "u_gm"]
    missing = approval({"rule": "manager_chain", "until_role": "ceo"}, on_empty="skip")
    result = resolve_assignees(missing, ctx(), demo_org)
    assert result.users == []
    assert {"rule": "manager_chain", "until_role": "ceo", "reason": "role_not_in_chain"} in result.trace


def test_manager_chain_cycle_is_an_error_not_a_hang() -> None:
    org = InMemoryOrg.build(
        [
            UserFacts("a", "甲", manager_id="b"),
            UserFacts("b", "乙", manager_id="c"),
            UserFacts("c", "丙", manager_id="a"),
        ],
        [],
    )
    with pytest.raises(OrgCycleDetected) as info:
        resolve_assignees(approval({"rule": "manager_chain", "levels": 10}), ctx("a"), org)
    assert info.value.params["chain"] == "甲 → 乙 → 丙 → 甲"
    assert info.value.details["node_id"] == "n"


def test_department_cycle_is_an_error_not_a_hang() -> None:
    org = InMemoryOrg.build(
        [UserFacts("a", "甲", department_id="d1")],
        [DeptFacts("d1", "一部", parent_id="d2"), DeptFacts("d2", "二部", parent_id="d1")],
    )
    with pytest.raises(OrgCycleDetected):
        resolve_assignees(approval({"rule": "dept_head", "vacant": "up"}), ctx("a"), org)
    with pytest.raises(OrgCycleDetected):
        resolve_assignees(approval({"rule": "dept_head", "levels": 5}), ctx("a"), org)
    with pytest.raises(OrgCycleDetected):
        resolve_assignees(approval({"rule": "manager_chain"}), ctx("a"), org)


def test_missing_manager_ends_the_chain(demo_org: InMemoryOrg) -> None:
    org = InMemoryOrg.build([UserFacts("a", "甲", manager_id="ghost")], [])
    result = resolve_assignees(approval({"rule": "manager_chain"}, on_empty="skip"), ctx("a"), org)
    assert result.users == []
    assert result.trace[0]["reason"] == "unknown_user"


def test_form_field_user_and_department(demo_org: InMemoryOrg) -> None:
    by_user = approval({"rule": "form_field", "field": "approver"})
    context = ctx(form={"approver": "u_sun", "dept": "fin"}, fields=PURCHASE_FIELDS)
    assert resolve_assignees(by_user, context, demo_org).users == ["u_sun"]
    by_dept = approval({"rule": "form_field", "field": "dept"})
    assert resolve_assignees(by_dept, context, demo_org).users == ["u_qian"]
    empty = resolve_assignees(by_user, ctx(form={}), demo_org)
    assert empty.fallback_used == "admin"
    assert empty.trace[0] == {"rule": "form_field", "field": "approver", "reason": "field_empty"}


def test_initiator_picks(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "initiator_picks", "role": "finance"})
    result = resolve_assignees(node, ctx(picks={"n": ["u_zhao"]}), demo_org)
    assert result.users == ["u_zhao"]
    refused = resolve_assignees(node, ctx(picks={"n": ["u_sun"]}), demo_org)
    assert refused.fallback_used == "admin"
    assert refused.trace[0]["reason"] == "lacks_role"


def test_previous_approver_manager(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "previous_approver_manager"})
    assert resolve_assignees(node, ctx(previous_approvers=("u_zhang",)), demo_org).users == ["u_dir"]


def test_initiator_is_the_person_who_started_it(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "initiator"})
    result = resolve_assignees(node, ctx(), demo_org)
    assert result.users == [ctx().initiator_id]
    assert result.trace[0]["rule"] == "initiator" and result.trace[0]["user"]
    assert resolve_assignees(node, ctx(None), demo_org).fallback_used == "admin"


def test_dynamic_selects_among_candidates(demo_org: InMemoryOrg) -> None:
    select = {"if": [{">": [{"var": "form.amount"}, 10000]}, "u_gm", ["u_dir", "u_li"]]}
    node = approval({"rule": "dynamic", "candidates": ["u_gm", "u_dir"], "select": select})
    assert resolve_assignees(node, ctx(form={"amount": 20000}), demo_org).users == ["u_gm"]
    small = resolve_assignees(node, ctx(form={"amount": 10}), demo_org)
    assert small.users == ["u_dir"]
    assert small.trace[0]["ignored"] == ["u_li"]  # not a candidate
    with pytest.raises(AssigneeDataMissing):
        resolve_assignees(node, ctx(form={}), demo_org)


def test_context_may_be_a_rules_style_dict(demo_org: InMemoryOrg) -> None:
    node = approval({"rule": "dept_head"})
    result = resolve_assignees(node, {"form": {}, "initiator": {"id": "u_li"}}, demo_org)
    assert result.users == ["u_zhang"]
    assert result.as_dict()["users"] == ["u_zhang"]


def test_cc_with_nobody_copies_nobody(demo_org: InMemoryOrg) -> None:
    node = NodeSpec("c", "cc", {}, {"recipients": [{"rule": "role", "role": "legal"}]})
    result = resolve_assignees(node, ctx(), demo_org)
    assert (result.users, result.fallback_used) == ([], "skip")
