// The front end's mirror of the server's node-type, approval-mode and assignee-rule
// registries (runtime/flows): one entry per `type`, with what the flow designer needs to
// draw and edit it. tests/definitions/test_flow_designer_registry.py checks the keys match.
import type { ApprovalMode, AssigneeRuleName, NodeConfigs, NodeType, TimerKind } from "../../schema/flow";

export type NodeShape = "event" | "task" | "gateway";
export type PaletteGroup = "people" | "branch" | "automation" | "event";

export interface NodeTypeUi<T extends NodeType = NodeType> {
  shape: NodeShape;
  group: PaletteGroup;
  /** A key of ../canvas/node-icons.tsx. */
  icon: string;
  /** The card's accent colour. */
  color: string;
  /** The name a new node gets (zh, en). */
  name: { zh: string; en: string };
  defaultConfig: () => NodeConfigs[T];
  /** Outgoing edges allowed: 0 (end), 1, or many (branching nodes). */
  outgoing: 0 | 1 | "many";
  incoming: boolean;
  /** Whether the properties panel shows the field-rights matrix. */
  fieldRights: boolean;
}

type Registry = { [T in NodeType]: NodeTypeUi<T> };

export const NODE_TYPES: Registry = {
  start: {
    shape: "event", group: "event", icon: "start", color: "#1677ff", name: { zh: "发起", en: "Start" },
    defaultConfig: () => ({}), outgoing: 1, incoming: false, fieldRights: true,
  },
  approval: {
    shape: "task", group: "people", icon: "approval", color: "#ff8a00", name: { zh: "审批", en: "Approval" },
    defaultConfig: () => ({ mode: "single", assignees: [{ rule: "dept_head", levels: 1 }] }),
    outgoing: 1, incoming: true, fieldRights: true,
  },
  handle: {
    shape: "task", group: "people", icon: "handle", color: "#7a5af8", name: { zh: "办理", en: "Handle" },
    defaultConfig: () => ({ mode: "single", assignees: [] }), outgoing: 1, incoming: true, fieldRights: true,
  },
  cc: {
    shape: "task", group: "people", icon: "cc", color: "#13a8a8", name: { zh: "抄送", en: "Copy to" },
    defaultConfig: () => ({ recipients: [] }), outgoing: 1, incoming: true, fieldRights: true,
  },
  exclusive_gateway: {
    shape: "gateway", group: "branch", icon: "exclusive_gateway", color: "#15a86b", name: { zh: "条件分支", en: "Condition" },
    defaultConfig: () => ({}), outgoing: "many", incoming: true, fieldRights: false,
  },
  parallel_split: {
    shape: "gateway", group: "branch", icon: "parallel_split", color: "#2f54eb", name: { zh: "并行分支", en: "Parallel split" },
    defaultConfig: () => ({}), outgoing: "many", incoming: true, fieldRights: false,
  },
  parallel_join: {
    shape: "gateway", group: "branch", icon: "parallel_join", color: "#2f54eb", name: { zh: "并行汇聚", en: "Parallel join" },
    defaultConfig: () => ({ join: "all" }), outgoing: 1, incoming: true, fieldRights: false,
  },
  service: {
    shape: "task", group: "automation", icon: "service", color: "#597ef7", name: { zh: "服务调用", en: "Service call" },
    defaultConfig: () => ({ on_error: "fail" }), outgoing: 1, incoming: true, fieldRights: false,
  },
  delay: {
    shape: "task", group: "automation", icon: "delay", color: "#8c8c8c", name: { zh: "延时", en: "Delay" },
    defaultConfig: () => ({ after_hours: 24 }), outgoing: 1, incoming: true, fieldRights: false,
  },
  subprocess: {
    shape: "task", group: "automation", icon: "subprocess", color: "#c41d7f", name: { zh: "子流程", en: "Subprocess" },
    defaultConfig: () => ({ wait: true }), outgoing: 1, incoming: true, fieldRights: false,
  },
  end: {
    shape: "event", group: "event", icon: "end", color: "#595959", name: { zh: "结束", en: "End" },
    defaultConfig: () => ({ outcome: "approved" }), outgoing: 0, incoming: true, fieldRights: false,
  },
};

export const NODE_TYPE_ORDER: NodeType[] = [
  "approval", "handle", "cc", "exclusive_gateway", "parallel_split", "parallel_join",
  "service", "delay", "subprocess", "start", "end",
];

export function nodeTypeUi(type: string): NodeTypeUi {
  return (NODE_TYPES as Record<string, NodeTypeUi>)[type] ?? NODE_TYPES.approval;
}

export const APPROVAL_MODES: Record<ApprovalMode, { people: "one" | "all" | "share" }> = {
  single: { people: "one" },
  sequential: { people: "all" },
  all: { people: "all" },
  any: { people: "one" },
  percentage: { people: "share" },
};

export const APPROVAL_MODE_ORDER: ApprovalMode[] = ["single", "sequential", "all", "any", "percentage"];

/** Assignee rules, with whether they depend on the org (pickers) or the form. */
export const ASSIGNEE_RULES: Record<AssigneeRuleName, { needs: "users" | "role" | "position" | "levels" | "field" | "picks" | "none" | "rule" }> = {
  user: { needs: "users" },
  role: { needs: "role" },
  position: { needs: "position" },
  dept_head: { needs: "levels" },
  manager_chain: { needs: "levels" },
  form_field: { needs: "field" },
  initiator_picks: { needs: "picks" },
  initiator: { needs: "none" },
  previous_approver_manager: { needs: "none" },
  dynamic: { needs: "rule" },
};

export const ASSIGNEE_RULE_ORDER: AssigneeRuleName[] = [
  "dept_head", "role", "user", "position", "manager_chain", "form_field", "initiator_picks",
  "initiator", "previous_approver_manager", "dynamic",
];

export const TIMER_KINDS: TimerKind[] = ["remind", "escalate", "auto_transfer", "timeout"];
