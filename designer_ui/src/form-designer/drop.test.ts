import type { FieldSchema } from "../schema/form";
import type { PaletteEntry } from "./commands";
import { addField } from "./commands";
import { applyDrop } from "./drop";
import { issuePath } from "./issues";
import { columnsOf, fieldOrder, fromDocument } from "./model";

function entry(type: string, columnAllowed = true): PaletteEntry {
  const schema: FieldSchema = { "x-type": type as FieldSchema["x-type"], title: type, "x-label": { zh: type, en: type } };
  if (type === "table") schema.items = { type: "object", properties: {}, required: [] };
  return {
    type,
    label: { zh: type, en: type },
    value_kind: "string",
    schema,
    ui: {},
    capabilities: { keywords: [], column_allowed: columnAllowed, has_value: true, accepts_required_if: true, accepts_default: true },
  };
}

const PALETTE = [entry("text"), entry("money"), entry("table", false), entry("description", false)];

function modelWith(...types: string[]) {
  let model = fromDocument(null);
  const keys: string[] = [];
  for (const type of types) {
    const result = addField(model, entry(type), { sectionId: model.sections[0]?.id ?? "", index: keys.length });
    model = result.model;
    keys.push(result.key);
  }
  return { model, keys };
}

describe("applyDrop", () => {
  it("drops a palette item before or after the field under the pointer", () => {
    const { model, keys } = modelWith("text", "text");
    const sectionId = model.sections[0]?.id ?? "";
    const before = applyDrop(model, { kind: "palette", type: "money" }, { kind: "field", key: keys[1] ?? "", sectionId }, false, PALETTE);
    expect(fieldOrder(before?.model ?? model)).toEqual([keys[0], "money_1", keys[1]]);
    expect(before?.select).toEqual({ key: "money_1" });
    const after = applyDrop(model, { kind: "palette", type: "money" }, { kind: "field", key: keys[1] ?? "", sectionId }, true, PALETTE);
    expect(fieldOrder(after?.model ?? model)).toEqual([keys[0], keys[1], "money_1"]);
  });

  it("drops at the end of a section and moves fields between places", () => {
    const { model, keys } = modelWith("text", "money", "text");
    const sectionId = model.sections[0]?.id ?? "";
    const end = applyDrop(model, { kind: "palette", type: "text" }, { kind: "section", sectionId }, false, PALETTE);
    expect(fieldOrder(end?.model ?? model).at(-1)).toBe("text_3");
    const moved = applyDrop(model, { kind: "field", key: keys[0] ?? "", sectionId }, { kind: "field", key: keys[2] ?? "", sectionId }, true, PALETTE);
    expect(fieldOrder(moved?.model ?? model)).toEqual([keys[1], keys[2], keys[0]]);
    expect(applyDrop(model, { kind: "field", key: keys[0] ?? "", sectionId }, { kind: "field", key: keys[0] ?? "", sectionId }, true, PALETTE)).toBeNull();
  });

  it("drops columns into a sub-table and refuses types that cannot be columns", () => {
    const { model, keys } = modelWith("table");
    const table = keys[0] ?? "";
    const first = applyDrop(model, { kind: "palette", type: "text" }, { kind: "table", table }, false, PALETTE);
    const second = applyDrop(first?.model ?? model, { kind: "palette", type: "money" }, { kind: "column", table, column: "text_1" }, false, PALETTE);
    expect(Object.keys(columnsOf(second?.model.fields[table]))).toEqual(["money_1", "text_1"]);
    expect(second?.select).toEqual({ key: table, column: "money_1" });
    const refused = applyDrop(model, { kind: "palette", type: "description" }, { kind: "table", table }, false, PALETTE);
    expect(refused?.refused).toBe("not_a_column");
    const reordered = applyDrop(second?.model ?? model, { kind: "column", table, column: "money_1" }, { kind: "column", table, column: "text_1" }, true, PALETTE);
    expect(Object.keys(columnsOf(reordered?.model.fields[table]))).toEqual(["text_1", "money_1"]);
  });
});

describe("issuePath", () => {
  it("finds the field a verifier issue points at", () => {
    expect(issuePath({ field: "budget", pointer: null })).toBe("budget");
    expect(issuePath({ field: null, pointer: "/schema/properties/budget/x-required-if" })).toBe("budget");
    expect(issuePath({ field: null, pointer: "/schema/properties/companions/items/properties/phone/pattern" })).toBe("companions.phone");
    expect(issuePath({ field: null, pointer: "/ui_schema/fields/reason" })).toBe("reason");
    expect(issuePath({ field: null, pointer: "/schema" })).toBeNull();
  });
});

import travel from "../../../templates_library/travel/form.json";
import type { FormDocument } from "../schema/form";
import { fieldsReading } from "./references";

describe("fieldsReading", () => {
  it("names the fields whose rules read a field", () => {
    const model = fromDocument(travel as unknown as FormDocument);
    expect(fieldsReading(model, { key: "expense_type" })).toEqual(["预算"]);
    expect(fieldsReading(model, { key: "trip_dates" })).toEqual(["出差天数"]);
    expect(fieldsReading(model, { key: "companions" })).toEqual(["同行人数"]);
    expect(fieldsReading(model, { key: "reason" })).toEqual([]);
  });
});
