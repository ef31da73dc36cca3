"""BPMN 2.0 export of a flow (pure Python, standard library only).

The export is for reading a flow in other tools (modellers, documentation, audits): the
graph, names, conditions and timers map onto BPMN elements, and the canvas layout onto
BPMN diagram interchange. What BPMN cannot say (approval modes, assignee rules, field
rights, task timers) is described in ``<documentation>`` and kept verbatim as JSON in
``<extensionElements>`` under the ``qiaoban:`` namespace. There is no import.

Ids: BPMN ids are ``xsd:ID`` values (NCNames) that must be unique in the whole file, so
node and edge ids are prefixed (``Node_``, ``Flow_``), characters outside
``[A-Za-z0-9_.-]`` are replaced by ``_`` and clashes get a numeric suffix; the original
ids travel in the extension elements.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runtime.flows.loader import load_flow
from runtime.flows.spec import CURRENT_SCHEMA_VERSION, EdgeSpec, FlowSpec, NodeSpec

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QIAOBAN_NS = "https://qiaoban.dev/bpmn/extensions"
TARGET_NAMESPACE = "https://qiaoban.dev/bpmn"
JSONLOGIC = "https://jsonlogic.com"
EXPORTER = "Qiaoban"
EXPORTER_VERSION = f"1.0 (flow schema {CURRENT_SCHEMA_VERSION})"

# Tags and attributes are written with fixed prefixes and the root declares them itself
# (ElementTree's own namespace handling would pick prefixes from a process-wide registry;
# QName-valued text such as xsi:type="bpmn:tFormalExpression" needs a prefix known in advance).
NAMESPACES = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "xsi": XSI_NS,
              "qiaoban": QIAOBAN_NS}

# Canvas geometry (designer_ui): a layout position is the top-left corner of a node's
# card (designer_ui/src/flow-designer/lib/layout.ts NODE_SIZE): start and end are 140×44
# pills, gateways 64×64 diamonds, every other node a 220×84 card. BPMN shapes use the
# usual BPMN sizes, centred in the card, so the exported picture matches the canvas.
TASK_CARD = (220.0, 84.0)
ROUND_CARD = (64.0, 64.0)
EVENT_CARD = (140.0, 44.0)
TASK_SIZE = (220.0, 84.0)
GATEWAY_SIZE = (50.0, 50.0)
EVENT_SIZE = (36.0, 36.0)
LAYER_HEIGHT = 140.0  # computed layout: distance between layers, top to bottom
COLUMN_WIDTH = 260.0  # computed layout: distance between siblings of one layer

# node type -> (BPMN element, shape size)
ELEMENTS: dict[str, tuple[str, tuple[float, float]]] = {
    "start": ("startEvent", EVENT_SIZE),
    "end": ("endEvent", EVENT_SIZE),
    "delay": ("intermediateCatchEvent", EVENT_SIZE),
    "approval": ("userTask", TASK_SIZE),
    "handle": ("userTask", TASK_SIZE),
    "cc": ("sendTask", TASK_SIZE),
    "service": ("serviceTask", TASK_SIZE),
    "subprocess": ("callActivity", TASK_SIZE),
    "exclusive_gateway": ("exclusiveGateway", GATEWAY_SIZE),
    "parallel_split": ("parallelGateway", GATEWAY_SIZE),
    "parallel_join": ("parallelGateway", GATEWAY_SIZE),
}
FALLBACK_ELEMENT = ("task", TASK_SIZE)

_NOT_NCNAME = re.compile(r"[^A-Za-z0-9_.-]")


def _q(tag: str, prefix: str = "bpmn") -> str:
    return f"{prefix}:{tag}"


class _Ids:
    """Document-wide unique NCName ids (XML ids must be unique in the whole file)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def new(self, prefix: str, raw: str = "") -> str:
        base = prefix + _NOT_NCNAME.sub("_", raw)
        if not re.match(r"[A-Za-z_]", base):
            base = "_" + base
        candidate, n = base, 2
        while candidate in self._taken:
            candidate, n = f"{base}_{n}", n + 1
        self._taken.add(candidate)
        return candidate


# --- words of the documentation texts -----------------------------------------------------

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "colon": "：", "stop": "。", "sep": "；",
        "approval": "审批", "handle": "办理", "cc": "抄送",
        "mode": "审批方式", "threshold": "通过比例 %s%%", "assignees": "处理人", "recipients": "抄送给",
        "on_empty": "找不到处理人时", "skippable": "紧急时可跳过", "dedupe": "自动通过",
        "timers": "时限", "fields": "字段权限",
        "hours": "%s 小时后", "working_days": "%s 个工作日后", "every": "每 %s 小时，最多 %s 次",
        "connector": "连接器", "operation": "操作", "on_error": "出错时", "input": "输入", "output": "输出",
        "wait_hours": "等待 %s 小时", "wait_days": "等待 %s 个工作日（按中国法定节假日和调休计算）",
        "wait_until": "等到表单字段 “%s” 的日期",
        "app": "启动应用", "waits": "等待子流程结束", "no_wait": "不等待子流程结束",
        "outcome_approved": "结果：通过", "outcome_rejected": "结果：驳回",
        "join_all": "所有分支到达后继续", "join_first_n": "任意 %s 个分支到达后继续，其余分支取消",
        "split": "所有分支同时进行",
        "gateway": "按优先级依次判断条件，第一个成立的分支通过；都不成立时走默认分支",
        "withdraw": "撤回", "start_fields": "发起时字段权限",
        "process": "由巧办导出。审批方式、处理人、时限和字段权限写在各节点的说明和 qiaoban 扩展元素中；"
                   "条件为 JSON-logic。",
    },
    "en": {
        "colon": ": ", "stop": ". ", "sep": "; ",
        "approval": "Approval", "handle": "Handle", "cc": "Copy to",
        "mode": "Mode", "threshold": "threshold %s%%", "assignees": "Assignees", "recipients": "Recipients",
        "on_empty": "When nobody is found", "skippable": "Skipped when urgent", "dedupe": "Auto-approve",
        "timers": "Timers", "fields": "Field rights",
        "hours": "after %s h", "working_days": "after %s working day(s)", "every": "every %s h, at most %s times",
        "connector": "Connector", "operation": "operation", "on_error": "on error", "input": "Input",
        "output": "Output",
        "wait_hours": "Wait %s hour(s)",
        "wait_days": "Wait %s working day(s) (Chinese statutory holidays and adjusted working days)",
        "wait_until": "Wait until the date in form field “%s”",
        "app": "Starts app", "waits": "waits for the child request to end",
        "no_wait": "does not wait for the child request",
        "outcome_approved": "Outcome: approved", "outcome_rejected": "Outcome: rejected",
        "join_all": "Continues when every branch has arrived",
        "join_first_n": "Continues when %s branch(es) have arrived; the others are cancelled",
        "split": "Every branch runs",
        "gateway": "Conditions are tried in priority order; the first that holds wins, else the default flow",
        "withdraw": "Withdraw", "start_fields": "Field rights at submission",
        "process": "Exported from Qiaoban. Approval modes, assignees, timers and field rights are described "
                   "in each node's documentation and kept in qiaoban extension elements; conditions are "
                   "JSON-logic.",
    },
}
_MODES = {
    "zh": {"single": "单人审批", "any": "或签", "all": "会签", "sequential": "依次审批", "percentage": "按比例通过"},
    "en": {"single": "single approver", "any": "any one approves", "all": "everyone approves",
           "sequential": "one after another", "percentage": "percentage approves"},
}
_RULES = {
    "zh": {"user": "指定成员", "role": "角色", "position": "岗位", "dept_head": "部门负责人",
           "manager_chain": "上级", "form_field": "表单字段", "initiator_picks": "发起人自选",
           "initiator": "发起人本人", "previous_approver_manager": "上一审批人的上级", "dynamic": "按规则选择"},
    "en": {"user": "users", "role": "role", "position": "position", "dept_head": "department head",
           "manager_chain": "manager chain", "form_field": "form field", "initiator_picks": "initiator picks",
           "initiator": "the initiator", "previous_approver_manager": "previous approver's manager",
           "dynamic": "chosen by rule"},
}
_TIMERS = {
    "zh": {"remind": "催办", "escalate": "升级", "auto_transfer": "自动转交", "timeout": "超时"},
    "en": {"remind": "remind", "escalate": "escalate", "auto_transfer": "auto-transfer", "timeout": "timeout"},
}


def _lang(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _label(node: NodeSpec, lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    return node.name.get(lang) or node.name.get(other) or node.id


def _rights(config: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in (config.get("fields") or {}).items())


def _rules_text(rules: Any, lang: str) -> str:
    return _TEXT[lang]["sep"].join(_rule_text(r, lang) for r in rules or [] if isinstance(r, Mapping))


def _rule_text(rule: Mapping[str, Any], lang: str) -> str:
    kind = str(rule.get("rule", "?"))
    params = ", ".join(f"{k}={_json(v) if not isinstance(v, str) else v}" for k, v in rule.items() if k != "rule")
    label = _RULES[lang].get(kind, kind)
    return f"{label} ({params})" if params else label


def _wait_text(timer: Mapping[str, Any], lang: str) -> str:
    t = _TEXT[lang]
    if "after_working_days" in timer:
        return t["working_days"] % _number(timer["after_working_days"])
    return t["hours"] % _number(timer.get("after_hours", "?"))


def _task_lines(node: NodeSpec, lang: str) -> list[str]:
    t, config = _TEXT[lang], node.config
    mode = str(config.get("mode", "single"))
    mode_text = _MODES[lang].get(mode, mode)
    if mode == "percentage" and config.get("threshold") is not None:
        mode_text += ", " + t["threshold"] % _number(config["threshold"])
    lines = [f"{t[node.type]}{t['stop']}{t['mode']}{t['colon']}{mode_text}"]
    assignees = config.get("assignees") or []
    if assignees:
        lines.append(f"{t['assignees']}{t['colon']}{_rules_text(assignees, lang)}")
    if config.get("on_empty"):
        admin = f" ({config['admin']})" if config.get("admin") else ""
        lines.append(f"{t['on_empty']}{t['colon']}{config['on_empty']}{admin}")
    dedupe = [k for k, v in (config.get("dedupe") or {}).items() if v]
    if dedupe:
        lines.append(f"{t['dedupe']}{t['colon']}{', '.join(dedupe)}")
    if config.get("skippable_when_urgent"):
        lines.append(t["skippable"])
    timers = []
    for timer in config.get("timers") or []:
        if not isinstance(timer, Mapping):
            continue
        kind = str(timer.get("kind"))
        text = f"{_TIMERS[lang].get(kind, kind)} {_wait_text(timer, lang)}"
        if timer.get("repeat_hours"):
            text += " (" + t["every"] % (_number(timer["repeat_hours"]), _number(timer.get("max", "?"))) + ")"
        if timer.get("to"):
            text += f" → {timer['to']}"
        if timer.get("action"):
            text += f" → {timer['action']}"
        timers.append(text)
    if timers:
        lines.append(f"{t['timers']}{t['colon']}" + t["sep"].join(timers))
    if config.get("fields"):
        lines.append(f"{t['fields']}{t['colon']}{_rights(config)}")
    return lines


def _describe(node: NodeSpec, lang: str) -> list[str]:
    """Readable lines for the node's ``<documentation>`` (empty: no documentation)."""
    t, config = _TEXT[lang], node.config
    if node.type in ("approval", "handle"):
        return _task_lines(node, lang)
    if node.type == "cc":
        lines = [f"{t['cc']}{t['stop']}{t['recipients']}{t['colon']}{_rules_text(config.get('recipients'), lang)}"]
        if config.get("fields"):
            lines.append(f"{t['fields']}{t['colon']}{_rights(config)}")
        return lines
    if node.type == "start":
        lines = []
        if config.get("withdraw"):
            lines.append(f"{t['withdraw']}{t['colon']}{config['withdraw']}")
        if config.get("fields"):
            lines.append(f"{t['start_fields']}{t['colon']}{_rights(config)}")
        return lines
    if node.type == "end":
        return [t["outcome_rejected"] if config.get("outcome") == "rejected" else t["outcome_approved"]]
    if node.type == "service":
        lines = [f"{t['connector']}{t['colon']}{config.get('connector')}"
                 + (f", {t['operation']}{t['colon']}{config['operation']}" if config.get("operation") else "")
                 + (f", {t['on_error']}{t['colon']}{config['on_error']}" if config.get("on_error") else "")]
        if config.get("input"):
            lines.append(f"{t['input']}{t['colon']}{_json(config['input'])}")
        if config.get("output"):
            lines.append(f"{t['output']}{t['colon']}{_json(config['output'])}")
        return lines
    if node.type == "delay":
        if "after_hours" in config:
            return [t["wait_hours"] % _number(config["after_hours"])]
        if "after_working_days" in config:
            return [t["wait_days"] % _number(config["after_working_days"])]
        return [t["wait_until"] % config.get("until")]
    if node.type == "subprocess":
        wait = t["waits"] if config.get("wait", True) else t["no_wait"]
        lines = [f"{t['app']}{t['colon']}{config.get('app')}, {wait}"]
        if config.get("input"):
            lines.append(f"{t['input']}{t['colon']}{_json(config['input'])}")
        if config.get("output"):
            lines.append(f"{t['output']}{t['colon']}{_json(config['output'])}")
        return lines
    if node.type == "parallel_join":
        if config.get("join") == "first_n":
            return [t["join_first_n"] % _number(config.get("n"))]
        return [t["join_all"]]
    if node.type == "parallel_split":
        return [t["split"]]
    if node.type == "exclusive_gateway":
        return [t["gateway"]]
    return []


# --- geometry ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


def _card(node: NodeSpec) -> tuple[float, float]:
    if node.type in ("start", "end"):
        return EVENT_CARD
    if node.type in ("exclusive_gateway", "parallel_split", "parallel_join"):
        return ROUND_CARD
    return TASK_CARD


def _layers(spec: FlowSpec) -> dict[str, int]:
    """Longest-path layer of every node, ignoring the edges that close a loop."""
    nodes = [n.id for n in spec.nodes if spec.has_node(n.id)]
    nodes = list(dict.fromkeys(nodes))
    back: set[int] = set()
    state: dict[str, int] = {}  # 1 = on the DFS stack, 2 = done
    roots = [n for n in nodes if spec.node(n).type == "start"] + [n for n in nodes if not spec.incoming(n)] + nodes
    for root in roots:
        if root in state:
            continue
        # Iterative DFS (flows can be long; no recursion limit surprises).
        stack: list[tuple[str, list[EdgeSpec]]] = [(root, list(spec.outgoing(root)))]
        state[root] = 1
        while stack:
            current, pending = stack[-1]
            if not pending:
                state[current] = 2
                stack.pop()
                continue
            edge = pending.pop(0)
            seen = state.get(edge.target)
            if seen == 1:
                back.add(id(edge))
            elif seen is None:
                state[edge.target] = 1
                stack.append((edge.target, list(spec.outgoing(edge.target))))
    forward = [e for e in spec.edges if id(e) not in back]
    indegree = {n: 0 for n in nodes}
    for edge in forward:
        indegree[edge.target] += 1
    layer = {n: 0 for n in nodes}
    ready = [n for n in nodes if indegree[n] == 0]
    while ready:
        current = ready.pop(0)
        for edge in forward:
            if edge.source == current:
                layer[edge.target] = max(layer[edge.target], layer[current] + 1)
                indegree[edge.target] -= 1
                if indegree[edge.target] == 0:
                    ready.append(edge.target)
    return layer


def _boxes(spec: FlowSpec) -> dict[str, _Box]:
    """The BPMN shape of every node: from the canvas layout, else from a computed layering."""
    boxes: dict[str, _Box] = {}
    unplaced: list[NodeSpec] = []
    for node in spec.nodes:
        if node.id in boxes:
            continue
        width, height = ELEMENTS.get(node.type, FALLBACK_ELEMENT)[1]
        position = spec.layout.get(node.id)
        if position is None:
            unplaced.append(node)
            continue
        card_w, card_h = _card(node)
        x, y = float(position["x"]), float(position["y"])
        boxes[node.id] = _Box(x + (card_w - width) / 2, y + (card_h - height) / 2, width, height)
    if not unplaced:
        return boxes
    layer = _layers(spec)
    rows: dict[int, list[NodeSpec]] = {}
    for node in unplaced:
        rows.setdefault(layer.get(node.id, 0), []).append(node)
    widest = max(len(row) for row in rows.values())
    computed: dict[str, _Box] = {}
    for number, row in rows.items():
        for slot, node in enumerate(row):
            width, height = ELEMENTS.get(node.type, FALLBACK_ELEMENT)[1]
            cx = (slot + (widest - len(row)) / 2) * COLUMN_WIDTH + TASK_CARD[0] / 2
            cy = number * LAYER_HEIGHT + TASK_CARD[1] / 2
            computed[node.id] = _Box(cx - width / 2, cy - height / 2, width, height)
    # Computed nodes go to the right of the laid-out ones (so nothing overlaps), else start at x = 0.
    left = max((b.right for b in boxes.values()), default=-80.0) + 80
    shift = left - min(b.x for b in computed.values())
    for node_id, box in computed.items():
        boxes[node_id] = _Box(box.x + shift, box.y, box.width, box.height)
    return boxes


def _waypoints(source: _Box, target: _Box) -> list[tuple[float, float]]:
    """Bottom centre of the source to the top centre of the target, with right-angle bends."""
    start, end = (source.cx, source.bottom), (target.cx, target.y)
    if math.isclose(start[0], end[0]) and end[1] >= start[1]:
        return [start, end]
    if end[1] > start[1]:
        middle = (start[1] + end[1]) / 2
        return [start, (start[0], middle), (end[0], middle), end]
    # Going back up (a return loop): out below the source, round the right, in above the target.
    side = max(source.right, target.right) + 40
    below, above = source.bottom + 20, target.y - 20
    return [start, (start[0], below), (side, below), (side, above), (end[0], above), end]


def _coordinate(value: float) -> str:
    return _number(round(value, 2))


# --- the document ------------------------------------------------------------------------------

def _documentation(parent: ET.Element, lines: list[str]) -> None:
    if lines:
        doc = ET.SubElement(parent, _q("documentation"), {"textFormat": "text/plain"})
        doc.text = "\n".join(lines)


def _expression(parent: ET.Element, tag: str, text: str, language: str | None = None) -> ET.Element:
    attrs = {_q("type", "xsi"): "bpmn:tFormalExpression"}
    if language:
        attrs["language"] = language
    element = ET.SubElement(parent, _q(tag), attrs)
    element.text = text
    return element


def _node_element(
    process: ET.Element, node: NodeSpec, node_id: str, spec: FlowSpec, flow_ids: dict[int, str], lang: str
) -> None:
    tag, _ = ELEMENTS.get(node.type, FALLBACK_ELEMENT)
    attrs = {"id": node_id, "name": _label(node, lang)}
    outgoing = spec.outgoing(node.id)
    if node.type == "exclusive_gateway":
        default = next((e for e in outgoing if e.is_default), None)
        if default is not None:
            attrs["default"] = flow_ids[id(default)]
    elif node.type == "parallel_split":
        attrs["gatewayDirection"] = "Diverging"
    elif node.type == "parallel_join":
        attrs["gatewayDirection"] = "Converging"
    elif node.type == "subprocess" and node.config.get("app"):
        attrs["calledElement"] = str(node.config["app"])
    element = ET.SubElement(process, _q(tag), attrs)
    # Order inside a flow node is fixed by the XSD: documentation, extensionElements,
    # incoming, outgoing, then (catch events) the event definitions.
    _documentation(element, _describe(node, lang))
    extensions = ET.SubElement(element, _q("extensionElements"))
    raw = ET.SubElement(extensions, _q("node", "qiaoban"), {"nodeId": node.id, "type": node.type})
    if node.name:
        ET.SubElement(raw, _q("name", "qiaoban")).text = _json(dict(node.name))
    if node.config:
        ET.SubElement(raw, _q("config", "qiaoban")).text = _json(dict(node.config))
    for edge in spec.incoming(node.id):
        ET.SubElement(element, _q("incoming")).text = flow_ids[id(edge)]
    for edge in outgoing:
        ET.SubElement(element, _q("outgoing")).text = flow_ids[id(edge)]
    if node.type == "delay":
        timer = ET.SubElement(element, _q("timerEventDefinition"))
        config = node.config
        if "after_hours" in config:
            _expression(timer, "timeDuration", f"PT{_number(config['after_hours'])}H")
        elif "after_working_days" in config:
            # BPMN has no working-day calendar: calendar days, the documentation says which.
            _expression(timer, "timeDuration", f"P{_number(config['after_working_days'])}D")
        else:
            _expression(timer, "timeDate", _json({"var": f"form.{config.get('until')}"}), JSONLOGIC)


def _edge_element(process: ET.Element, edge: EdgeSpec, flow_id: str, node_ids: dict[str, str]) -> None:
    flow = ET.SubElement(process, _q("sequenceFlow"), {
        "id": flow_id, "sourceRef": node_ids[edge.source], "targetRef": node_ids[edge.target],
    })
    extensions = ET.SubElement(flow, _q("extensionElements"))
    raw: dict[str, str] = {"edgeId": edge.id}
    if edge.priority is not None:
        raw["priority"] = str(edge.priority)
    if edge.is_default:
        raw["default"] = "true"
    ET.SubElement(extensions, _q("edge", "qiaoban"), raw)
    if edge.condition is not None and not edge.is_default:
        _expression(flow, "conditionExpression", _json(edge.condition), JSONLOGIC)


def export_bpmn(
    document: Mapping[str, Any] | FlowSpec, *, process_id: str, name: str, language: str = "zh"
) -> bytes:
    """Return the flow as a BPMN 2.0 XML file (UTF-8, with diagram); raise FlowInvalid if it does not load.

    ``process_id`` becomes the process's id (made a valid NCName if needed), ``name`` its
    name; ``language`` (``zh`` or ``en``) picks the node names and the documentation text.
    """
    spec = document if isinstance(document, FlowSpec) else load_flow(document)
    lang = _lang(language)
    ids = _Ids()
    process_xml_id = ids.new("", process_id)
    definitions_id = ids.new("Definitions_", process_id)
    node_ids: dict[str, str] = {}
    for node in spec.nodes:
        if node.id not in node_ids:
            node_ids[node.id] = ids.new("Node_", node.id)
    nodes = [spec.node(n) for n in node_ids]
    # Every node's outgoing edges in the order a gateway tries them (priority, then drawing order).
    edges = [e for node in nodes for e in spec.outgoing(node.id)]
    flow_ids = {id(e): ids.new("Flow_", e.id) for e in edges}

    root = ET.Element(_q("definitions"), {
        **{f"xmlns:{prefix}": uri for prefix, uri in NAMESPACES.items()},
        "id": definitions_id, "targetNamespace": TARGET_NAMESPACE,
        "exporter": EXPORTER, "exporterVersion": EXPORTER_VERSION,
    })
    process = ET.SubElement(root, _q("process"), {"id": process_xml_id, "name": name, "isExecutable": "true"})
    _documentation(process, [_TEXT[lang]["process"]])
    extensions = ET.SubElement(process, _q("extensionElements"))
    ET.SubElement(extensions, _q("flow", "qiaoban"), {"schemaVersion": str(spec.schema_version)})
    for node in nodes:
        _node_element(process, node, node_ids[node.id], spec, flow_ids, lang)
    for edge in edges:
        _edge_element(process, edge, flow_ids[id(edge)], node_ids)

    diagram = ET.SubElement(root, _q("BPMNDiagram", "bpmndi"), {"id": ids.new("Diagram_", process_id)})
    plane = ET.SubElement(diagram, _q("BPMNPlane", "bpmndi"), {
        "id": ids.new("Plane_", process_id), "bpmnElement": process_xml_id,
    })
    boxes = _boxes(spec)
    for node in nodes:
        box = boxes[node.id]
        attrs = {"id": ids.new(f"{node_ids[node.id]}_di"), "bpmnElement": node_ids[node.id]}
        if node.type == "exclusive_gateway":
            attrs["isMarkerVisible"] = "true"
        shape = ET.SubElement(plane, _q("BPMNShape", "bpmndi"), attrs)
        ET.SubElement(shape, _q("Bounds", "dc"), {
            "x": _coordinate(box.x), "y": _coordinate(box.y),
            "width": _coordinate(box.width), "height": _coordinate(box.height),
        })
    for edge in edges:
        flow_id = flow_ids[id(edge)]
        shape = ET.SubElement(plane, _q("BPMNEdge", "bpmndi"), {
            "id": ids.new(f"{flow_id}_di"), "bpmnElement": flow_id,
        })
        for x, y in _waypoints(boxes[edge.source], boxes[edge.target]):
            ET.SubElement(shape, _q("waypoint", "di"), {"x": _coordinate(x), "y": _coordinate(y)})

    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
