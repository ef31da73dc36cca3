"""The verifier and the simulator never crash on arbitrary input: they report issues instead."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.flows import FlowInvalid, InMemoryOrg, node_type_registry, simulate, verify
from tests.unit.flows.conftest import NOW, PURCHASE_FIELDS, load_fixture

_json_leaf = st.none() | st.booleans() | st.integers(-10, 10000) | st.text(max_size=8)
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
_ids = st.sampled_from(["start", "a", "b", "c", "gw", "end", "x"])
_var = st.sampled_from(["form.amount", "form.reason", "form.level", "amount", "urgent", "initiator.id"])
_condition = st.none() | st.builds(
    lambda op, var, value: {op: [{"var": var}, value]},
    st.sampled_from(["==", ">", "<=", "!=", "in", "bogus"]),
    _var,
    _json_leaf,
)
_assignee = st.fixed_dictionaries(
    {"rule": st.sampled_from(["dept_head", "role", "user", "manager_chain", "form_field", "dynamic", "x"])},
    optional={
        "levels": st.integers(-1, 5),
        "role": st.sampled_from(["finance", "hr", "nobody"]),
        "users": st.lists(st.sampled_from(["u_li", "u_gm", "ghost"]), max_size=2),
        "field": st.sampled_from(["approver", "dept", "amount", "ghost"]),
        "candidates": st.lists(st.sampled_from(["u_gm", "u_dir"]), max_size=2),
        "select": _condition,
    },
)
_config = st.fixed_dictionaries(
    {},
    optional={
        "mode": st.sampled_from(["single", "all", "percentage", "weird"]),
        "threshold": st.integers(-5, 150),
        "assignees": st.lists(_assignee, max_size=2),
        "recipients": st.lists(_assignee, max_size=2),
        "on_empty": st.sampled_from(["admin", "skip", "error", "nope"]),
        "fields": st.dictionaries(
            st.sampled_from(["amount", "reason", "ghost"]), st.text(max_size=9), max_size=2
        ),
        "timers": st.lists(
            st.dictionaries(st.sampled_from(["kind", "after_hours", "max", "to"]), _json_leaf)
        ),
        "join": st.sampled_from(["all", "first_n"]),
        "n": st.integers(-1, 4),
        "outcome": st.sampled_from(["approved", "rejected", "?"]),
        "junk": _json,
    },
)
_node = st.fixed_dictionaries(
    {"id": _ids, "type": st.sampled_from([*node_type_registry.types(), "robot"])},
    optional={"name": st.just({"zh": "节点"}), "config": _config},
)
_edge = st.fixed_dictionaries(
    {"id": st.sampled_from(["e1", "e2", "e3", "e4", "e5", "e6"]), "source": _ids, "target": _ids},
    optional={
        "condition": _condition,
        "is_default": st.booleans(),
        "priority": st.none() | st.integers(0, 3),
    },
)
_document = st.fixed_dictionaries(
    {"schema_version": st.sampled_from([1, 1, 1, 2, "1"]), "nodes": st.lists(_node, max_size=7)},
    optional={"edges": st.lists(_edge, max_size=8), "layout": st.dictionaries(_ids, _json, max_size=2)},
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document)
def test_verify_never_crashes(document: dict[str, Any]) -> None:
    org = InMemoryOrg.from_dict(load_fixture("org_demo"))
    issues = verify(document, PURCHASE_FIELDS, org=org)
    for issue in issues:
        assert issue.severity in ("error", "warning")
        assert "%(" not in issue.formatted()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document, st.dictionaries(st.sampled_from(["amount", "reason", "level"]), _json_leaf))
def test_simulate_never_crashes(document: dict[str, Any], data: dict[str, Any]) -> None:
    org = InMemoryOrg.from_dict(load_fixture("org_demo"))
    try:
        result = simulate(document, PURCHASE_FIELDS, data=data, initiator_id="u_li", org=org, now=NOW)
    except FlowInvalid:
        return
    assert result.as_dict()["path"] == result.path


@given(_json)
def test_verify_accepts_any_json(document: Any) -> None:
    verify(document, PURCHASE_FIELDS)


_CONDITIONS = [
    {">": [{"var": "form.amount"}, 5000]},
    {"<=": [{"var": "form.amount"}, 5000]},
    {"<": [{"var": "form.amount"}, 100]},
    {"==": [{"var": "urgent"}, True]},
    {"!": {"var": "urgent"}},
]
_MIDDLE = {
    "approval": {"assignees": [{"rule": "dept_head"}]},
    "handle": {"mode": "all", "assignees": [{"rule": "role", "role": "finance"}]},
    "cc": {"recipients": [{"rule": "role", "role": "hr"}]},
    "exclusive_gateway": {},
    "parallel_split": {},
    "parallel_join": {},
    "delay": {"after_hours": 2},
}


@st.composite
def wellformed_flows(draw: st.DrawFn) -> dict[str, Any]:
    """Flows whose nodes and edges are individually valid but whose graph is random."""
    kinds = draw(st.lists(st.sampled_from(sorted(_MIDDLE)), min_size=1, max_size=6))
    nodes = [{"id": "start", "type": "start"}, {"id": "end", "type": "end"}]
    nodes += [
        {"id": f"n{i}", "type": k, "name": {"zh": k}, "config": _MIDDLE[k]} for i, k in enumerate(kinds)
    ]
    ids = [n["id"] for n in nodes]
    types = {n["id"]: n["type"] for n in nodes}
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), min_size=2, max_size=12))
    edges = []
    for index, (source, target) in enumerate(pairs):
        edge: dict[str, Any] = {"id": f"e{index}", "source": source, "target": target}
        if types[source] == "exclusive_gateway":
            if draw(st.booleans()):
                edge["is_default"] = True
            else:
                edge["condition"] = draw(st.sampled_from(_CONDITIONS))
                edge["priority"] = draw(st.integers(0, 3))
        edges.append(edge)
    return {"schema_version": 1, "nodes": nodes, "edges": edges, "layout": {}}


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(wellformed_flows(), st.integers(0, 10000), st.booleans())
def test_a_flow_that_verifies_never_gets_stuck_in_simulation(
    document: dict[str, Any], amount: int, urgent: bool
) -> None:
    org = InMemoryOrg.from_dict(load_fixture("org_demo"))
    issues = verify(document, PURCHASE_FIELDS, org=org)
    if any(i.severity == "error" for i in issues):
        return
    result = simulate(
        document,
        PURCHASE_FIELDS,
        data={"amount": amount},
        initiator_id="u_li",
        org=org,
        urgent=urgent,
        now=NOW,
    )
    codes = {i.code for i in result.blocking}
    # A loop through an approval is legal (the approver may change the data); everything else
    # the verifier accepted must run to an end.
    assert codes <= {"sim_loop_detected"}, (codes, document)
    if not codes:
        assert result.outcome == "approved"


_blocks = st.recursive(
    st.sampled_from([("task", "approval"), ("task", "handle"), ("task", "cc"), ("task", "delay")]),
    lambda inner: st.one_of(
        st.tuples(st.just("seq"), inner, inner),
        st.tuples(st.just("xor"), st.lists(inner, min_size=2, max_size=3), st.booleans()),
        st.tuples(st.just("par"), st.lists(inner, min_size=2, max_size=3), st.booleans()),
        st.tuples(st.just("loop"), inner),
    ),
    max_leaves=8,
)


class _Builder:
    """Turns a block tree into a structured (series-parallel, loops with exits) flow document."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = [{"id": "start", "type": "start"}, {"id": "end", "type": "end"}]
        self.edges: list[dict[str, Any]] = []

    def node(self, type_: str, config: dict[str, Any] | None = None) -> str:
        node_id = f"n{len(self.nodes)}"
        self.nodes.append({"id": node_id, "type": type_, "name": {"zh": type_}, "config": config or {}})
        return node_id

    def edge(self, source: str, target: str, **extra: Any) -> None:
        if any(n["id"] == source and n["type"] == "exclusive_gateway" for n in self.nodes) and not extra:
            extra = {"is_default": True}  # leaving a loop's gateway: the default way out
        self.edges.append({"id": f"e{len(self.edges)}", "source": source, "target": target, **extra})

    def build(self, block: Any) -> tuple[str, str]:
        kind = block[0]
        if kind == "task":
            return (node_id := self.node(block[1], _MIDDLE[block[1]])), node_id
        if kind == "seq":
            a_in, a_out = self.build(block[1])
            b_in, b_out = self.build(block[2])
            self.edge(a_out, b_in)
            return a_in, b_out
        if kind == "xor":
            gateway, merge = self.node("exclusive_gateway"), self.node("cc", _MIDDLE["cc"])
            exhaustive = block[2] and len(block[1]) == 2
            conditions = (
                [{">": [{"var": "form.amount"}, 5000]}, {"<=": [{"var": "form.amount"}, 5000]}]
                if exhaustive
                else [{"<": [{"var": "form.amount"}, 100 * (i + 1)]} for i in range(3)]
            )
            for index, branch in enumerate(block[1]):
                b_in, b_out = self.build(branch)
                if index == len(block[1]) - 1 and not exhaustive:
                    self.edge(gateway, b_in, is_default=True)
                else:
                    self.edge(gateway, b_in, condition=conditions[index], priority=index)
                self.edge(b_out, merge)
            return gateway, merge
        if kind == "par":
            count = len(block[1])
            split = self.node("parallel_split")
            join = self.node(
                "parallel_join", {"join": "first_n", "n": count - 1} if block[2] else {"join": "all"}
            )
            for branch in block[1]:
                b_in, b_out = self.build(branch)
                self.edge(split, b_in)
                self.edge(b_out, join)
            return split, join
        # A loop needs a step where the data can change (the verifier insists), so start with an approval.
        body_in, body_out = self.build(("seq", ("task", "approval"), block[1]))
        gateway = self.node("exclusive_gateway")
        self.edge(body_out, gateway)
        self.edge(gateway, body_in, condition={"<": [{"var": "form.amount"}, 100]}, priority=1)
        return body_in, gateway

    def document(self, block: Any) -> dict[str, Any]:
        b_in, b_out = self.build(block)
        self.edge("start", b_in)
        self.edge(b_out, "end")
        return {"schema_version": 1, "nodes": self.nodes, "edges": self.edges, "layout": {}}


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(_blocks, st.integers(0, 10000), st.booleans())
def test_structured_flows_verify_and_run_to_an_end(block: Any, amount: int, urgent: bool) -> None:
    document = _Builder().document(block)
    org = InMemoryOrg.from_dict(load_fixture("org_demo"))
    errors = [i for i in verify(document, PURCHASE_FIELDS, org=org) if i.severity == "error"]
    assert errors == [], [i.formatted() for i in errors]
    result = simulate(
        document,
        PURCHASE_FIELDS,
        data={"amount": amount},
        initiator_id="u_li",
        org=org,
        urgent=urgent,
        now=NOW,
    )
    codes = {i.code for i in result.blocking}
    if amount < 100 and "loop" in repr(block):
        assert codes <= {"sim_loop_detected"}  # same data, same route: the simulator stops the loop
    else:
        assert codes == set(), [i.formatted() for i in result.blocking]
        assert result.outcome == "approved"
