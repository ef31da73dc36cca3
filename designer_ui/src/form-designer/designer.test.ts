import travel from "../../../templates_library/travel/form.json";
import type { FieldSchema, FormDocument } from "../schema/form";
import {
  addColumn,
  addField,
  addSection,
  duplicateField,
  moveColumn,
  moveField,
  removeField,
  removeSection,
  renameKey,
  setRequired,
  updateField,
  type PaletteEntry,
} from "./commands";
import { keyProblem, slugify, suggestKey } from "./keys";
import { columnsOf, fieldOrder, fromDocument, toDocument, type DesignerModel } from "./model";
import { createDesignerStore, isDirty } from "./store";

const TRAVEL = travel as unknown as FormDocument;

function entry(type: string, schema: Partial<FieldSchema> = {}): PaletteEntry {
  return {
    type,
    label: { zh: type, en: type },
    value_kind: "string",
    schema: { "x-type": type as FieldSchema["x-type"], title: type, "x-label": { zh: type, en: type }, ...schema },
    ui: {},
    capabilities: { keywords: [], column_allowed: true, has_value: true, accepts_required_if: true, accepts_default: true },
  };
}

const TEXT = entry("text", { type: "string", maxLength: 200 });
const TABLE = entry("table", { type: "array", items: { type: "object", properties: {}, required: [] } });

function empty(): DesignerModel {
  return fromDocument(null);
}

describe("model", () => {
  it("round-trips the seed's travel form without losing anything", () => {
    const document = toDocument(fromDocument(TRAVEL));
    expect(document.schema.properties).toEqual(TRAVEL.schema.properties);
    // Tables say their column order (x-column-order): key order does not survive jsonb.
    expect(document.schema.properties.companions?.["x-column-order"]).toEqual(["name", "department", "phone"]);
    // The display order is the sections' order (the travel form lists 出差天数 in its first section).
    const bySections = (TRAVEL.ui_schema.sections ?? []).flatMap((section) => section.fields);
    expect(Object.keys(document.schema.properties)).toEqual(bySections);
    expect(document.schema.required).toEqual(TRAVEL.schema.required);
    expect(document.ui_schema.order).toEqual(bySections);
    expect(document.ui_schema.sections).toEqual(TRAVEL.ui_schema.sections);
    expect(document.ui_schema.fields).toEqual(TRAVEL.ui_schema.fields);
    expect(document.schema["x-label"]).toEqual({ zh: "差旅申请表", en: "Travel request" });
  });

  it("puts fields no section names into the last section", () => {
    const document = structuredClone(TRAVEL);
    document.ui_schema.sections = [{ title: { zh: "行程" }, fields: ["destination"], columns: 2 }];
    const model = fromDocument(document);
    expect(model.sections).toHaveLength(1);
    expect(model.sections[0]?.fields[0]).toBe("destination");
    expect(new Set(fieldOrder(model))).toEqual(new Set(Object.keys(TRAVEL.schema.properties)));
  });

  it("starts an empty form with one untitled section", () => {
    const model = empty();
    expect(model.sections).toHaveLength(1);
    expect(toDocument(model).schema.properties).toEqual({});
  });
});

describe("keys", () => {
  it("suggests keys from English labels or the type", () => {
    expect(slugify("Trip dates")).toBe("trip_dates");
    expect(slugify("出差日期")).toBe("");
    expect(slugify("2nd approver")).toBe("f_2nd_approver");
    expect(suggestKey("Budget", "money", new Set())).toBe("budget");
    expect(suggestKey("Budget", "money", new Set(["budget"]))).toBe("budget_2");
    expect(suggestKey(undefined, "text", new Set(["text_1"]))).toBe("text_2");
  });

  it("validates keys like the server", () => {
    expect(keyProblem("", new Set())).toBe("empty");
    expect(keyProblem("出差", new Set())).toBe("pattern");
    expect(keyProblem("1abc", new Set())).toBe("pattern");
    expect(keyProblem("a".repeat(65), new Set())).toBe("too_long");
    expect(keyProblem("budget", new Set(["budget"]))).toBe("taken");
    expect(keyProblem("budget", new Set(["budget"]), "budget")).toBeNull();
  });
});

describe("commands", () => {
  it("adds, moves and removes fields across sections", () => {
    let model = empty();
    const first = model.sections[0]?.id ?? "";
    const a = addField(model, TEXT, { sectionId: first, index: 0 });
    const b = addField(a.model, TEXT, { sectionId: first, index: 0 });
    model = b.model;
    expect(fieldOrder(model)).toEqual([b.key, a.key]);
    const second = addSection(model, { zh: "费用" });
    model = moveField(second.model, b.key, { sectionId: second.id, index: 0 });
    expect(model.sections.map((section) => section.fields)).toEqual([[a.key], [b.key]]);
    model = moveField(model, a.key, { sectionId: second.id, index: 1 });
    expect(fieldOrder(model)).toEqual([b.key, a.key]);
    model = setRequired(model, { key: a.key }, true);
    model = removeField(model, { key: a.key });
    expect(model.fields[a.key]).toBeUndefined();
    expect(model.required).toEqual([]);
    expect(toDocument(model).ui_schema.order).toEqual([b.key]);
  });

  it("moves a field down within its own section", () => {
    let model = empty();
    const id = model.sections[0]?.id ?? "";
    const keys: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const added = addField(model, TEXT, { sectionId: id, index: i });
      model = added.model;
      keys.push(added.key);
    }
    model = moveField(model, keys[0] ?? "", { sectionId: id, index: 3 });
    expect(fieldOrder(model)).toEqual([keys[1], keys[2], keys[0]]);
  });

  it("builds a sub-table with columns, reorders and removes them", () => {
    let model = empty();
    const table = addField(model, TABLE, { sectionId: model.sections[0]?.id ?? "", index: 0 });
    model = table.model;
    const name = addColumn(model, table.key, TEXT);
    const phone = addColumn(name.model, table.key, TEXT);
    model = setRequired(phone.model, { key: table.key, column: name.column }, true);
    expect(Object.keys(columnsOf(model.fields[table.key]))).toEqual([name.column, phone.column]);
    model = moveColumn(model, table.key, phone.column, 0);
    expect(Object.keys(columnsOf(model.fields[table.key]))).toEqual([phone.column, name.column]);
    model = removeField(model, { key: table.key, column: name.column });
    expect(Object.keys(columnsOf(model.fields[table.key]))).toEqual([phone.column]);
    expect((model.fields[table.key]?.items as { required: string[] }).required).toEqual([]);
  });

  it("renames a key everywhere: layout, required, UI and rules", () => {
    let model = fromDocument(TRAVEL);
    model = renameKey(model, { key: "expense_type" }, "cost_type");
    const document = toDocument(model);
    expect(document.schema.properties.cost_type).toBeDefined();
    expect(document.schema.properties.expense_type).toBeUndefined();
    expect(document.schema.required).toContain("cost_type");
    expect(document.ui_schema.fields?.cost_type).toEqual({ widget: "select" });
    expect(document.schema.properties.budget?.["x-required-if"]).toEqual({ "==": [{ var: "form.cost_type" }, "air"] });
    model = renameKey(model, { key: "trip_dates" }, "dates");
    const compute = JSON.stringify(toDocument(model).schema.properties.days?.["x-compute"]);
    expect(compute).toContain("form.dates.start");
    expect(compute).not.toContain("trip_dates");
  });

  it("renames a column and the rules that read it", () => {
    let model = fromDocument(TRAVEL);
    model = updateField(model, { key: "companions", column: "phone" }, (field) => ({
      ...field,
      "x-visible-if": { "!!": [{ var: "row.name" }] },
    }));
    model = renameKey(model, { key: "companions", column: "name" }, "full_name");
    const columns = columnsOf(model.fields.companions);
    expect(Object.keys(columns)).toEqual(["full_name", "department", "phone"]);
    expect(columns.phone?.["x-visible-if"]).toEqual({ "!!": [{ var: "row.full_name" }] });
    expect((model.fields.companions?.items as { required: string[] }).required).toEqual(["full_name"]);
  });

  it("duplicates a field after itself with copy labels", () => {
    const model = fromDocument(TRAVEL);
    const { model: next, ref } = duplicateField(model, { key: "destination" });
    const order = fieldOrder(next);
    expect(order[order.indexOf("destination") + 1]).toBe(ref.key);
    expect(next.fields[ref.key]?.["x-label"]).toEqual({ zh: "目的地（副本）", en: "Destination (copy)" });
    expect(next.required).toContain(ref.key);
  });

  it("keeps the fields of a removed section", () => {
    const model = fromDocument(TRAVEL);
    const id = model.sections[1]?.id ?? "";
    const next = removeSection(model, id);
    expect(next.sections).toHaveLength(2);
    expect(new Set(fieldOrder(next))).toEqual(new Set(fieldOrder(model)));
  });

  it("keeps the zh label as the JSON Schema title", () => {
    const model = fromDocument(TRAVEL);
    const next = updateField(model, { key: "destination" }, (field) => ({ ...field, "x-label": { zh: "去哪里", en: "Where" } }));
    expect(next.fields.destination?.title).toBe("去哪里");
    expect(model.fields.destination?.title).toBe("目的地"); // the old model is untouched
  });
});

describe("store: undo and redo", () => {
  it("undoes and redoes add, move and delete, tracking dirtiness", () => {
    const store = createDesignerStore();
    store.getState().load(null, 1);
    const section = store.getState().model.sections[0]?.id ?? "";
    let added = "";
    store.getState().run("add", (model) => {
      const result = addField(model, TEXT, { sectionId: section, index: 0 });
      added = result.key;
      return result.model;
    });
    store.getState().run("add", (model) => addField(model, TEXT, { sectionId: section, index: 1 }).model);
    expect(fieldOrder(store.getState().model)).toHaveLength(2);
    expect(isDirty(store.getState())).toBe(true);
    store.getState().run("delete", (model) => removeField(model, { key: added }));
    expect(fieldOrder(store.getState().model)).toHaveLength(1);
    store.getState().undo();
    expect(fieldOrder(store.getState().model)[0]).toBe(added);
    store.getState().undo();
    store.getState().undo();
    expect(fieldOrder(store.getState().model)).toEqual([]);
    store.getState().undo(); // nothing left: no change
    store.getState().redo();
    store.getState().redo();
    expect(fieldOrder(store.getState().model)).toHaveLength(2);
    // A new command clears the redo stack.
    store.getState().run("delete", (model) => removeField(model, { key: added }));
    store.getState().redo();
    expect(fieldOrder(store.getState().model)).toHaveLength(1);
    store.getState().markSaved(store.getState().version, 2);
    expect(isDirty(store.getState())).toBe(false);
  });

  it("merges typing into one undo step", () => {
    const store = createDesignerStore();
    store.getState().load(TRAVEL, 3);
    for (const text of ["目", "目的", "目的城市"]) {
      store.getState().run(
        "label",
        (model) => updateField(model, { key: "destination" }, (field) => ({ ...field, "x-label": { ...field["x-label"], zh: text } })),
        { mergeKey: "label:destination" },
      );
    }
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().model.fields.destination?.["x-label"]?.zh).toBe("目的地");
  });

  it("drops a selection that undo removes", () => {
    const store = createDesignerStore();
    store.getState().load(null, 1);
    const section = store.getState().model.sections[0]?.id ?? "";
    let key = "";
    store.getState().run("add", (model) => {
      const result = addField(model, TEXT, { sectionId: section, index: 0 });
      key = result.key;
      return result.model;
    });
    store.getState().select({ kind: "field", ref: { key } });
    store.getState().undo();
    expect(store.getState().selection).toBeNull();
  });
});

describe("column order", () => {
  it("writes x-column-order and restores it from a document whose keys were sorted", () => {
    const model = fromDocument(TRAVEL);
    const document = toDocument(model);
    expect(document.schema.properties.companions?.["x-column-order"]).toEqual(["name", "department", "phone"]);
    // PostgreSQL's jsonb hands the columns back sorted by key length, then bytes.
    const stored = structuredClone(document);
    const items = stored.schema.properties.companions?.items as { properties: Record<string, FieldSchema> };
    items.properties = Object.fromEntries(Object.entries(items.properties).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1)));
    expect(Object.keys(items.properties)).toEqual(["name", "phone", "department"]);
    expect(Object.keys(columnsOf(fromDocument(stored).fields.companions))).toEqual(["name", "department", "phone"]);
  });
});
