import { describe, expect, it } from "vitest";

import type { FlowDocument, NodeType } from "../schema/flow";
import { normalizeFlow } from "../schema/flow";
import {
  addNode,
  branchOrder,
  connect,
  connectRefusal,
  copyElements,
  insertOnEdge,
  moveNodes,
  pasteElements,
  removeElements,
  setBranchOrder,
  starterFlow,
  updateEdge,
  updateNode,
} from "./lib/graph";
import { autoLayout, sizeOf } from "./lib/layout";
import { createFlowStore } from "./store";

function draw(): FlowDocument {
  // 提交 → 部门负责人 → 财务 → 网关 → (金额 > 5000) 总经理 → 结束; 否则 → 结束
  let doc = starterFlow();
  doc = removeElements(doc, [], ["e1"]);
  const add = (type: NodeType, y: number) => {
    const result = addNode(doc, type, { x: 0, y });
    doc = result.doc;
    return result.id;
  };
  const head = add("approval", 100);
  const finance = add("approval", 200);
  const gw = add("exclusive_gateway", 300);
  const gm = add("approval", 400);
  const link = (source: string, target: string) => {
    const result = connect(doc, source, target);
    doc = result.doc;
    return result.id ?? "";
  };
  link("start", head);
  link(head, finance);
  link(finance, gw);
  const big = link(gw, gm);
  const rest = link(gw, "end");
  link(gm, "end");
  doc = updateEdge(doc, big, { condition: { ">": [{ var: "form.amount" }, 5000] } });
  doc = updateEdge(doc, rest, { is_default: true });
  return doc;
}

describe("graph editing", () => {
  it("draws the seed's purchase flow with fresh ids, priorities and a default branch", () => {
    const doc = draw();
    expect(doc.nodes.map((node) => node.type)).toEqual(["start", "end", "approval", "approval", "exclusive_gateway", "approval"]);
    expect(new Set(doc.nodes.map((node) => node.id)).size).toBe(6);
    const gw = doc.nodes.find((node) => node.type === "exclusive_gateway")!;
    const branches = branchOrder(doc, gw.id);
    expect(branches.map((edge) => [edge.priority, edge.is_default, edge.condition])).toEqual([
      [1, false, { ">": [{ var: "form.amount" }, 5000] }],
      [null, true, null],
    ]);
    expect(Object.keys(doc.layout).sort()).toEqual(doc.nodes.map((node) => node.id).sort());
  });

  it("refuses edges out of an end, into a start, and duplicates; allows a self-loop for the verifier to catch", () => {
    const doc = draw();
    const approval = doc.nodes.find((node) => node.type === "approval")!.id;
    expect(connectRefusal(doc, "end", approval)).toBe("source_is_end");
    expect(connectRefusal(doc, approval, "start")).toBe("target_is_start");
    const existing = doc.edges[0]!;
    expect(connectRefusal(doc, existing.source, existing.target)).toBe("duplicate");
    expect(connectRefusal(doc, approval, approval)).toBeNull();
    expect(connectRefusal(doc, "ghost", approval)).toBe("unknown_node");
    // A loop back into the node is added next to its exit, never instead of it.
    const looped = connect(doc, approval, approval);
    expect(looped.replaced).toBeNull();
    expect(looped.doc.edges.filter((edge) => edge.source === approval).map((edge) => edge.target).sort()).toEqual([approval, doc.edges.find((edge) => edge.source === approval)!.target].sort());
  });

  it("moves the one way out of a non-branching node instead of adding a second", () => {
    const doc = draw();
    const [head, finance] = doc.nodes.filter((node) => node.type === "approval");
    const result = connect(doc, head!.id, "end");
    expect(result.replaced).not.toBeNull();
    expect(result.doc.edges.filter((edge) => edge.source === head!.id).map((edge) => edge.target)).toEqual(["end"]);
    expect(result.doc.edges.some((edge) => edge.source === head!.id && edge.target === finance!.id)).toBe(false);
  });

  it("inserts a node on an edge, keeping the branch's condition on the first half", () => {
    const doc = draw();
    const branch = doc.edges.find((edge) => edge.condition)!;
    const result = insertOnEdge(doc, branch.id, "cc", { x: 10, y: 350 });
    const id = result.id!;
    const into = result.doc.edges.find((edge) => edge.target === id)!;
    const out = result.doc.edges.find((edge) => edge.source === id)!;
    expect(into.id).toBe(branch.id);
    expect(into.condition).toEqual(branch.condition);
    expect(out.target).toBe(branch.target);
    expect(out.condition).toBeNull();
    // nodes at or below the insertion point moved down to make room; those above did not
    expect(result.doc.layout[branch.target]!.y).toBeGreaterThan(doc.layout[branch.target]!.y);
    expect(result.doc.layout.start).toEqual(doc.layout.start);
    expect(insertOnEdge(doc, branch.id, "end", { x: 0, y: 0 }).id).toBeNull();
  });

  it("deletes a node in a straight line and reconnects its neighbours; deleting a branch point does not", () => {
    const doc = draw();
    const [head, finance] = doc.nodes.filter((node) => node.type === "approval");
    const healed = removeElements(doc, [head!.id], []);
    expect(healed.nodes.some((node) => node.id === head!.id)).toBe(false);
    expect(healed.edges.some((edge) => edge.source === "start" && edge.target === finance!.id)).toBe(true);
    expect(healed.layout[head!.id]).toBeUndefined();
    const gw = doc.nodes.find((node) => node.type === "exclusive_gateway")!;
    const cut = removeElements(doc, [gw.id], []);
    expect(cut.edges.some((edge) => edge.source === gw.id || edge.target === gw.id)).toBe(false);
    expect(cut.edges.length).toBe(doc.edges.length - 3);
    expect(removeElements(doc, [], [])).toBe(doc);
  });

  it("makes one default per gateway; un-defaulting a branch gives it the next priority", () => {
    let doc = draw();
    const gw = doc.nodes.find((node) => node.type === "exclusive_gateway")!;
    const [big, rest] = branchOrder(doc, gw.id);
    doc = updateEdge(doc, big!.id, { is_default: true });
    const after = branchOrder(doc, gw.id);
    expect(after.filter((edge) => edge.is_default).map((edge) => edge.id)).toEqual([big!.id]);
    expect(doc.edges.find((edge) => edge.id === big!.id)!.condition).toBeNull();
    // the old default is now an ordinary branch, numbered after the others
    expect(doc.edges.find((edge) => edge.id === rest!.id)).toMatchObject({ is_default: false, priority: 2 });
    doc = updateEdge(doc, big!.id, { is_default: false });
    expect(doc.edges.find((edge) => edge.id === big!.id)).toMatchObject({ is_default: false, priority: 3 });
  });

  it("reorders branches by renumbering priorities", () => {
    let doc = draw();
    const gw = doc.nodes.find((node) => node.type === "exclusive_gateway")!;
    const extra = addNode(doc, "handle", { x: 0, y: 0 });
    doc = connect(extra.doc, gw.id, extra.id).doc;
    const conditional = branchOrder(doc, gw.id).filter((edge) => !edge.is_default).map((edge) => edge.id);
    doc = setBranchOrder(doc, gw.id, [...conditional].reverse());
    expect(branchOrder(doc, gw.id).filter((edge) => !edge.is_default).map((edge) => edge.id)).toEqual([...conditional].reverse());
  });

  it("copies nodes with the edges between them and pastes them with new ids, never a second start", () => {
    const doc = draw();
    const ids = doc.nodes.map((node) => node.id);
    const clip = copyElements(doc, ids)!;
    const pasted = pasteElements(doc, clip, { x: 40, y: 40 });
    expect(pasted.ids).toHaveLength(ids.length - 1); // start is not pasted again
    expect(pasted.doc.nodes.filter((node) => node.type === "start")).toHaveLength(1);
    expect(new Set(pasted.doc.nodes.map((node) => node.id)).size).toBe(pasted.doc.nodes.length);
    const newEdges = pasted.doc.edges.slice(doc.edges.length);
    expect(newEdges.every((edge) => pasted.ids.includes(edge.source) && pasted.ids.includes(edge.target))).toBe(true);
    const firstCopy = pasted.ids[0]!;
    const original = clip.nodes.find((node) => node.type !== "start")!;
    expect(pasted.doc.layout[firstCopy]).toEqual({ x: clip.layout[original.id]!.x + 40, y: clip.layout[original.id]!.y + 40 });
    expect(copyElements(doc, [])).toBeNull();
  });

  it("changes nothing (same object) when an edit is a no-op", () => {
    const doc = draw();
    expect(moveNodes(doc, { start: doc.layout.start! })).toBe(doc);
    expect(updateNode(doc, "start", (node) => node)).toBe(doc);
    expect(updateEdge(doc, "nope", { condition: null })).toBe(doc);
  });
});

describe("the store's undo stack", () => {
  it("undoes and redoes edits exactly, merges typing, and tracks the dirty version", () => {
    const store = createFlowStore();
    store.getState().load({ schema_version: 1, nodes: [], edges: [], layout: {} }, 3);
    const start = store.getState().doc;
    expect(start.nodes.map((node) => node.type)).toEqual(["start", "end"]);
    expect(store.getState().revision).toBe(3);
    let id = "";
    store.getState().run("add", (doc) => {
      const result = addNode(doc, "approval", { x: 0, y: 100 });
      id = result.id;
      return result.doc;
    });
    for (const text of ["部", "部门", "部门负责人"]) {
      store.getState().run("rename", (doc) => updateNode(doc, id, (node) => ({ ...node, name: { ...node.name, zh: text } })), { mergeKey: `${id}:name` });
    }
    expect(store.getState().past).toHaveLength(2);
    expect(store.getState().doc.nodes.find((node) => node.id === id)!.name.zh).toBe("部门负责人");
    store.getState().undo();
    expect(store.getState().doc.nodes.find((node) => node.id === id)!.name.zh).toBe("审批");
    store.getState().undo();
    expect(store.getState().doc).toBe(start);
    store.getState().redo();
    store.getState().redo();
    expect(store.getState().doc.nodes.find((node) => node.id === id)!.name.zh).toBe("部门负责人");
    expect(store.getState().version).toBe(8); // every edit, undo and redo moves it on
    store.getState().markSaved(8, 4);
    expect(store.getState().savedVersion).toBe(store.getState().version);
  });

  it("drops a selection the restored document no longer has", () => {
    const store = createFlowStore();
    store.getState().load(null, 1);
    let id = "";
    store.getState().run("add", (doc) => {
      const result = addNode(doc, "cc", { x: 0, y: 0 });
      id = result.id;
      return result.doc;
    }, { select: { nodes: [], edges: [] } });
    store.getState().select({ nodes: [id], edges: [] });
    store.getState().undo();
    expect(store.getState().selection.nodes).toEqual([]);
  });

  it("lays out a stored flow whose nodes have no positions", () => {
    const store = createFlowStore();
    store.getState().load({
      schema_version: 1,
      nodes: [{ id: "s", type: "start" }, { id: "a", type: "approval", config: { assignees: [{ rule: "dept_head" }] } }, { id: "e", type: "end" }],
      edges: [{ id: "1", source: "s", target: "a" }, { id: "2", source: "a", target: "e" }],
    }, 1);
    const { layout } = store.getState().doc;
    expect(layout.s!.y).toBeLessThan(layout.a!.y);
    expect(layout.a!.y).toBeLessThan(layout.e!.y);
    expect(store.getState().doc.edges[0]).toEqual({ id: "1", source: "s", target: "a", condition: null, is_default: false, priority: null });
  });
});

/** A 50-node flow: a chain of approvals with gateways that branch out and back in. */
function bigFlow(): FlowDocument {
  const nodes: Array<{ id: string; type: NodeType }> = [{ id: "start", type: "start" }];
  const edges: Array<{ id: string; source: string; target: string; is_default?: boolean; priority?: number; condition?: unknown }> = [];
  let previous = "start";
  let n = 0;
  const edge = (source: string, target: string, extra: object = {}) => edges.push({ id: `e${edges.length + 1}`, source, target, ...extra });
  while (nodes.length < 45) {
    n += 1;
    const gw = `gw${n}`;
    const left = `l${n}`;
    const right = `r${n}`;
    const join = `j${n}`;
    nodes.push({ id: gw, type: "exclusive_gateway" }, { id: left, type: "approval" }, { id: right, type: "approval" }, { id: join, type: "approval" });
    edge(previous, gw);
    edge(gw, left, { priority: 1, condition: { ">": [{ var: "form.amount" }, n * 100] } });
    edge(gw, right, { is_default: true });
    edge(left, join);
    edge(right, join);
    previous = join;
  }
  while (nodes.length < 49) {
    const id = `t${nodes.length}`;
    nodes.push({ id, type: "handle" });
    edge(previous, id);
    previous = id;
  }
  nodes.push({ id: "end", type: "end" });
  edge(previous, "end");
  return normalizeFlow({ schema_version: 1, nodes, edges, layout: {} });
}

describe("auto-layout", () => {
  it("places 50 nodes top to bottom without overlaps, every edge pointing down", () => {
    const doc = bigFlow();
    expect(doc.nodes).toHaveLength(50);
    const positions = autoLayout(doc);
    expect(Object.keys(positions)).toHaveLength(50);
    const boxes = doc.nodes.map((node) => ({ id: node.id, ...positions[node.id]!, ...sizeOf(node.type) }));
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
    for (const edge of doc.edges) {
      expect(positions[edge.source]!.y, `${edge.source} → ${edge.target}`).toBeLessThan(positions[edge.target]!.y);
    }
    // Branches sit side by side, the first-priority one on the left.
    expect(positions.l1!.y).toBe(positions.r1!.y);
    expect(positions.l1!.x).toBeLessThan(positions.r1!.x);
    expect(Object.values(positions).every((place) => Number.isInteger(place.x) && Number.isInteger(place.y))).toBe(true);
  });

  it("is deterministic and keeps a flow with a loop finite", () => {
    const doc = bigFlow();
    expect(autoLayout(doc)).toEqual(autoLayout(doc));
    const looped = connect(doc, "j1", "gw1").doc;
    const positions = autoLayout(looped);
    expect(Object.keys(positions)).toHaveLength(50);
  });
});

describe("node cards in words", () => {
  it("says who approves, how, when reminders fire and whether urgent requests skip, in both languages", async () => {
    const { initI18n } = await import("../i18n");
    const { nodeSummary, plainNames } = await import("./lib/summary");
    const i18n = initI18n("zh-Hans");
    const names = { ...plainNames, role: (code: string) => ({ finance: "财务", general_manager: "总经理" })[code] ?? code };
    const head = {
      id: "head", type: "approval" as const, name: { zh: "部门负责人" },
      config: {
        mode: "all" as const,
        assignees: [{ rule: "dept_head" as const, levels: 2 }, { rule: "role" as const, role: "finance" }],
        timers: [{ kind: "remind" as const, after_hours: 24 }, { kind: "escalate" as const, after_working_days: 3, to: "manager" }],
        skippable_when_urgent: true,
      },
    };
    const zh = nodeSummary(head, names, i18n.getFixedT("zh-Hans", "flow"));
    expect(zh.main).toBe("部门负责人 ×2 级 + 角色：财务");
    expect(zh.badges).toEqual(["会签", "24 小时提醒", "3 个工作日升级给上级", "紧急可跳过"]);
    const en = nodeSummary(head, names, i18n.getFixedT("en", "flow"));
    expect(en.main).toBe("Department head ×2 levels + Role: 财务");
    expect(en.badges).toEqual(["Everyone", "Remind after 24 h", "Escalate to manager after 3 working days", "Skipped when urgent"]);
    const empty = nodeSummary({ id: "x", type: "approval", name: {}, config: { mode: "percentage", threshold: 60 } }, names, i18n.getFixedT("zh-Hans", "flow"));
    expect(empty).toEqual({ main: "未设置审批人", badges: ["60% 同意即通过"] });
  });

  it("says which field a task is due by and when the reminder before it fires", async () => {
    const { initI18n } = await import("../i18n");
    const { describeDeadline, nodeSummary, plainNames } = await import("./lib/summary");
    const i18n = initI18n("zh-Hans");
    const zhT = i18n.getFixedT("zh-Hans", "flow");
    const enT = i18n.getFixedT("en", "flow");
    const names = { ...plainNames, field: (key: string) => ({ due_date: "截止日期" })[key] ?? key };
    const handle = {
      id: "h", type: "handle" as const, name: { zh: "办理" },
      config: {
        assignees: [{ rule: "role" as const, role: "hr" }],
        deadline: { field: "due_date", remind_before_hours: 24 },
        timers: [{ kind: "remind" as const, after_hours: 8 }],
      },
    };
    expect(nodeSummary(handle, names, zhT).badges).toEqual(["单人", "截止：截止日期", "截止前 24 小时提醒", "8 小时提醒"]);
    const enNames = { ...plainNames, field: (key: string) => ({ due_date: "Due date" })[key] ?? key };
    expect(nodeSummary(handle, enNames, enT).badges).toEqual(["Single", "Due: Due date", "Reminder 24 h before due", "Remind after 8 h"]);
    // Without a reminder only the field is named; without a field there is no deadline at all.
    expect(describeDeadline({ field: "due_date" }, names, zhT)).toEqual(["截止：截止日期"]);
    expect(describeDeadline({ field: "", remind_before_hours: 4 }, names, zhT)).toEqual([]);
    expect(describeDeadline(undefined, names, zhT)).toEqual([]);
    const noDeadline = nodeSummary({ ...handle, config: { assignees: handle.config.assignees } }, names, zhT);
    expect(noDeadline.badges.some((badge) => badge.startsWith("截止"))).toBe(false);
  });

  it("names the initiator (发起人本人) as who handles a task, alone or with other rules", async () => {
    const { initI18n } = await import("../i18n");
    const { describeAssignee, nodeSummary, plainNames } = await import("./lib/summary");
    const { ASSIGNEE_RULES, ASSIGNEE_RULE_ORDER } = await import("./nodes/registry");
    const { isComplete } = await import("./properties-panel/assignee-editor");
    const i18n = initI18n("zh-Hans");
    const zhT = i18n.getFixedT("zh-Hans", "flow");
    const enT = i18n.getFixedT("en", "flow");
    const accept = { id: "accept", type: "handle" as const, name: { zh: "验收" }, config: { assignees: [{ rule: "initiator" as const }] } };
    expect(nodeSummary(accept, plainNames, zhT)).toEqual({ main: "发起人本人", badges: ["单人"] });
    expect(nodeSummary(accept, plainNames, enT)).toEqual({ main: "The initiator", badges: ["Single"] });
    const both = [{ rule: "initiator" as const }, { rule: "role" as const, role: "hr" }];
    expect(nodeSummary({ ...accept, type: "approval" as const, config: { assignees: both } }, plainNames, zhT).main).toBe("发起人本人 + 角色：hr");
    // It needs no choices, so a fresh card counts at once; and the picker offers it.
    expect(isComplete({ rule: "initiator" })).toBe(true);
    expect(ASSIGNEE_RULES.initiator).toEqual({ needs: "none" });
    expect(ASSIGNEE_RULE_ORDER).toContain("initiator");
    expect(new Set(ASSIGNEE_RULE_ORDER)).toEqual(new Set(Object.keys(ASSIGNEE_RULES)));
    expect(zhT("assigneeRule.initiator")).toBe("发起人本人");
    expect(describeAssignee({ rule: "initiator" }, plainNames, enT)).toBe("The initiator");
  });
});

describe("deadline fields", () => {
  it("offers the form's date, datetime and date range fields (and computed dates), in form order", async () => {
    const { fromDocument } = await import("../form-designer/model");
    const { emptyFormDocument } = await import("../schema/form");
    const { deadlineFieldOptions, isDeadlineField } = await import("./properties-panel/deadline-editor");
    const document = emptyFormDocument();
    document.schema.properties = {
      title: { "x-type": "text", type: "string", "x-label": { zh: "标题" } },
      due: { "x-type": "date", type: "string", format: "date", "x-label": { zh: "截止日期" } },
      trip: { "x-type": "date_range", type: "object", "x-label": { zh: "出差日期" } },
      meet: { "x-type": "datetime", type: "string", format: "date-time" },
      next: { "x-type": "computed", type: "string", format: "date", "x-compute": {} },
      total: { "x-type": "computed", type: "number", "x-compute": {} },
    };
    const form = fromDocument(document);
    expect(deadlineFieldOptions(form)).toEqual([
      { value: "due", label: "截止日期" },
      { value: "trip", label: "出差日期" },
      { value: "meet", label: "meet" },
      { value: "next", label: "next" },
    ]);
    expect(isDeadlineField({ "x-type": "user" })).toBe(false);
    expect(isDeadlineField({ "x-type": "computed", type: "string" })).toBe(false);
  });
});
