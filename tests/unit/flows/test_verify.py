"""The verifier: the seed flows pass, and each kind of broken definition is caught by its own code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from runtime.flows import CATALOGUE, InMemoryOrg, Issue, has_errors, verify
from runtime.flows.rule_checks import conditions_exhaustive
from tests.unit.flows.conftest import DICTIONARY, LEAVE_FIELDS, PURCHASE_FIELDS, load_fixture

Doc = dict[str, Any]


def node(doc: Doc, node_id: str) -> dict[str, Any]:
    return next(n for n in doc["nodes"] if n["id"] == node_id)


def edge(doc: Doc, edge_id: str) -> dict[str, Any]:
    return next(e for e in doc["edges"] if e["id"] == edge_id)


def config(doc: Doc, node_id: str) -> dict[str, Any]:
    return node(doc, node_id).setdefault("config", {})


def add_node(doc: Doc, node_id: str, type_: str, cfg: dict[str, Any] | None = None) -> None:
    doc["nodes"].append({"id": node_id, "type": type_, "name": {"zh": node_id}, "config": cfg or {}})


def add_edge(doc: Doc, edge_id: str, source: str, target: str, **extra: Any) -> None:
    doc["edges"].append({"id": edge_id, "source": source, "target": target, **extra})


def remove_node(doc: Doc, node_id: str) -> None:
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] != node_id]
    doc["edges"] = [e for e in doc["edges"] if node_id not in (e["source"], e["target"])]
    doc["layout"].pop(node_id, None)


def approver(role: str = "finance") -> dict[str, Any]:
    return {"assignees": [{"rule": "role", "role": role}]}


def copy_to(role: str = "hr") -> dict[str, Any]:
    return {"recipients": [{"rule": "role", "role": role}]}


def codes(issues: list[Issue]) -> set[str]:
    return {i.code for i in issues}


@pytest.mark.parametrize(
    ("name", "fields"),
    [("purchase", PURCHASE_FIELDS), ("purchase_director", PURCHASE_FIELDS), ("leave", LEAVE_FIELDS)],
)
def test_seed_flows_have_no_errors_without_org(name: str, fields: dict[str, Any]) -> None:
    issues = verify(load_fixture(name), fields, dictionary=DICTIONARY)
    assert not has_errors(issues), [i.formatted() for i in issues]


def test_purchase_issues_are_the_expected_warnings(demo_org: InMemoryOrg) -> None:
    issues = verify(load_fixture("purchase"), PURCHASE_FIELDS, org=demo_org, dictionary=DICTIONARY)
    assert not has_errors(issues)
    fallback = next(i for i in issues if i.code == "approvers_fallback_used")
    assert (fallback.node_id, fallback.params["department_ids"], fallback.params["fallback"]) == (
        "head",
        ["rnd"],
        "admin",
    )
    assert "研发部" in fallback.formatted()
    repeat = next(i for i in issues if i.code == "consecutive_duplicate_approver")
    assert (repeat.node_id, repeat.params["user_ids"]) == ("finance", ["u_qian"])


def test_leave_flow_passes_without_a_default_because_its_conditions_are_exhaustive(
    demo_org: InMemoryOrg,
) -> None:
    issues = verify(load_fixture("leave"), LEAVE_FIELDS, org=demo_org, dictionary=DICTIONARY)
    assert not has_errors(issues), [i.formatted() for i in issues]
    assert "gateway_no_default" not in codes(issues)


def test_director_variant_reports_departments_without_a_director(demo_org: InMemoryOrg) -> None:
    issues = verify(load_fixture("purchase_director"), PURCHASE_FIELDS, org=demo_org)
    [issue] = [i for i in issues if i.code == "approvers_unresolvable"]
    # Only 总公司 has no department above it; every other department has a head two levels up.
    assert issue.node_id == "director"
    assert issue.params["department_ids"] == ["hq"]
    assert issue.severity == "error"


def test_without_org_the_org_checks_are_skipped() -> None:
    issues = verify(load_fixture("purchase_director"), PURCHASE_FIELDS)
    assert not has_errors(issues)


def test_vacant_head_is_listed_per_node(demo_org: InMemoryOrg) -> None:
    doc = load_fixture("purchase")
    config(doc, "head")["on_empty"] = "error"
    [issue] = [i for i in verify(doc, PURCHASE_FIELDS, org=demo_org) if i.code == "approvers_unresolvable"]
    assert issue.params["department_ids"] == ["rnd"]
    assert issue.params["departments"] == "研发部"


# ----------------------------------------------------------------------------- broken table


@dataclass(frozen=True)
class Broken:
    code: str
    mutate: Callable[[Doc], None]
    node_id: str | None = None
    edge_id: str | None = None
    field: str | None = None
    needs_org: bool = False
    org: dict[str, Any] | None = None  # replaces the demo org when given


def _parallel(doc: Doc, *, join: bool = True, join_cfg: dict[str, Any] | None = None) -> None:
    # start → head → split ⇉ (finance, cc) → join → finance... rebuilt as a small parallel flow.
    remove_node(doc, "gw")
    remove_node(doc, "gm")
    doc["edges"] = [e for e in doc["edges"] if e["source"] != "head" and e["source"] != "finance"]
    add_node(doc, "split", "parallel_split")
    add_node(doc, "legal", "approval", approver("general_manager"))
    add_edge(doc, "p1", "head", "split")
    add_edge(doc, "p2", "split", "finance")
    add_edge(doc, "p3", "split", "legal")
    if join:
        add_node(doc, "join", "parallel_join", join_cfg)
        add_edge(doc, "p4", "finance", "join")
        add_edge(doc, "p5", "legal", "join")
        add_edge(doc, "p6", "join", "end")
    else:
        add_edge(doc, "p4", "finance", "end")
        add_edge(doc, "p5", "legal", "end")


def _gateway_loop(doc: Doc) -> None:
    add_node(doc, "gw2", "exclusive_gateway")
    edge(doc, "e4")["target"] = "gw2"
    add_edge(doc, "g1", "gw2", "gw", priority=1, condition={">": [{"var": "form.amount"}, 10000]})
    add_edge(doc, "g2", "gw2", "gm", is_default=True)


def _cfg(node_id: str, **values: Any) -> Callable[[Doc], None]:
    return lambda doc: config(doc, node_id).update(values)


def _cond(edge_id: str, condition: Any) -> Callable[[Doc], None]:
    return lambda doc: edge(doc, edge_id).update(condition=condition)


BROKEN: dict[str, Broken] = {
    "document not an object": Broken("flow_document_invalid", lambda d: d.update(nodes={"a": 1})),
    "newer format": Broken("flow_schema_version_unsupported", lambda d: d.update(schema_version=99)),
    "node without id": Broken("node_invalid", lambda d: d["nodes"].append({"type": "cc"})),
    "edge with text priority": Broken(
        "edge_invalid", lambda d: edge(d, "e4").update(priority="high"), edge_id="e4"
    ),
    "duplicate node id": Broken(
        "duplicate_node_id", lambda d: add_node(d, "gm", "cc", copy_to()), node_id="gm"
    ),
    "duplicate edge id": Broken("duplicate_edge_id", lambda d: add_edge(d, "e6", "gm", "end"), edge_id="e6"),
    "unknown node type": Broken(
        "unknown_node_type", lambda d: node(d, "gm").update(type="robot"), node_id="gm"
    ),
    "config typo": Broken("node_config_invalid", _cfg("gm", skipable_when_urgent=True), node_id="gm"),
    "edge from nowhere": Broken(
        "edge_source_unknown", lambda d: add_edge(d, "x", "ghost", "end"), edge_id="x"
    ),
    "edge to nowhere": Broken(
        "edge_target_unknown", lambda d: edge(d, "e6").update(target="ghost"), edge_id="e6"
    ),
    "layout of a deleted node": Broken(
        "layout_unknown_node", lambda d: d["layout"].update(ghost={"x": 1, "y": 2})
    ),
    "approval without a name": Broken(
        "node_name_missing", lambda d: node(d, "gm").update(name={}), node_id="gm"
    ),
    "no start": Broken("start_missing", lambda d: remove_node(d, "start")),
    "two starts": Broken(
        "start_multiple", lambda d: (add_node(d, "start2", "start"), add_edge(d, "s2", "start2", "head"))
    ),
    "no end": Broken("end_missing", lambda d: node(d, "end").update(type="cc", config=copy_to())),
    "edge into start": Broken(
        "start_has_incoming",
        lambda d: add_edge(d, "back", "gw", "start", condition={"==": [1, 2]}),
        node_id="start",
        edge_id="back",
    ),
    "edge out of end": Broken("end_has_outgoing", lambda d: add_edge(d, "after", "end", "gm"), node_id="end"),
    "unreachable node": Broken(
        "node_unreachable",
        lambda d: (add_node(d, "orphan", "cc", copy_to()), add_edge(d, "o1", "orphan", "end")),
        node_id="orphan",
    ),
    "dead end": Broken(
        "node_dead_end",
        lambda d: (add_node(d, "x", "cc", copy_to()), edge(d, "e5").update(target="x")),
        node_id="x",
    ),
    "upstream of a dead end": Broken(
        "node_cannot_reach_end",
        lambda d: (add_node(d, "x", "cc", copy_to()), edge(d, "e2").update(target="x")),
        node_id="head",
    ),
    "return loop with no way out": Broken(
        "cycle_without_exit", lambda d: edge(d, "e3").update(target="head"), node_id="head"
    ),
    "approval back to itself": Broken("self_loop", lambda d: edge(d, "e6").update(target="gm"), edge_id="e6"),
    "gateways loop without a wait": Broken("cycle_without_wait_state", _gateway_loop, node_id="gw"),
    "approval with two exits": Broken(
        "multiple_outgoing_edges", lambda d: add_edge(d, "x", "head", "end"), node_id="head"
    ),
    "condition on an approval's edge": Broken(
        "condition_not_allowed", _cond("e2", {">": [{"var": "form.amount"}, 1]}), edge_id="e2"
    ),
    "default on an approval's edge": Broken(
        "default_not_allowed", lambda d: edge(d, "e2").update(is_default=True), edge_id="e2"
    ),
    "gateway without default": Broken(
        "gateway_no_default",
        lambda d: edge(d, "e5").update(is_default=False, condition={"<": [{"var": "form.amount"}, 1000]}),
        node_id="gw",
    ),
    "two defaults": Broken(
        "gateway_multiple_defaults",
        lambda d: edge(d, "e4").update(is_default=True, condition=None),
        node_id="gw",
    ),
    "default with a condition": Broken(
        "default_edge_has_condition", _cond("e5", {"<=": [{"var": "form.amount"}, 5000]}), edge_id="e5"
    ),
    "branch without condition": Broken("gateway_branch_without_condition", _cond("e4", None), edge_id="e4"),
    "gateway with one branch": Broken(
        "gateway_single_branch", lambda d: (remove_node(d, "gm"),), node_id="gw"
    ),
    "same priority twice": Broken(
        "gateway_priority_tie",
        lambda d: add_edge(d, "e7", "gw", "gm", priority=1, condition={">": [{"var": "form.amount"}, 9000]}),
        node_id="gw",
    ),
    "split into two ends": Broken(
        "parallel_split_not_joined", lambda d: _parallel(d, join=False), node_id="split"
    ),
    "split with one branch": Broken(
        "parallel_split_single_branch", lambda d: (_parallel(d), remove_node(d, "legal")), node_id="split"
    ),
    "join without split": Broken(
        "parallel_join_without_split",
        lambda d: (
            add_node(d, "join", "parallel_join"),
            edge(d, "e6").update(target="join"),
            add_edge(d, "j", "join", "end"),
        ),
        node_id="join",
    ),
    "join waits for more than arrive": Broken(
        "parallel_join_n_invalid",
        lambda d: _parallel(d, join_cfg={"join": "first_n", "n": 3}),
        node_id="join",
    ),
    "malformed rule": Broken("rule_invalid", _cond("e4", {"no_such_op": [1]}), edge_id="e4"),
    "var without form prefix": Broken(
        "rule_unknown_variable", _cond("e4", {">": [{"var": "amount"}, 5000]}), edge_id="e4"
    ),
    "misspelt field": Broken(
        "rule_unknown_field", _cond("e4", {">": [{"var": "form.amout"}, 5000]}), edge_id="e4", field="amout"
    ),
    "number compared with text": Broken(
        "rule_type_mismatch",
        _cond("e4", {">": [{"var": "form.amount"}, "5000"]}),
        edge_id="e4",
        field="amount",
    ),
    "unknown dictionary code": Broken(
        "rule_unknown_dictionary_code",
        _cond("e4", {"==": [{"var": "form.category"}, "taxi"]}),
        edge_id="e4",
        field="category",
    ),
    "unknown option": Broken(
        "rule_unknown_option",
        _cond("e4", {"in": [{"var": "form.level"}, ["A", "D"]]}),
        edge_id="e4",
        field="level",
    ),
    "right on a missing field": Broken(
        "field_right_unknown_field", _cfg("gm", fields={"amout": "read_only"}), node_id="gm", field="amout"
    ),
    "misspelt right": Broken(
        "field_right_invalid", _cfg("gm", fields={"amount": "readonly"}), node_id="gm", field="amount"
    ),
    "required field hidden at start": Broken(
        "required_field_not_editable_at_start",
        _cfg("start", fields={"reason": "hidden"}),
        node_id="start",
        field="reason",
    ),
    "assignee from a missing field": Broken(
        "assignee_field_unknown",
        _cfg("gm", assignees=[{"rule": "form_field", "field": "boss"}]),
        node_id="gm",
        field="boss",
    ),
    "assignee from a number field": Broken(
        "assignee_field_wrong_kind",
        _cfg("gm", assignees=[{"rule": "form_field", "field": "amount"}]),
        node_id="gm",
        field="amount",
    ),
    "service writes a missing field": Broken(
        "mapping_field_unknown",
        lambda d: (
            add_node(
                d,
                "push",
                "service",
                {
                    "connector": "legal",
                    "input": {"no": {"var": "form.contract_no"}},
                    "output": {"contract_number": "data.no"},
                },
            ),
            edge(d, "e6").update(target="push"),
            add_edge(d, "x", "push", "end"),
        ),
        node_id="push",
        field="contract_number",
    ),
    "delay until a number": Broken(
        "delay_field_wrong_kind",
        lambda d: (
            add_node(d, "wait", "delay", {"until": "amount"}),
            edge(d, "e6").update(target="wait"),
            add_edge(d, "x", "wait", "end"),
        ),
        node_id="wait",
        field="amount",
    ),
    "deadline from a missing field": Broken(
        "deadline_field_unknown", _cfg("gm", deadline={"field": "due_date"}), node_id="gm", field="due_date"
    ),
    "deadline from a number": Broken(
        "deadline_field_wrong_kind", _cfg("gm", deadline={"field": "amount"}), node_id="gm", field="amount"
    ),
    "initiator task skipped as the initiator's": Broken(
        "initiator_task_deduped", _cfg("gm", assignees=[{"rule": "initiator"}], dedupe={"initiator": True}),
        node_id="gm",
    ),
    "approval for nobody": Broken("task_without_assignees", _cfg("gm", assignees=[]), node_id="gm"),
    "unknown mode": Broken("approval_mode_unknown", _cfg("gm", mode="majority"), node_id="gm"),
    "percentage without threshold": Broken(
        "approval_threshold_invalid", _cfg("finance", mode="percentage"), node_id="finance"
    ),
    "unknown assignee rule": Broken(
        "assignee_rule_unknown", _cfg("gm", assignees=[{"rule": "boss"}]), node_id="gm"
    ),
    "dept head zero levels up": Broken(
        "assignee_rule_invalid", _cfg("head", assignees=[{"rule": "dept_head", "levels": 0}]), node_id="head"
    ),
    "reminder after zero hours": Broken(
        "timer_not_positive", _cfg("gm", timers=[{"kind": "remind", "after_hours": 0}]), node_id="gm"
    ),
    "endless reminders": Broken(
        "timer_reminder_cap",
        _cfg("gm", timers=[{"kind": "remind", "after_hours": 24, "repeat_hours": 24}]),
        node_id="gm",
    ),
    "two timeouts": Broken(
        "timer_duplicate",
        _cfg(
            "gm",
            timers=[
                {"kind": "timeout", "after_hours": 48, "action": "approve"},
                {"kind": "timeout", "after_hours": 72, "action": "reject"},
            ],
        ),
        node_id="gm",
    ),
    "escalation after the timeout": Broken(
        "timer_after_timeout",
        _cfg(
            "gm",
            timers=[
                {"kind": "timeout", "after_hours": 48, "action": "notify_admin"},
                {"kind": "escalate", "after_working_days": 3, "to": "manager"},
            ],
        ),
        node_id="gm",
    ),
    "user who does not exist": Broken(
        "assignee_user_unknown",
        _cfg("gm", assignees=[{"rule": "user", "users": ["u_ghost"]}]),
        node_id="gm",
        needs_org=True,
    ),
    "user who left": Broken(
        "assignee_user_inactive",
        _cfg("gm", assignees=[{"rule": "user", "users": ["u_zheng", "u_gm"]}]),
        node_id="gm",
        needs_org=True,
    ),
    "role nobody holds": Broken(
        "role_without_members",
        _cfg("gm", assignees=[{"rule": "role", "role": "legal"}]),
        node_id="gm",
        needs_org=True,
    ),
    "position nobody holds": Broken(
        "position_without_members",
        _cfg("gm", assignees=[{"rule": "position", "position": "cfo"}]),
        node_id="gm",
        needs_org=True,
    ),
    "vacant head and stop": Broken(
        "approvers_unresolvable", _cfg("head", on_empty="error"), node_id="head", needs_org=True
    ),
    "vacant head and admin": Broken(
        "approvers_fallback_used", lambda d: None, node_id="head", needs_org=True
    ),
    "head approves own request": Broken("self_approval_risk", lambda d: None, node_id="head", needs_org=True),
    "same person twice": Broken(
        "consecutive_duplicate_approver", lambda d: None, node_id="finance", needs_org=True
    ),
    "department tree loops": Broken(
        "org_cycle",
        lambda d: None,
        node_id="head",
        needs_org=True,
        org={
            "departments": [
                {"id": "d1", "name": "一部", "parent_id": "d2"},
                {"id": "d2", "name": "二部", "parent_id": "d1"},
            ],
            "users": [{"id": "u1", "name": "甲", "department_id": "d1"}],
        },
    ),
}


@pytest.mark.parametrize("case", list(BROKEN.values()), ids=list(BROKEN))
def test_broken_definition_is_caught_with_its_own_code(case: Broken, demo_org: InMemoryOrg) -> None:
    doc = load_fixture("purchase")
    if case.code == "org_cycle":
        config(doc, "head")["assignees"] = [{"rule": "dept_head", "levels": 3}]
    case.mutate(doc)
    org = InMemoryOrg.from_dict(case.org) if case.org else demo_org
    issues = verify(doc, PURCHASE_FIELDS, org=org if case.needs_org else None, dictionary=DICTIONARY)
    matching = [i for i in issues if i.code == case.code]
    assert matching, f"{case.code} not in {sorted(codes(issues))}"
    issue = matching[0]
    assert issue.severity == CATALOGUE[case.code][0] or case.code == "required_field_not_editable_at_start"
    if case.node_id:
        assert case.node_id in {i.node_id for i in matching}
    if case.edge_id:
        assert case.edge_id in {i.edge_id for i in matching}
    if case.field:
        assert case.field in {i.field for i in matching}
    assert issue.formatted() != issue.message or not issue.params  # parameters fill the template
    assert "%(" not in issue.formatted()


def test_the_table_has_one_case_per_code_and_covers_every_verifier_code() -> None:
    table_codes = [c.code for c in BROKEN.values()]
    assert len(table_codes) == len(set(table_codes)) >= 25
    verifier_codes = {c for c in CATALOGUE if not c.startswith("sim_")}
    assert verifier_codes - set(table_codes) == set()


@pytest.mark.parametrize("deadline", [
    {"remind_before_hours": 4},  # no field
    {"field": "need_by", "remind_before_hours": 0},
    {"field": "need_by", "remind_before_hours": "24"},
    {"field": "need_by", "escalate": True},
])
def test_malformed_deadlines_are_config_errors(deadline: dict[str, Any]) -> None:
    doc = load_fixture("purchase")
    config(doc, "gm")["deadline"] = deadline
    assert "node_config_invalid" in codes(verify(doc, PURCHASE_FIELDS))


@pytest.mark.parametrize("key", ["need_by", "period"])
def test_deadlines_from_date_and_range_fields_are_fine(key: str) -> None:
    doc = load_fixture("purchase")
    config(doc, "gm")["deadline"] = {"field": key, "remind_before_hours": 8}
    assert not {c for c in codes(verify(doc, PURCHASE_FIELDS)) if c.startswith(("deadline", "node_config"))}


def test_a_planned_start_must_be_a_date_field_too() -> None:
    doc = load_fixture("purchase")
    config(doc, "gm")["deadline"] = {"field": "need_by", "start_field": "amount"}
    [issue] = [i for i in verify(doc, PURCHASE_FIELDS) if i.code == "deadline_field_wrong_kind"]
    assert issue.field == "amount" and issue.node_id == "gm"


def test_unpublishable_fixture_stays_unchanged_by_verify() -> None:
    doc = load_fixture("purchase")
    before = repr(doc)
    verify(doc, PURCHASE_FIELDS)
    assert repr(doc) == before


# ----------------------------------------------------------------------------- details


def test_required_by_rule_hidden_at_start_is_a_warning() -> None:
    from dataclasses import replace

    fields = dict(PURCHASE_FIELDS)
    fields["contract_no"] = replace(fields["contract_no"], required_if={">": [{"var": "form.amount"}, 1]})
    doc = load_fixture("purchase")
    config(doc, "start")["fields"] = {"contract_no": "read_only"}
    [issue] = [i for i in verify(doc, fields) if i.code == "required_field_not_editable_at_start"]
    assert issue.severity == "warning"


def test_sub_table_column_inherits_the_table_right() -> None:
    from dataclasses import replace

    fields = dict(PURCHASE_FIELDS)
    fields["items.price"] = replace(fields["items.price"], required=True)
    doc = load_fixture("purchase")
    config(doc, "start")["fields"] = {"items": "hidden"}
    issues = verify(doc, fields)
    assert [i.field for i in issues if i.code == "required_field_not_editable_at_start"] == ["items.price"]


@pytest.mark.parametrize(
    "condition",
    [
        {">": [{"var": "form.items.0.price"}, 5]},
        {"some": [{"var": "form.items"}, {">": [{"var": "price"}, 100]}]},
        {"<": ["2025-01-01", {"var": "form.need_by"}]},
        {"==": [{"var": "form.period.start"}, "2025-10-01"]},
        {"in": ["财务部", {"var": "initiator.department"}]},
        {"==": [{"var": "form.category"}, None]},
        {"and": [{"var": "urgent"}, {"==": [{"var": "form.level"}, "A"]}]},
    ],
)
def test_valid_conditions_raise_nothing(condition: Any) -> None:
    doc = load_fixture("purchase")
    edge(doc, "e4")["condition"] = condition
    issues = verify(doc, PURCHASE_FIELDS, dictionary=DICTIONARY)
    assert not has_errors(issues), [i.formatted() for i in issues]


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        ({"==": [{"var": "form.need_by"}, "next week"]}, "rule_type_mismatch"),
        ({">": [{"var": "form.items"}, 3]}, "rule_type_mismatch"),
        ({"==": [{"var": "form.amount"}, {"var": "form.reason"}]}, "rule_type_mismatch"),
        ({"==": [{"var": "form.urgent_flag"}, True]}, "rule_unknown_field"),
        ({"in": ["taxi", {"var": "form.category"}]}, None),  # substring of a text: allowed
        ({"==": [{"var": "initiator.salary"}, 1]}, "rule_unknown_variable"),
        ({"==": [{"var": "form.period.middle"}, "2025-10-01"]}, "rule_unknown_field"),
    ],
)
def test_condition_field_checks(condition: Any, code: str | None) -> None:
    doc = load_fixture("purchase")
    edge(doc, "e4")["condition"] = condition
    found = codes(verify(doc, PURCHASE_FIELDS, dictionary=DICTIONARY))
    if code is None:
        assert not {"rule_type_mismatch", "rule_unknown_field", "rule_unknown_dictionary_code"} & found
    else:
        assert code in found


def test_dictionary_codes_are_only_checked_when_the_dictionary_is_given() -> None:
    doc = load_fixture("purchase")
    edge(doc, "e4")["condition"] = {"==": [{"var": "form.category"}, "taxi"]}
    assert "rule_unknown_dictionary_code" not in codes(verify(doc, PURCHASE_FIELDS))
    assert "rule_unknown_dictionary_code" in codes(verify(doc, PURCHASE_FIELDS, dictionary=DICTIONARY))


def test_rules_inside_node_configs_are_checked() -> None:
    doc = load_fixture("purchase")
    config(doc, "gm")["assignees"] = [
        {
            "rule": "dynamic",
            "candidates": ["u_gm"],
            "select": {"if": [{">": [{"var": "form.amt"}, 1]}, "u_gm", None]},
        }
    ]
    [issue] = [i for i in verify(doc, PURCHASE_FIELDS) if i.code == "rule_unknown_field"]
    assert issue.node_id == "gm"
    assert "assignees/0/select" in issue.formatted()


@pytest.mark.parametrize(
    ("conditions", "exhaustive"),
    [
        ([{">": [{"var": "form.amount"}, 5000]}, {"<=": [{"var": "form.amount"}, 5000]}], True),
        ([{">": [{"var": "form.amount"}, 5000]}, {"<": [{"var": "form.amount"}, 5000]}], False),
        ([{"<": [{"var": "x"}, 1]}, {"<=": [1, {"var": "x"}, 3]}, {">": [{"var": "x"}, 3]}], True),
        ([{"<": [{"var": "x"}, 1]}, {"<": [1, {"var": "x"}, 3]}, {">": [{"var": "x"}, 3]}], False),
        ([{">": [5000, {"var": "x"}]}, {">=": [{"var": "x"}, 5000]}], True),
        ([{">": [{"var": "x"}, 1]}, {">": [{"var": "y"}, 1]}], False),
        ([{"var": "urgent"}, {"!": {"var": "urgent"}}], True),
        ([{"==": [{"var": "urgent"}, True]}, {"==": [{"var": "urgent"}, False]}], True),
        (
            [{"or": [{"<": [{"var": "x"}, 0]}, {">": [{"var": "x"}, 10]}]}, {"<=": [0, {"var": "x"}, 10]}],
            True,
        ),
        ([{"and": [{">": [{"var": "x"}, 0]}, {"<": [{"var": "x"}, 10]}]}, {"<=": [{"var": "x"}, 0]}], False),
        ([{"!=": [{"var": "x"}, 3]}, {"==": [{"var": "x"}, 3]}], True),
        ([{"==": [{"var": "form.level"}, "A"]}], False),
    ],
)
def test_exhaustive_conditions(conditions: list[Any], exhaustive: bool) -> None:
    assert conditions_exhaustive(conditions) is exhaustive


def test_issues_serialise_to_plain_json(demo_org: InMemoryOrg) -> None:
    import json

    issues = verify(load_fixture("purchase_director"), PURCHASE_FIELDS, org=demo_org)
    data = [i.as_dict() for i in issues]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data[0]) == {"code", "severity", "message", "text", "params", "node_id", "edge_id", "field"}
    assert data[0]["severity"] == "error"  # errors first


def test_rules_over_the_size_limits_are_invalid() -> None:
    from runtime.rules import MAX_DEPTH

    deep: Any = {"var": "form.amount"}
    for _ in range(MAX_DEPTH + 5):
        deep = {"+": [deep, 1]}
    doc = load_fixture("purchase")
    edge(doc, "e4")["condition"] = {">": [deep, 5000]}
    [issue] = [i for i in verify(doc, PURCHASE_FIELDS) if i.code == "rule_invalid"]
    assert issue.edge_id == "e4"
    assert issue.params["rule_error"]["reason"] == "too_deep"


def test_with_the_forms_loader_and_a_dictionary_snapshot() -> None:
    import json
    from pathlib import Path

    from runtime.forms.definition import load_form

    forms = Path(__file__).parents[1] / "forms" / "fixtures"
    form = load_form(json.loads((forms / "travel_form.json").read_text(encoding="utf-8")))
    snapshot = json.loads((forms / "dictionary_snapshot.json").read_text(encoding="utf-8"))
    doc = load_fixture("purchase")
    for n in doc["nodes"]:
        n.get("config", {}).pop("fields", None)
    edge(doc, "e4")["condition"] = {
        "or": [
            {">": [{"var": "form.budget"}, 5000]},
            {"in": [{"var": "form.expense_type"}, ["air", "taxi", "bus"]]},
            {">": [{"var": "form.trip_dates.start"}, "2025-10-01"]},
        ]
    }
    issues = verify(doc, form.fields, dictionary=snapshot)
    assert [(i.code, i.params["value"]) for i in issues if i.code.startswith("rule_")] == [
        ("rule_unknown_dictionary_code", "bus")  # "taxi" is disabled but known
    ]
