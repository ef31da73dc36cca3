import { describe, expect, it } from "vitest";

import { diffCounts, diffRows, flattenChanges, formatValue, nodeNames, type DiffLike } from "./diff";

const EMPTY = { added: [], removed: [], changed: [] };

const DIFF: DiffLike = {
  fields: {
    added: [{ key: "reason", type: "textarea", label: { zh: "事由", en: "Reason" } }],
    removed: [{ key: "old", type: "text", label: {} }],
    changed: [
      {
        key: "days",
        type: "number",
        label: { zh: "天数" },
        changes: {
          required: { from: false, to: true },
          rules: { "x-visible-if": { from: null, to: { ">": [1, 0] } } },
        },
      },
    ],
  },
  nodes: {
    added: [{ id: "hr", type: "approval", name: { zh: "人事", en: "HR" } }],
    removed: [],
    changed: [{ id: "head", type: "approval", name: { zh: "负责人" }, changes: { config: { mode: { from: "single", to: "all" } } } }],
  },
  edges: { added: [{ id: "e9", source: "head", target: "hr" }], removed: [], changed: [] },
  form_layout_changed: false,
  flow_layout_changed: true,
};

describe("flattenChanges", () => {
  it("flattens nested from/to pairs into paths", () => {
    expect(flattenChanges(DIFF.fields.changed[0]?.changes)).toEqual([
      { path: ["required"], from: false, to: true },
      { path: ["rules", "x-visible-if"], from: null, to: { ">": [1, 0] } },
    ]);
  });

  it("ignores junk", () => {
    expect(flattenChanges(null)).toEqual([]);
    expect(flattenChanges("x")).toEqual([]);
  });
});

describe("diffRows", () => {
  it("lists every item with its kind and label", () => {
    const rows = diffRows(DIFF);
    expect(rows.map((row) => `${row.section}:${row.kind}:${row.id}`)).toEqual([
      "fields:added:reason",
      "fields:removed:old",
      "fields:changed:days",
      "nodes:added:hr",
      "nodes:changed:head",
      "edges:added:e9",
    ]);
    expect(rows[0]?.label).toEqual({ zh: "事由", en: "Reason" });
    expect(rows[4]?.changes).toEqual([{ path: ["config", "mode"], from: "single", to: "all" }]);
    expect(rows[5]).toMatchObject({ source: "head", target: "hr" });
  });
});

describe("diffCounts", () => {
  it("counts per section and notices layout-only changes", () => {
    const counts = diffCounts(DIFF);
    expect(counts.fields).toEqual({ added: 1, removed: 1, changed: 1, total: 3 });
    expect(counts.edges.total).toBe(1);
    expect(counts.empty).toBe(false);
    const none = { fields: EMPTY, nodes: EMPTY, edges: EMPTY, form_layout_changed: false, flow_layout_changed: false };
    expect(diffCounts(none).empty).toBe(true);
    expect(diffCounts({ ...none, form_layout_changed: true })).toMatchObject({ empty: false, layout: true });
  });
});

describe("nodeNames", () => {
  it("maps node ids to names", () => {
    expect(nodeNames(DIFF).get("hr")).toEqual({ zh: "人事", en: "HR" });
  });
});

describe("formatValue", () => {
  it("formats values readably", () => {
    expect(formatValue(null)).toBe("—");
    expect(formatValue(true)).toBe("是");
    expect(formatValue(false, { yes: "Yes", no: "No" })).toBe("No");
    expect(formatValue(12)).toBe("12");
    expect(formatValue({ zh: "天数", en: "Days" }, { language: "en" })).toBe("Days");
    expect(formatValue({ zh: "天数" }, { language: "en" })).toBe("天数");
    expect(formatValue({})).toBe("—");
    expect(formatValue([1, 2])).toBe("[1,2]");
    expect(formatValue({ a: "x".repeat(300) }).length).toBe(120);
  });
});
