"""BPMN 2.0 export: valid against the official XSD, readable by SpiffWorkflow's parser, diagram from the layout."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.specs.defaults import (
    CallActivity,
    EndEvent,
    ExclusiveGateway,
    IntermediateCatchEvent,
    ParallelGateway,
    SendTask,
    ServiceTask,
    StartEvent,
    UserTask,
)

from runtime.flows import FlowInvalid, load_flow
from runtime.flows.bpmn import JSONLOGIC, export_bpmn

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "templates_library"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "qiaoban": "https://qiaoban.dev/bpmn/extensions",
}
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@pytest.fixture(scope="module")
def validator() -> BpmnValidator:
    """The BPMN 2.0 XSD (with DI, DC, DI imports) as shipped by SpiffWorkflow; compiled once."""
    return BpmnValidator()


def template(name: str) -> dict[str, Any]:
    return json.loads((TEMPLATES / name / "flow.json").read_text(encoding="utf-8"))


def parse(xml: bytes, validator: BpmnValidator, process_id: str) -> Any:
    """XSD-validate and parse with SpiffWorkflow; return its process spec."""
    parser = BpmnParser(validator=validator)
    parser.add_bpmn_str(xml)
    return parser.get_spec(process_id)


def tree(xml: bytes) -> Any:
    return etree.fromstring(xml)


def by_id(root: Any, element_id: str) -> Any:
    found = root.xpath(f"//*[@id='{element_id}']")
    assert len(found) == 1, element_id
    return found[0]


def bounds(root: Any, element_id: str) -> tuple[float, float, float, float]:
    (b,) = root.xpath(f"//bpmndi:BPMNShape[@bpmnElement='{element_id}']/dc:Bounds", namespaces=NS)
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))


def check_diagram(root: Any) -> None:
    """Every flow node has one shape with bounds; every sequence flow one edge with >= 2 waypoints."""
    process = root.find("bpmn:process", NS)
    nodes = [e.get("id") for e in process if e.tag != f"{{{NS['bpmn']}}}sequenceFlow" and e.get("id")]
    flows = [e.get("id") for e in process.findall("bpmn:sequenceFlow", NS)]
    shapes = root.xpath("//bpmndi:BPMNShape", namespaces=NS)
    assert sorted(s.get("bpmnElement") for s in shapes) == sorted(nodes)
    for shape in shapes:
        (b,) = shape.findall("dc:Bounds", NS)
        assert float(b.get("width")) > 0 and float(b.get("height")) > 0
    edges = root.xpath("//bpmndi:BPMNEdge", namespaces=NS)
    assert sorted(e.get("bpmnElement") for e in edges) == sorted(flows)
    for edge in edges:
        assert len(edge.findall("di:waypoint", NS)) >= 2
    (plane,) = root.xpath("//bpmndi:BPMNPlane", namespaces=NS)
    assert plane.get("bpmnElement") == process.get("id")


def every_type_flow() -> dict[str, Any]:
    """A node of every type: parallel split/join, service, each kind of delay, subprocess, cc, handle, rejected end."""
    def node(id_: str, type_: str, zh: str, en: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"id": id_, "type": type_, "name": {"zh": zh, "en": en}, "config": config or {}}

    people = {"assignees": [{"rule": "role", "role": "finance"}]}
    return {
        "schema_version": 1,
        "nodes": [
            node("start", "start", "发起", "Submit", {"withdraw": "always"}),
            node("head", "approval", "部门负责人", "Department head", {
                "mode": "percentage", "threshold": 60, "assignees": [{"rule": "dept_head", "levels": 1}],
                "timers": [{"kind": "remind", "after_hours": 24, "repeat_hours": 24, "max": 3},
                           {"kind": "escalate", "after_working_days": 3, "to": "manager"}],
                "skippable_when_urgent": True}),
            node("split", "parallel_split", "并行", "Split"),
            node("svc", "service", "推送 ERP", "Push to ERP", {"connector": "erp", "operation": "create_order",
                                                                 "input": {"amount": {"var": "form.amount"}}}),
            node("wait_h", "delay", "等 24 小时", "Wait a day", {"after_hours": 24}),
            node("clerk", "handle", "经办", "Clerk", people),
            node("wait_d", "delay", "等 2 个工作日", "Wait 2 working days", {"after_working_days": 2}),
            node("copy", "cc", "抄送财务", "Copy finance", {"recipients": [{"rule": "role", "role": "finance"}]}),
            node("wait_u", "delay", "等到需求日期", "Until needed", {"until": "need_by"}),
            node("join", "parallel_join", "汇聚", "Join", {"join": "first_n", "n": 2}),
            node("gw", "exclusive_gateway", "金额判断", "Amount check"),
            node("contract", "subprocess", "合同审批", "Contract approval", {"app": "contract", "wait": True}),
            node("ok", "end", "通过", "Approved"),
            node("no", "end", "驳回", "Rejected", {"outcome": "rejected"}),
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "head"},
            {"id": "e2", "source": "head", "target": "split"},
            {"id": "b1", "source": "split", "target": "svc"},
            {"id": "b1b", "source": "svc", "target": "wait_h"},
            {"id": "b1c", "source": "wait_h", "target": "join"},
            {"id": "b2", "source": "split", "target": "clerk"},
            {"id": "b2b", "source": "clerk", "target": "wait_d"},
            {"id": "b2c", "source": "wait_d", "target": "join"},
            {"id": "b3", "source": "split", "target": "copy"},
            {"id": "b3b", "source": "copy", "target": "wait_u"},
            {"id": "b3c", "source": "wait_u", "target": "join"},
            {"id": "e3", "source": "join", "target": "gw"},
            # Drawn in the "wrong" order: the export orders by priority, the default last.
            {"id": "e_default", "source": "gw", "target": "no", "is_default": True},
            {"id": "e_small", "source": "gw", "target": "ok", "priority": 2,
             "condition": {"<=": [{"var": "form.amount"}, 5000]}},
            {"id": "e_big", "source": "gw", "target": "contract", "priority": 1,
             "condition": {">": [{"var": "form.amount"}, 5000]}},
            {"id": "e4", "source": "contract", "target": "ok"},
        ],
        "layout": {},
    }


# --- the templates --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["purchase", "leave", "travel"])
def test_templates_validate_against_the_xsd_and_parse(name, validator):
    document = template(name)
    xml = export_bpmn(document, process_id=f"Process_{name}", name=name)
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    spec = parse(xml, validator, f"Process_{name}")
    flow = load_flow(document)
    expected = {f"Node_{n.id}": n.label for n in flow.nodes}
    assert {k: v.bpmn_name for k, v in spec.task_specs.items() if k.startswith("Node_")} == expected
    for n in flow.nodes:
        kind = {"start": StartEvent, "end": EndEvent, "approval": UserTask, "cc": SendTask,
                "exclusive_gateway": ExclusiveGateway}[n.type]
        assert isinstance(spec.task_specs[f"Node_{n.id}"], kind), n.id
    root = tree(xml)
    check_diagram(root)
    # Conditions carry the JSON-logic of the edge, as JSON text, in the JSON-logic language.
    for edge in flow.edges:
        flow_el = by_id(root, f"Flow_{edge.id}")
        assert flow_el.get("sourceRef") == f"Node_{edge.source}" and flow_el.get("targetRef") == f"Node_{edge.target}"
        expression = flow_el.find("bpmn:conditionExpression", NS)
        if edge.condition is None:
            assert expression is None
        else:
            assert json.loads(expression.text) == edge.condition
            assert expression.get("language") == JSONLOGIC
            assert expression.get(f"{{{NS['xsi']}}}type") == "bpmn:tFormalExpression"


def test_purchase_gateway_default_and_conditions(validator):
    xml = export_bpmn(template("purchase"), process_id="Process_purchase", name="采购申请")
    root = tree(xml)
    gateway = by_id(root, "Node_gw")
    assert gateway.tag == f"{{{NS['bpmn']}}}exclusiveGateway"
    assert gateway.get("default") == "Flow_e5"
    assert by_id(root, "Flow_e5").find("bpmn:conditionExpression", NS) is None
    assert [o.text for o in gateway.findall("bpmn:outgoing", NS)] == ["Flow_e4", "Flow_e5"]
    spec = parse(xml, validator, "Process_purchase")
    gw = spec.task_specs["Node_gw"]
    assert gw.default_task_spec == "Node_end"
    conditional = [(c.args[0], target) for c, target in gw.cond_task_specs if c is not None]
    assert conditional == [('{">":[{"var":"form.amount"},5000]}', "Node_gm")]
    head = spec.task_specs["Node_head"]
    assert "单人审批" in head.documentation and "部门负责人" in head.documentation and "24" in head.documentation


def test_layout_positions_come_from_the_document():
    document = template("purchase")
    root = tree(export_bpmn(document, process_id="P", name="采购"))
    layout = document["layout"]
    # Task cards are 220×84 at the layout position; gateways (50) are centred in 64×64 cards,
    # start and end events (36) in 140×44 pills.
    assert bounds(root, "Node_head") == (layout["head"]["x"], layout["head"]["y"], 220, 84)
    assert bounds(root, "Node_gm") == (layout["gm"]["x"], layout["gm"]["y"], 220, 84)
    assert bounds(root, "Node_gw") == (layout["gw"]["x"] + 7, layout["gw"]["y"] + 7, 50, 50)
    assert bounds(root, "Node_end") == (layout["end"]["x"] + 52, layout["end"]["y"] + 4, 36, 36)
    assert bounds(root, "Node_start") == (layout["start"]["x"] + 52, layout["start"]["y"] + 4, 36, 36)
    # Edges run from the bottom centre of the source to the top centre of the target.
    points = [(float(p.get("x")), float(p.get("y")))
              for p in root.xpath("//bpmndi:BPMNEdge[@bpmnElement='Flow_e2']/di:waypoint", namespaces=NS)]
    head, finance, gw, gm = (layout[k] for k in ("head", "finance", "gw", "gm"))
    assert points == [(head["x"] + 110, head["y"] + 84), (finance["x"] + 110, finance["y"])]
    bent = [(float(p.get("x")), float(p.get("y")))
            for p in root.xpath("//bpmndi:BPMNEdge[@bpmnElement='Flow_e4']/di:waypoint", namespaces=NS)]
    assert bent[0] == (gw["x"] + 32, gw["y"] + 57) and bent[-1] == (gm["x"] + 110, gm["y"]) and len(bent) == 4


def test_language_picks_the_names_and_the_documentation():
    root = tree(export_bpmn(template("purchase"), process_id="P", name="Purchase", language="en"))
    assert by_id(root, "Node_head").get("name") == "Department head"
    text = by_id(root, "Node_head").find("bpmn:documentation", NS).text
    assert text.startswith("Approval. Mode: single approver") and "working day" in text
    zh = tree(export_bpmn(template("purchase"), process_id="P", name="采购"))
    assert by_id(zh, "Node_head").get("name") == "部门负责人"


# --- every node type ------------------------------------------------------------------------

def test_every_node_type_validates_and_parses(validator):
    xml = export_bpmn(every_type_flow(), process_id="Process_all", name="全部节点")
    spec = parse(xml, validator, "Process_all")
    kinds = {
        "start": StartEvent, "head": UserTask, "split": ParallelGateway, "svc": ServiceTask,
        "wait_h": IntermediateCatchEvent, "clerk": UserTask, "wait_d": IntermediateCatchEvent, "copy": SendTask,
        "wait_u": IntermediateCatchEvent, "join": ParallelGateway, "gw": ExclusiveGateway,
        "contract": CallActivity, "ok": EndEvent, "no": EndEvent,
    }
    for node_id, kind in kinds.items():
        assert isinstance(spec.task_specs[f"Node_{node_id}"], kind), node_id
    assert spec.task_specs["Node_contract"].spec == "contract"
    assert spec.task_specs["Node_wait_h"].event_definition.expression == "PT24H"
    assert spec.task_specs["Node_wait_d"].event_definition.expression == "P2D"
    assert json.loads(spec.task_specs["Node_wait_u"].event_definition.expression) == {"var": "form.need_by"}
    gw = spec.task_specs["Node_gw"]
    assert gw.default_task_spec == "Node_no"

    root = tree(xml)
    check_diagram(root)
    assert by_id(root, "Node_split").get("gatewayDirection") == "Diverging"
    assert by_id(root, "Node_join").get("gatewayDirection") == "Converging"
    assert by_id(root, "Node_gw").get("default") == "Flow_e_default"
    # Priority order: e_big (1), e_small (2), then the default.
    assert [o.text for o in by_id(root, "Node_gw").findall("bpmn:outgoing", NS)] == [
        "Flow_e_big", "Flow_e_small", "Flow_e_default"]
    ids = [f.get("id") for f in root.findall("bpmn:process/bpmn:sequenceFlow", NS)]
    assert ids.index("Flow_e_big") < ids.index("Flow_e_small") < ids.index("Flow_e_default")
    assert by_id(root, "Flow_e_big").find("bpmn:extensionElements/qiaoban:edge", NS).get("priority") == "1"
    # The timer definitions, and documentation saying what BPMN cannot.
    wait_d = by_id(root, "Node_wait_d")
    assert wait_d.find("bpmn:timerEventDefinition/bpmn:timeDuration", NS).text == "P2D"
    assert "工作日" in wait_d.find("bpmn:documentation", NS).text
    until = by_id(root, "Node_wait_u").find("bpmn:timerEventDefinition/bpmn:timeDate", NS)
    assert until.get("language") == JSONLOGIC
    assert "驳回" in by_id(root, "Node_no").find("bpmn:documentation", NS).text
    assert "按比例通过" in by_id(root, "Node_head").find("bpmn:documentation", NS).text
    assert "2" in by_id(root, "Node_join").find("bpmn:documentation", NS).text
    assert "erp" in by_id(root, "Node_svc").find("bpmn:documentation", NS).text
    # The raw config travels in the qiaoban extension for tools that want it.
    raw = by_id(root, "Node_head").find("bpmn:extensionElements/qiaoban:node", NS)
    assert raw.get("nodeId") == "head" and raw.get("type") == "approval"
    assert json.loads(raw.find("qiaoban:config", NS).text) == every_type_flow()["nodes"][1]["config"]
    # Element order inside a node is the XSD's: documentation, extensionElements, incoming, outgoing, definitions.
    local = [etree.QName(child).localname for child in by_id(root, "Node_wait_h")]
    assert local == ["documentation", "extensionElements", "incoming", "outgoing", "timerEventDefinition"]


def test_nodes_without_layout_get_layered_positions():
    root = tree(export_bpmn(every_type_flow(), process_id="P", name="x"))

    def centre(node_id: str) -> tuple[float, float]:
        x, y, w, h = bounds(root, f"Node_{node_id}")
        return x + w / 2, y + h / 2

    # Longest path from the start, top to bottom, 140 px per layer.
    path = ["start", "head", "split", "svc", "wait_h", "join", "gw", "contract", "ok"]
    ys = [centre(n)[1] for n in path]
    assert ys == sorted(ys) and all(b - a == 140 for a, b in zip(ys, ys[1:], strict=False))
    # The three branches sit side by side on one layer.
    branch = [centre(n) for n in ("svc", "clerk", "copy")]
    assert len({y for _, y in branch}) == 1 and len({x for x, _ in branch}) == 3
    assert min(bounds(root, f"Node_{n}")[0] for n in ("svc", "clerk", "copy")) == 0
    # No two shapes overlap.
    boxes = [bounds(root, e.get("bpmnElement")) for e in root.xpath("//bpmndi:BPMNShape", namespaces=NS)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


def test_partial_layout_keeps_the_positions_given(validator):
    document = every_type_flow()
    document["layout"] = {"start": {"x": 500, "y": 0}, "head": {"x": 500, "y": 120}}
    xml = export_bpmn(document, process_id="P", name="x")
    parse(xml, validator, "P")
    root = tree(xml)
    assert bounds(root, "Node_head") == (500, 120, 220, 84)
    assert bounds(root, "Node_split")[0] > 720  # computed ones go to the right of the laid-out ones


def test_a_return_loop_exports_with_waypoints_going_back_up(validator):
    document = {
        "schema_version": 1,
        "nodes": [
            {"id": "start", "type": "start"},
            {"id": "review", "type": "approval", "config": {"assignees": [{"rule": "role", "role": "hr"}]}},
            {"id": "gw", "type": "exclusive_gateway"},
            {"id": "end", "type": "end"},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "review"},
            {"id": "e2", "source": "review", "target": "gw"},
            {"id": "again", "source": "gw", "target": "review", "condition": {"var": "form.again"}},
            {"id": "done", "source": "gw", "target": "end", "is_default": True},
        ],
    }
    xml = export_bpmn(document, process_id="P", name="loop")
    parse(xml, validator, "P")
    root = tree(xml)
    check_diagram(root)
    points = root.xpath("//bpmndi:BPMNEdge[@bpmnElement='Flow_again']/di:waypoint", namespaces=NS)
    assert len(points) == 6 and float(points[-1].get("y")) < float(points[0].get("y"))
    assert by_id(root, "Node_review").get("name") == "review"  # no name: the id


# --- ids and escaping -----------------------------------------------------------------------

def test_weird_ids_become_unique_ncnames(validator):
    document = {
        "schema_version": 1,
        "nodes": [
            {"id": "开始", "type": "start"},
            {"id": "1st approval", "type": "approval", "config": {"assignees": [{"rule": "role", "role": "hr"}]}},
            {"id": "a b", "type": "approval", "config": {"assignees": [{"rule": "role", "role": "hr"}]}},
            {"id": "a_b", "type": "approval", "config": {"assignees": [{"rule": "role", "role": "hr"}]}},
            {"id": "x:y/z", "type": "end"},
        ],
        "edges": [
            {"id": "边 1", "source": "开始", "target": "1st approval"},
            {"id": "2", "source": "1st approval", "target": "a b"},
            {"id": "3 ", "source": "a b", "target": "a_b"},
            {"id": "3_", "source": "a_b", "target": "x:y/z"},
        ],
        "layout": {"a b": {"x": 10, "y": 20}},
    }
    xml = export_bpmn(document, process_id="流程 1", name="奇怪的 id")
    root = tree(xml)
    process_id = root.find("bpmn:process", NS).get("id")
    spec = parse(xml, validator, process_id)
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert all(NCNAME.fullmatch(i) for i in ids), ids
    originals = {e.get("nodeId", e.get("edgeId")): e.getparent().getparent().get("id")
                 for e in root.xpath("//qiaoban:node | //qiaoban:edge", namespaces=NS)}
    assert set(originals) == {"开始", "1st approval", "a b", "a_b", "x:y/z", "边 1", "2", "3 ", "3_"}
    assert originals["a b"] != originals["a_b"] and originals["3 "] != originals["3_"]
    assert bounds(root, originals["a b"]) == (10, 20, 220, 84)
    assert isinstance(spec.task_specs[originals["1st approval"]], UserTask)
    # References follow the renamed ids.
    flow = by_id(root, originals["2"])
    assert (flow.get("sourceRef"), flow.get("targetRef")) == (originals["1st approval"], originals["a b"])


def test_labels_and_conditions_are_escaped(validator):
    tricky = 'A <&"> \'B\' ]]> 审批'
    document = copy.deepcopy(template("purchase"))
    document["nodes"][1]["name"] = {"zh": tricky}
    document["nodes"][1]["config"]["assignees"] = [{"rule": "role", "role": tricky}]
    condition = {"==": [{"var": "form.reason"}, tricky]}
    document["edges"][3]["condition"] = condition
    xml = export_bpmn(document, process_id="P", name=tricky)
    spec = parse(xml, validator, "P")
    root = tree(xml)
    assert by_id(root, "Node_head").get("name") == tricky
    assert root.find("bpmn:process", NS).get("name") == tricky
    assert spec.task_specs["Node_head"].bpmn_name == tricky
    assert tricky in by_id(root, "Node_head").find("bpmn:documentation", NS).text
    assert json.loads(by_id(root, "Flow_e4").find("bpmn:conditionExpression", NS).text) == condition
    assert json.loads(by_id(root, "Node_head").find("bpmn:extensionElements/qiaoban:node/qiaoban:name", NS).text) == {
        "zh": tricky}


def test_an_invalid_document_is_refused():
    with pytest.raises(FlowInvalid):
        export_bpmn({"schema_version": 1, "nodes": [{"id": "x", "type": "no_such_type"}], "edges": []},
                    process_id="P", name="x")
    with pytest.raises(FlowInvalid):
        export_bpmn({"schema_version": 99, "nodes": [], "edges": []}, process_id="P", name="x")


def test_definitions_header():
    root = tree(export_bpmn(template("leave"), process_id="Process_leave", name="请假"))
    assert root.tag == f"{{{NS['bpmn']}}}definitions"
    assert root.get("exporter") == "Qiaoban" and root.get("exporterVersion")
    assert root.get("targetNamespace") == "https://qiaoban.dev/bpmn"
    process = root.find("bpmn:process", NS)
    assert process.get("id") == "Process_leave" and process.get("name") == "请假"
