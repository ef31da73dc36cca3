// The flow document (docs/flows.md, schema_version 1): nodes, edges and a separate canvas
// layout. Node configs are discriminated by the node's `type` (STYLE.md 22).
import type { JsonLogic, Label } from "./form";

export const FLOW_SCHEMA_VERSION = 1;

export type FieldRight = "editable" | "read_only" | "hidden";
export type FieldRights = Record<string, FieldRight>;

export type AssigneeRule =
  | { rule: "user"; users: string[] }
  | { rule: "role"; role: string }
  | { rule: "position"; position: string }
  | { rule: "dept_head"; levels?: number; vacant?: "empty" | "up" }
  | { rule: "manager_chain"; levels?: number; until_role?: string }
  | { rule: "form_field"; field: string; levels?: number }
  | { rule: "initiator_picks"; multiple?: boolean; role?: string }
  | { rule: "initiator" }
  | { rule: "previous_approver_manager" }
  | { rule: "dynamic"; candidates: string[]; select: JsonLogic };

export type AssigneeRuleName = AssigneeRule["rule"];

export type ApprovalMode = "single" | "sequential" | "all" | "any" | "percentage";

export interface TimerWait {
  after_hours?: number;
  after_working_days?: number;
}

export type Timer =
  | { kind: "remind"; after_hours: number; repeat_hours?: number; max?: number }
  | ({ kind: "escalate"; to: string } & TimerWait)
  | ({ kind: "auto_transfer"; to: "backup" | "manager" } & TimerWait)
  | ({ kind: "timeout"; action: "approve" | "reject" | "notify_admin" } & TimerWait);

export type TimerKind = Timer["kind"];

/** The task is due at a form field's date (a date, datetime or date range field). */
export interface Deadline {
  field: string;
  remind_before_hours?: number;
  /** The planned start shown on the task timeline (changes nothing in the flow). */
  start_field?: string;
}

export interface TaskConfig {
  mode?: ApprovalMode;
  threshold?: number;
  assignees?: AssigneeRule[];
  on_empty?: "admin" | "skip" | "error";
  admin?: string;
  dedupe?: { consecutive?: boolean; initiator?: boolean };
  skippable_when_urgent?: boolean;
  fields?: FieldRights;
  timers?: Timer[];
  deadline?: Deadline;
}

export interface NodeConfigs {
  start: { fields?: FieldRights; withdraw?: "before_first_approval" | "always" | "never" };
  approval: TaskConfig;
  handle: TaskConfig;
  cc: { recipients?: AssigneeRule[]; fields?: FieldRights };
  exclusive_gateway: Record<string, never>;
  parallel_split: Record<string, never>;
  parallel_join: { join?: "all" | "first_n"; n?: number };
  service: {
    connector?: string;
    operation?: string;
    input?: Record<string, JsonLogic>;
    output?: Record<string, string>;
    on_error?: "fail" | "continue";
  };
  delay: { after_hours?: number; after_working_days?: number; until?: string };
  subprocess: { app?: string; input?: Record<string, JsonLogic>; output?: Record<string, string>; wait?: boolean };
  end: { outcome?: "approved" | "rejected" };
}

export type NodeType = keyof NodeConfigs;

export type FlowNodeOf<T extends NodeType> = { id: string; type: T; name: Label; config: NodeConfigs[T] };
export type FlowNode = { [T in NodeType]: FlowNodeOf<T> }[NodeType];

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  condition: JsonLogic | null;
  is_default: boolean;
  priority: number | null;
}

export interface Position {
  x: number;
  y: number;
}

export interface FlowDocument {
  schema_version: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  layout: Record<string, Position>;
}

/** A document as stored may omit defaults; this fills them so the editor sees one shape. */
export function normalizeFlow(raw: unknown): FlowDocument {
  const doc = (raw && typeof raw === "object" ? raw : {}) as Partial<FlowDocument> & Record<string, unknown>;
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const edges = Array.isArray(doc.edges) ? doc.edges : [];
  return {
    schema_version: typeof doc.schema_version === "number" ? doc.schema_version : FLOW_SCHEMA_VERSION,
    nodes: nodes.map((node) => ({ ...node, name: node.name ?? {}, config: node.config ?? {} }) as FlowNode),
    edges: edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      condition: edge.condition ?? null,
      is_default: edge.is_default ?? false,
      priority: edge.priority ?? null,
    })),
    layout: doc.layout && typeof doc.layout === "object" ? { ...doc.layout } : {},
  };
}
