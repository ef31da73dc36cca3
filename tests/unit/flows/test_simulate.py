"""The simulator: seed scenarios, urgent skip, blocking on missing values, batch comparison."""

from __future__ import annotations

import json
from typing import Any

import pytest

from runtime.flows import FlowInvalid, InMemoryOrg, SimulationResult, simulate, simulate_batch
from tests.unit.flows.conftest import LEAVE_FIELDS, NOW, PURCHASE_FIELDS, load_fixture


def run(
    flow: dict[str, Any],
    org: InMemoryOrg,
    data: dict[str, Any],
    initiator: str = "u_li",
    fields: Any = PURCHASE_FIELDS,
    **kwargs: Any,
) -> SimulationResult:
    result = simulate(flow, fields, data=data, initiator_id=initiator, org=org, now=NOW, **kwargs)
    assert json.loads(json.dumps(result.as_dict())) == result.as_dict()  # plain JSON, always
    return result


def test_purchase_up_to_5000_skips_the_general_manager(
    purchase: dict[str, Any], demo_org: InMemoryOrg
) -> None:
    result = run(purchase, demo_org, {"amount": 5000, "reason": "键盘"})
    assert result.path == ["start", "head", "finance", "gw", "end"]
    assert result.outcome == "approved"
    gateway = result.step("gw").gateway
    assert gateway is not None
    assert gateway["evaluations"] == [
        {
            "edge_id": "e4",
            "target": "gm",
            "order": 1,
            "priority": 1,
            "rule": {">": [{"var": "form.amount"}, 5000]},
            "values": {"form.amount": 5000},
            "result": False,
        }
    ]
    assert (gateway["taken"], gateway["reason"]) == ("e5", "default")


def test_purchase_6000_from_sales_goes_to_the_general_manager(
    purchase: dict[str, Any], demo_org: InMemoryOrg
) -> None:
    result = run(purchase, demo_org, {"amount": 6000})
    assert result.path == ["start", "head", "finance", "gw", "gm", "end"]
    head = result.step("head")
    assert head.approvers is not None and head.approvers.users == ["u_zhang"]
    assert head.approvers.trace[0]["department"] == "销售部"
    finance = result.step("finance")
    assert (finance.mode, finance.required_approvals) == ("all", 2)
    assert finance.approvers is not None and finance.approvers.users == ["u_qian", "u_zhao"]
    assert result.step("gw").gateway["reason"] == "first_match"  # type: ignore[index]
    gm = result.step("gm")
    assert gm.approvers is not None and gm.approvers.users == ["u_gm"]
    assert gm.approvers.trace[0]["users"] == ["王总"]


def test_timers_have_due_times_on_working_days(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    timers = run(purchase, demo_org, {"amount": 1}).step("head").timers
    remind, escalate = timers
    assert remind["reminders"] == [
        "2025-09-27T10:00:00+08:00",
        "2025-09-28T10:00:00+08:00",
        "2025-09-29T10:00:00+08:00",
    ]
    # Friday 26 Sep 2025 + 3 working days: Sunday 28 Sep is a working day (National Day 调休).
    assert (escalate["due"], escalate["calendar"], escalate["to"]) == (
        "2025-09-30T10:00:00+08:00",
        "working_days",
        "manager",
    )


def test_urgent_request_skips_the_skippable_node(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    result = run(purchase, demo_org, {"amount": 6000}, urgent=True)
    assert result.skipped_urgent == ["gm"]
    assert result.step("gm").status == "skipped_urgent"
    assert result.step("finance").status == "approved"  # not skippable
    assert result.outcome == "approved"


def test_missing_amount_blocks_instead_of_routing(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    result = run(purchase, demo_org, {"reason": "没填金额"})
    assert result.blocked
    assert result.outcome is None
    assert result.path == ["start", "head", "finance", "gw"]
    [issue] = result.blocking
    assert (issue.code, issue.node_id, issue.edge_id) == ("sim_missing_value", "gw", "e4")
    assert issue.params["missing"] == ["amount"]
    assert result.step("gw").status == "blocked"


def test_a_var_with_a_default_is_not_missing(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    purchase["edges"][3]["condition"] = {">": [{"var": ["form.amount", 0]}, 5000]}
    result = run(purchase, demo_org, {})
    assert not result.blocked
    assert result.path[-1] == "end"


def test_leave_two_days_only_the_head(leave: dict[str, Any], demo_org: InMemoryOrg) -> None:
    result = run(leave, demo_org, {"days": 2, "leave_type": "annual"}, fields=LEAVE_FIELDS)
    assert result.path == ["start", "head", "days_gw", "cc_hr", "end"]
    assert result.step("cc_hr").status == "copied"
    assert result.step("cc_hr").approvers.users == ["u_sun"]  # type: ignore[union-attr]


def test_leave_five_days_head_then_hr(leave: dict[str, Any], demo_org: InMemoryOrg) -> None:
    result = run(leave, demo_org, {"days": 5, "leave_type": "annual"}, fields=LEAVE_FIELDS)
    assert result.path == ["start", "head", "days_gw", "hr", "end"]
    gateway = result.step("days_gw").gateway
    assert [e["result"] for e in gateway["evaluations"]] == [False, True]  # type: ignore[index]
    hr = result.step("hr")
    assert (hr.status, hr.approvers.users) == ("approved", ["u_sun"])  # type: ignore[union-attr]


def test_leave_of_hr_staff_auto_approves_the_repeated_approver(
    leave: dict[str, Any], demo_org: InMemoryOrg
) -> None:
    result = run(leave, demo_org, {"days": 5}, initiator="u_lin", fields=LEAVE_FIELDS)
    assert result.step("head").approvers.users == ["u_sun"]  # type: ignore[union-attr]
    hr = result.step("hr")
    assert hr.status == "auto_approved"
    assert hr.auto_approved == {"u_sun": "consecutive"}
    assert hr.timers == []


def test_initiator_as_approver_auto_approves_when_configured(
    purchase: dict[str, Any], demo_org: InMemoryOrg
) -> None:
    purchase["nodes"][1]["config"]["dedupe"] = {"initiator": True}
    result = run(purchase, demo_org, {"amount": 1}, initiator="u_zhang")
    assert result.step("head").status == "auto_approved"
    assert result.step("head").auto_approved == {"u_zhang": "initiator"}
    without = run(load_fixture("purchase"), demo_org, {"amount": 1}, initiator="u_zhang")
    assert without.step("head").status == "approved"


def test_director_variant(purchase_director: dict[str, Any], demo_org: InMemoryOrg) -> None:
    result = run(purchase_director, demo_org, {"amount": 6000})
    assert result.path == ["start", "head", "gw", "director", "end"]
    assert result.step("director").approvers.users == ["u_dir"]  # type: ignore[union-attr]
    assert result.step("head").timers[0] == {
        "kind": "auto_transfer",
        "after_hours": 24,
        "calendar": "hours",
        "due": "2025-09-27T10:00:00+08:00",
        "to": "backup",
    }
    from_top = run(purchase_director, demo_org, {"amount": 6000}, initiator="u_wu")
    assert [i.code for i in from_top.blocking] == ["sim_approver_not_found"]
    assert from_top.step("director").approvers.trace[0]["reason"] == "no_department_that_high"  # type: ignore


def test_vacant_head_falls_back_to_the_admin(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    head = run(purchase, demo_org, {"amount": 1}, initiator="u_zhou").step("head")
    assert head.approvers is not None
    assert (head.approvers.users, head.approvers.fallback_used) == (["u_wu"], "admin")


def test_rejection_ends_the_request(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    result = run(purchase, demo_org, {"amount": 6000}, decisions={"finance": "reject"})
    assert result.path == ["start", "head", "finance"]
    assert (result.outcome, result.blocked) == ("rejected", False)


def test_unknown_initiator_blocks(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    result = run(purchase, demo_org, {"amount": 1}, initiator="u_ghost")
    assert [i.code for i in result.blocking] == ["sim_initiator_unknown"]
    assert result.path == []


def test_gateway_loop_is_detected(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    purchase["nodes"].append({"id": "gw2", "type": "exclusive_gateway"})
    purchase["edges"][3]["target"] = "gw2"
    purchase["edges"] += [
        {
            "id": "g1",
            "source": "gw2",
            "target": "gw",
            "priority": 1,
            "condition": {">": [{"var": "form.amount"}, 10000]},
        },
        {"id": "g2", "source": "gw2", "target": "gm", "is_default": True},
    ]
    assert run(purchase, demo_org, {"amount": 6000}).path[-1] == "end"
    looping = run(purchase, demo_org, {"amount": 20000})
    assert [i.code for i in looping.blocking] == ["sim_loop_detected"]


def test_parallel_branches_are_reported(demo_org: InMemoryOrg) -> None:
    flow = {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start"},
            {"id": "split", "type": "parallel_split"},
            {
                "id": "finance",
                "type": "approval",
                "name": {"zh": "财务"},
                "config": {
                    "mode": "percentage",
                    "threshold": 50,
                    "assignees": [{"rule": "role", "role": "finance"}],
                },
            },
            {
                "id": "legal",
                "type": "handle",
                "name": {"zh": "法务"},
                "config": {"assignees": [{"rule": "position", "position": "director"}]},
            },
            {"id": "join", "type": "parallel_join", "config": {"join": "all"}},
            {"id": "end", "type": "end"},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "split"},
            {"id": "b1", "source": "split", "target": "finance"},
            {"id": "b2", "source": "split", "target": "legal"},
            {"id": "j1", "source": "finance", "target": "join"},
            {"id": "j2", "source": "legal", "target": "join"},
            {"id": "e2", "source": "join", "target": "end"},
        ],
    }
    result = run(flow, demo_org, {})
    assert result.path == ["start", "split", "finance", "legal", "join", "end"]
    assert result.parallel == [
        {"split": "split", "join": "join", "branches": {"b1": ["finance"], "b2": ["legal"]}}
    ]
    assert [s.branch for s in result.steps] == [None, None, "b1", "b2", None, None]
    finance = result.step("finance")
    assert (finance.mode, finance.required_approvals) == ("percentage", 1)
    assert result.step("legal").status == "handled"


def test_automated_nodes_are_described_not_run(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    purchase["nodes"] += [
        {
            "id": "push",
            "type": "service",
            "config": {
                "connector": "legal",
                "operation": "create_contract",
                "input": {"amount": {"var": "form.amount"}, "no": {"var": "form.contract_no"}},
                "output": {"contract_no": "data.number"},
            },
        },
        {"id": "wait", "type": "delay", "config": {"after_working_days": 1}},
        {
            "id": "child",
            "type": "subprocess",
            "config": {"app": "contract_archive", "input": {"amount": {"var": "form.amount"}}},
        },
    ]
    purchase["edges"][5]["target"] = "push"
    purchase["edges"] += [
        {"id": "a1", "source": "push", "target": "wait"},
        {"id": "a2", "source": "wait", "target": "child"},
        {"id": "a3", "source": "child", "target": "end"},
    ]
    result = run(purchase, demo_org, {"amount": 8000})
    push = result.step("push")
    assert push.status == "would_call"
    assert push.details["input"] == {"amount": 8000, "no": None}
    assert push.notes == [{"note": "missing_input", "param": "input/no", "fields": ["contract_no"]}]
    assert result.step("wait").details == {"until": "2025-09-28T10:00:00+08:00", "calendar": "working_days"}
    assert result.step("child").details == {
        "app": "contract_archive",
        "wait": True,
        "input": {"amount": 8000},
    }
    assert result.outcome == "approved"


def test_previous_approver_manager_and_picks(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    purchase["nodes"][2]["config"] = {"assignees": [{"rule": "previous_approver_manager"}]}
    purchase["nodes"][4]["config"] = {"assignees": [{"rule": "initiator_picks"}]}
    result = run(purchase, demo_org, {"amount": 6000}, picks={"gm": ["u_sun"]})
    assert result.step("finance").approvers.users == ["u_dir"]  # type: ignore[union-attr]  # 张三's manager
    assert result.step("gm").approvers.users == ["u_sun"]  # type: ignore[union-attr]


def test_invalid_flow_is_refused(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    purchase["nodes"][1]["type"] = "robot"
    with pytest.raises(FlowInvalid):
        run(purchase, demo_org, {"amount": 1})


def test_batch_compares_draft_with_published(purchase: dict[str, Any], demo_org: InMemoryOrg) -> None:
    draft = load_fixture("purchase")
    draft["edges"][3]["condition"] = {">": [{"var": "form.amount"}, 10000]}  # the draft raises the threshold
    samples = [
        {"name": "small", "data": {"amount": 3000}, "initiator_id": "u_li"},
        {"name": "medium", "data": {"amount": 6000}, "initiator_id": "u_li"},
        {"name": "large", "data": {"amount": 20000}, "initiator_id": "u_li"},
        {"name": "urgent medium", "data": {"amount": 6000}, "initiator_id": "u_li", "urgent": True},
    ]
    batch = simulate_batch(draft, purchase, PURCHASE_FIELDS, samples, demo_org, now=NOW)
    assert [i.differs for i in batch.items] == [False, True, False, True]
    medium = batch.items[1]
    assert medium.divergence == {
        "index": 4,
        "reason": "different_node",
        "node_id": "end",
        "draft": {"node_id": "end", "status": "ended", "approvers": []},
        "published": {"node_id": "gm", "status": "approved", "approvers": ["u_gm"]},
    }
    assert medium.draft.path == ["start", "head", "finance", "gw", "end"]
    assert medium.published.path == ["start", "head", "finance", "gw", "gm", "end"]
    as_dict = batch.as_dict()
    assert (as_dict["differing"], as_dict["total"]) == (2, 4)
    assert json.loads(json.dumps(as_dict)) == as_dict


def test_batch_reports_different_approvers(purchase_director: dict[str, Any], demo_org: InMemoryOrg) -> None:
    draft = load_fixture("purchase_director")
    draft["nodes"][3]["config"]["assignees"] = [{"rule": "role", "role": "general_manager"}]
    samples = [{"data": {"amount": 6000}, "initiator_id": "u_li"}]
    [item] = simulate_batch(draft, purchase_director, PURCHASE_FIELDS, samples, demo_org, now=NOW).items
    assert item.divergence is not None
    assert (item.divergence["reason"], item.divergence["node_id"]) == ("different_approvers", "director")
