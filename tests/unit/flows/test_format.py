"""The flow document format: load, dump, migrations, and the registries behind it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from runtime.flows import (
    CURRENT_SCHEMA_VERSION,
    FlowInvalid,
    FlowSchemaVersionUnsupported,
    FlowSpec,
    approval_mode_registry,
    assignee_rule_registry,
    dump_flow,
    load_flow,
    migrate,
    node_type_registry,
)
from runtime.flows import loader as loader_module
from tests.unit.flows.conftest import load_fixture

FIXTURE_NAMES = ("purchase", "leave", "purchase_director")


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_round_trips(name: str) -> None:
    document = load_fixture(name)
    spec = load_flow(document)
    dumped = dump_flow(spec)
    assert load_flow(dumped) == spec
    assert dump_flow(load_flow(dumped)) == dumped
    assert json.loads(json.dumps(dumped)) == dumped  # plain JSON


def test_dump_is_canonical_with_every_key(purchase: dict[str, Any]) -> None:
    dumped = dump_flow(load_flow(purchase))
    assert dumped["schema_version"] == CURRENT_SCHEMA_VERSION
    assert set(dumped) == {"schema_version", "nodes", "edges", "layout"}
    assert all(set(n) == {"id", "type", "name", "config"} for n in dumped["nodes"])
    edge = next(e for e in dumped["edges"] if e["id"] == "e1")
    assert edge == {
        "id": "e1",
        "source": "start",
        "target": "head",
        "condition": None,
        "is_default": False,
        "priority": None,
    }
    gateway = next(n for n in dumped["nodes"] if n["id"] == "gw")
    assert gateway["config"] == {}


def test_design_md_example_loads() -> None:
    document = load_fixture("purchase")
    for node in document["nodes"]:  # the DESIGN.md sketch leaves names and configs out
        if node["id"] in ("start", "gw", "end"):
            node.pop("name")
            node.pop("config", None)
    spec = load_flow(document)
    assert spec.node("gw").name == {}
    assert spec.node("gw").label == "gw"


def test_spec_is_frozen_and_does_not_share_input(purchase: dict[str, Any]) -> None:
    spec = load_flow(purchase)
    purchase["nodes"][1]["config"]["mode"] = "all"
    assert spec.node("head").config["mode"] == "single"
    with pytest.raises(AttributeError):
        spec.node("head").type = "cc"  # type: ignore[misc]


def test_outgoing_order_is_priority_then_drawing_order_then_default() -> None:
    document = load_fixture("purchase")
    document["edges"][3]["priority"] = 5  # e4
    document["edges"].append(
        {
            "id": "e7",
            "source": "gw",
            "target": "gm",
            "priority": 2,
            "condition": {">": [{"var": "form.amount"}, 9000]},
        }
    )
    document["edges"].append(
        {"id": "e8", "source": "gw", "target": "gm", "condition": {">": [{"var": "form.amount"}, 1]}}
    )
    spec = load_flow(document)
    assert [e.id for e in spec.outgoing("gw")] == ["e7", "e4", "e8", "e5"]


def test_load_rejects_invalid_documents_with_all_errors() -> None:
    document = load_fixture("purchase")
    document["nodes"][1]["config"]["mode"] = "majority"
    document["edges"][0]["target"] = "nowhere"
    with pytest.raises(FlowInvalid) as info:
        load_flow(document)
    codes = {d["code"] for d in info.value.details}
    assert codes == {"approval_mode_unknown", "edge_target_unknown"}
    assert info.value.code == "flow_invalid"
    assert info.value.params["count"] == 2


def test_load_rejects_invalid_rule() -> None:
    document = load_fixture("purchase")
    document["edges"][3]["condition"] = {"no_such_operator": [1]}
    with pytest.raises(FlowInvalid) as info:
        load_flow(document)
    assert [d["code"] for d in info.value.details] == ["rule_invalid"]


def test_newer_schema_version_is_refused() -> None:
    document = load_fixture("purchase")
    document["schema_version"] = CURRENT_SCHEMA_VERSION + 1
    with pytest.raises(FlowSchemaVersionUnsupported):
        migrate(document)
    with pytest.raises(FlowInvalid):
        load_flow(document)


def test_migrations_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the current format is 2 and version 1 named the default flag "default".
    def v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
        for edge in doc["edges"]:
            if "default" in edge:
                edge["is_default"] = edge.pop("default")
        return doc

    monkeypatch.setattr(loader_module, "CURRENT_SCHEMA_VERSION", 2)
    monkeypatch.setitem(loader_module.MIGRATIONS, 1, v1_to_v2)
    document = load_fixture("purchase")
    document["edges"][4]["default"] = document["edges"][4].pop("is_default")
    migrated = migrate(document)
    assert migrated["schema_version"] == 2
    assert migrated["edges"][4]["is_default"] is True
    assert "is_default" not in document["edges"][4]  # the stored document is not touched


def test_registries_hold_the_vocabulary_of_design_md() -> None:
    assert node_type_registry.types() == [
        "start",
        "approval",
        "handle",
        "cc",
        "exclusive_gateway",
        "parallel_split",
        "parallel_join",
        "service",
        "delay",
        "subprocess",
        "end",
    ]
    assert approval_mode_registry.types() == ["single", "any", "all", "sequential", "percentage"]
    assert set(assignee_rule_registry.types()) == {
        "user",
        "role",
        "position",
        "dept_head",
        "manager_chain",
        "form_field",
        "initiator_picks",
        "initiator",
        "previous_approver_manager",
        "dynamic",
    }


def test_every_config_schema_is_a_valid_json_schema() -> None:
    for node_type in node_type_registry:
        Draft202012Validator.check_schema(node_type.config_schema)
    for rule in assignee_rule_registry:
        Draft202012Validator.check_schema(rule.schema)


@pytest.mark.parametrize(
    ("mode", "approved", "rejected", "total", "threshold", "expected"),
    [
        ("single", 1, 0, 1, None, "approved"),
        ("any", 1, 0, 3, None, "approved"),
        ("any", 0, 1, 3, None, "rejected"),
        ("all", 2, 0, 3, None, None),
        ("all", 3, 0, 3, None, "approved"),
        ("all", 2, 1, 3, None, "rejected"),
        ("sequential", 3, 0, 3, None, "approved"),
        ("percentage", 2, 0, 3, 60, "approved"),
        ("percentage", 1, 0, 3, 60, None),
        ("percentage", 1, 2, 3, 60, "rejected"),
        ("percentage", 1, 1, 4, 50, None),
    ],
)
def test_approval_mode_outcomes(
    mode: str, approved: int, rejected: int, total: int, threshold: float | None, expected: str | None
) -> None:
    assert approval_mode_registry.get(mode).outcome(approved, rejected, total, threshold) == expected


_ids = st.text(alphabet="abcdefghij_0123456789", min_size=1, max_size=6)
_names = st.fixed_dictionaries({"zh": st.text(min_size=0, max_size=5), "en": st.text(min_size=0, max_size=5)})


@st.composite
def linear_flows(draw: st.DrawFn) -> dict[str, Any]:
    """A start, a few approvals or ccs with random names, an end, and random layout."""
    count = draw(st.integers(min_value=0, max_value=5))
    ids = draw(
        st.lists(_ids, min_size=count, max_size=count, unique=True).filter(
            lambda xs: not {"s", "z"} & set(xs)
        )
    )
    nodes: list[dict[str, Any]] = [{"id": "s", "type": "start"}]
    for node_id in ids:
        kind = draw(st.sampled_from(["approval", "cc"]))
        key = "assignees" if kind == "approval" else "recipients"
        nodes.append(
            {
                "id": node_id,
                "type": kind,
                "name": draw(_names),
                "config": {key: [{"rule": "role", "role": draw(_ids)}]},
            }
        )
    nodes.append(
        {"id": "z", "type": "end", "config": {"outcome": draw(st.sampled_from(["approved", "rejected"]))}}
    )
    chain = [n["id"] for n in nodes]
    edges = [
        {"id": f"e{i}", "source": a, "target": b, "priority": draw(st.none() | st.integers(0, 9))}
        for i, (a, b) in enumerate(zip(chain, chain[1:], strict=False))
    ]
    layout = {
        n: {"x": draw(st.integers(-500, 500)), "y": draw(st.floats(-1e3, 1e3))}
        for n in draw(st.lists(st.sampled_from(chain), unique=True))
    }
    return {"schema_version": 1, "nodes": nodes, "edges": edges, "layout": layout}


@settings(max_examples=60, deadline=None)
@given(linear_flows())
def test_round_trip_property(document: dict[str, Any]) -> None:
    spec = load_flow(document)
    assert isinstance(spec, FlowSpec)
    dumped = dump_flow(spec)
    assert load_flow(dumped) == spec
    assert dump_flow(load_flow(dumped)) == dumped


def test_flows_import_nothing_from_django() -> None:
    import subprocess
    import sys

    code = "import sys, runtime.flows; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
