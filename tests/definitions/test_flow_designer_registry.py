"""STYLE.md 20: the flow designer mirrors the server's registries under the same type keys
(node types, approval modes, assignee rules and timer kinds)."""

from __future__ import annotations

import re
from pathlib import Path

from runtime.flows import approval_mode_registry, assignee_rule_registry, node_type_registry
from runtime.flows.timers import TIMER_KINDS

REGISTRY = Path(__file__).resolve().parents[2] / "designer_ui" / "src" / "flow-designer" / "nodes" / "registry.ts"
SCHEMA = Path(__file__).resolve().parents[2] / "designer_ui" / "src" / "schema" / "flow.ts"


def _block(source: str, start: str) -> str:
    return source.split(start, 1)[1].split("\n};", 1)[0]


def test_every_server_node_type_has_a_canvas_entry():
    source = REGISTRY.read_text(encoding="utf-8")
    ui = set(re.findall(r"^  ([a-z_]+): \{", _block(source, "export const NODE_TYPES"), re.M))
    assert ui == {node_type.type for node_type in node_type_registry}
    order = re.findall(r'"([a-z_]+)"', source.split("export const NODE_TYPE_ORDER", 1)[1].split("];", 1)[0])
    assert sorted(order) == sorted(ui)


def test_approval_modes_and_assignee_rules_match():
    source = REGISTRY.read_text(encoding="utf-8")
    modes = set(re.findall(r"^  ([a-z_]+): \{", _block(source, "export const APPROVAL_MODES"), re.M))
    assert modes == {mode.type for mode in approval_mode_registry}
    rules = set(re.findall(r"^  ([a-z_]+): \{", _block(source, "export const ASSIGNEE_RULES"), re.M))
    assert rules == {rule.type for rule in assignee_rule_registry}
    schema = SCHEMA.read_text(encoding="utf-8")
    assert set(re.findall(r'\{ rule: "([a-z_]+)"', schema)) == rules
    assert set(re.findall(r'kind: "([a-z_]+)"', schema)) == set(TIMER_KINDS)
