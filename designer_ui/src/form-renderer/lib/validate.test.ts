import i18n, { initI18n } from "../../i18n";
import type { DictionarySnapshot, FormDocument } from "../../schema/form";
import server from "./server-cases.fixture.json";
import { dictionary, travelForm } from "./test-forms";
import { decimalPlacesOf, validateForm } from "./validate";

// server-cases.fixture.json: the server's validate_submission verdicts on one form with a
// field of every checked kind, written from runtime.forms itself and kept honest by
// tests/unit/forms/test_renderer_server_cases.py (which also regenerates it).
const serverForm = server.form as unknown as FormDocument;
const serverDictionary = server.dictionary as unknown as DictionarySnapshot;

beforeAll(() => {
  initI18n("zh-Hans");
});
afterEach(async () => {
  await i18n.changeLanguage("zh-Hans");
});

describe("validateForm matches the server", () => {
  for (const item of server.cases) {
    it(item.name, () => {
      const issues = validateForm(serverForm, item.data as Record<string, unknown>, { dictionary: serverDictionary });
      expect(issues.map(({ pointer, field, code, params }) => ({ pointer, field, code, params }))).toEqual(item.issues);
    });
  }

  it("covers every code the brief names", () => {
    const codes = new Set(server.cases.flatMap((item) => item.issues.map((issue) => issue.code)));
    for (const code of [
      "required", "invalid_type", "min_value", "max_value", "min_value_exclusive", "max_value_exclusive", "min_length",
      "max_length", "invalid_format", "invalid_date", "invalid_email", "invalid_choice", "choice_disabled", "min_items",
      "max_items", "min_rows", "max_rows", "duplicate_items", "invalid_number", "invalid_precision", "date_range_order",
      "date_range_too_long", "file_type_not_allowed", "file_too_large",
    ]) {
      if (code === "min_items") continue; // below
      expect(codes, code).toContain(code);
    }
    const doc = { ...serverForm, schema: { ...serverForm.schema, properties: { ...serverForm.schema.properties } } };
    doc.schema.properties.tags = { ...(doc.schema.properties.tags as FormDocument["schema"]["properties"][string]), minItems: 2 };
    const issues = validateForm(doc, { name: "ab", items: [{ title: "a" }, { title: "b" }], tags: ["A"] });
    expect(issues.map((i) => [i.pointer, i.code, i.params])).toEqual([["/tags", "min_items", { limit: 2 }]]);
  });
});

describe("validateForm on the travel form", () => {
  const base = { trip_dates: { start: "2026-12-01", end: "2026-12-03" }, destination: "上海", expense_type: "train" };

  it("accepts a complete request", () => {
    expect(validateForm(travelForm, base, { dictionary })).toEqual([]);
  });

  it("requires the budget for air tickets, in Chinese", () => {
    const issues = validateForm(travelForm, { ...base, expense_type: "air" }, { dictionary });
    expect(issues).toEqual([
      { pointer: "/budget", field: "budget", code: "required", message: "此项为必填项。", params: {} },
    ]);
  });

  it("translates messages with their parameters", async () => {
    await i18n.changeLanguage("en");
    const issues = validateForm(travelForm, { ...base, trip_dates: { start: "2026-01-01", end: "2026-12-31" } }, { dictionary });
    expect(issues[0]).toMatchObject({ pointer: "/trip_dates/end", code: "date_range_too_long", message: "The range may span at most 90 days." });
    await i18n.changeLanguage("zh-Hans");
    expect(validateForm(travelForm, { ...base, expense_type: "taxi" }, { dictionary })[0]?.message).toBe("选项“taxi”已不可用，请选择其他选项。");
  });

  it("points into sub-table rows", () => {
    const issues = validateForm(travelForm, { ...base, companions: [{ name: "张三", phone: "123" }, { phone: "13800138000" }] }, { dictionary });
    // Sorted like the server: by field position (name before phone), then pointer.
    expect(issues.map((i) => [i.pointer, i.field, i.code])).toEqual([
      ["/companions/1/name", "companions.name", "required"],
      ["/companions/0/phone", "companions.phone", "invalid_format"],
    ]);
  });

  it("does not require hidden or read-only fields", () => {
    expect(validateForm(travelForm, { ...base, destination: undefined }, { dictionary, fieldRights: { destination: "read_only" } })).toEqual([]);
    expect(validateForm(travelForm, { ...base, expense_type: "air" }, { dictionary, fieldRights: { budget: "hidden" } })).toEqual([]);
  });

  it("allows a disabled option that was already stored", () => {
    expect(validateForm(travelForm, { ...base, expense_type: "taxi" }, { dictionary, previous: { expense_type: "taxi" } })).toEqual([]);
  });
});

describe("decimalPlacesOf", () => {
  it("counts decimals as typed", () => {
    expect(decimalPlacesOf(0.07)).toBe(2);
    expect(decimalPlacesOf(12)).toBe(0);
    expect(decimalPlacesOf(1.5e-7)).toBe(8);
    expect(decimalPlacesOf(1.234)).toBe(3);
  });
});
