import { initI18n } from "../../i18n";
import { evaluateForm, evaluationOrder } from "./evaluate";
import { initialValue } from "./initial";
import { dictionary, form, travelForm } from "./test-forms";

beforeAll(() => {
  initI18n("zh-Hans");
});

describe("evaluateForm", () => {
  it("computes the travel form's days and companion count", () => {
    const result = evaluateForm(travelForm, {
      trip_dates: { start: "2026-12-01", end: "2026-12-03" },
      companions: [{ name: "张三" }, { name: "李四" }],
      days: 99, // a client value for a computed field is ignored
    }, undefined, dictionary);
    expect(result.value.days).toBe(3);
    expect(result.value.companion_count).toBe(2);
  });

  it("leaves days absent while the range is incomplete", () => {
    const result = evaluateForm(travelForm, { trip_dates: { start: "2026-12-01" } });
    expect("days" in result.value).toBe(false);
    expect(result.computeFailed.size).toBe(0);
  });

  it("makes the budget required only for air tickets", () => {
    expect(evaluateForm(travelForm, { expense_type: "train" }).required.has("budget")).toBe(false);
    const air = evaluateForm(travelForm, { expense_type: "air" });
    expect(air.required.has("budget")).toBe(true);
    expect(air.required.has("trip_dates")).toBe(true);
    expect(air.required.has("days")).toBe(false);
  });

  it("marks static columns and row cells required", () => {
    const result = evaluateForm(travelForm, { companions: [{}, { name: "x" }] });
    expect(result.required.has("companions.name")).toBe(true);
    expect(result.required.has("companions.0.name")).toBe(true);
    expect(result.required.has("companions.1.phone")).toBe(false);
    expect(result.visible.has("companions.1.phone")).toBe(true);
  });

  it("hides fields whose rule is false and drops their value", () => {
    const doc = form({
      kind: { "x-type": "select", type: "string", "x-options": [{ code: "a", label: { zh: "A" } }, { code: "b", label: { zh: "B" } }] },
      detail: { "x-type": "text", type: "string", "x-visible-if": { "==": [{ var: "form.kind" }, "b"] } },
      note: { "x-type": "text", type: "string", "x-visible-if": { "!!": [{ var: "form.detail" }] } },
    }, ["detail"]);
    const hidden = evaluateForm(doc, { kind: "a", detail: "keep?", note: "n" });
    expect(hidden.visible.has("detail")).toBe(false);
    expect(hidden.value).toEqual({ kind: "a" }); // note depends on detail: evaluated after it
    expect(hidden.required.has("detail")).toBe(false);
    const shown = evaluateForm(doc, { kind: "b", detail: "x", note: "n" });
    expect(shown.value).toEqual({ kind: "b", detail: "x", note: "n" });
    expect(shown.required.has("detail")).toBe(true);
  });

  it("counts a visibility rule that cannot be evaluated as visible", () => {
    const doc = form({
      amount: { "x-type": "number", type: "number" },
      extra: { "x-type": "text", type: "string", "x-visible-if": { ">": [{ "/": [1, { var: "form.amount" }] }, 0] } },
    });
    const result = evaluateForm(doc, { amount: 0, extra: "x" });
    expect(result.visible.has("extra")).toBe(true);
    expect(result.value.extra).toBe("x");
  });

  it("sums a sub-table column into a computed field (columns computed first)", () => {
    const doc = form({
      items: {
        "x-type": "table",
        type: "array",
        items: {
          type: "object",
          properties: {
            price: { "x-type": "money", type: "number", "x-currency": "CNY" },
            qty: { "x-type": "number", type: "number" },
            subtotal: { "x-type": "computed", type: "number", "x-currency": "CNY", "x-compute": { "*": [{ var: "row.price" }, { var: "row.qty" }] } },
          },
        },
      },
      total: { "x-type": "computed", type: "number", "x-currency": "CNY", "x-compute": { sum: [{ var: "form.items" }, "subtotal"] } },
    });
    const order = evaluationOrder(doc).map((plan) => plan.path);
    expect(order.indexOf("items.subtotal")).toBeLessThan(order.indexOf("total"));
    const result = evaluateForm(doc, { items: [{ price: 10.5, qty: 2 }, { price: 0.1, qty: 3 }] });
    expect((result.value.items as Record<string, unknown>[])[0]?.subtotal).toBe(21);
    expect(result.value.total).toBe(21.3);
  });

  it("a compute that fails leaves the value absent", () => {
    const doc = form({
      a: { "x-type": "number", type: "number" },
      ratio: { "x-type": "computed", type: "number", "x-compute": { "/": [10, { var: "form.a" }] } },
      whole: { "x-type": "computed", type: "integer", "x-compute": { "/": [10, 4] } },
    });
    const result = evaluateForm(doc, { a: 0 });
    expect("ratio" in result.value).toBe(false);
    expect(result.computeFailed.has("ratio")).toBe(true);
    expect("whole" in result.value).toBe(false); // 2.5 is not an integer
  });

  it("rules see the initiator and urgent flag", () => {
    const doc = form({
      why: { "x-type": "text", type: "string", "x-visible-if": { var: "urgent" } },
      dept: { "x-type": "computed", type: "string", "x-compute": { var: "initiator.department" } },
    });
    const result = evaluateForm(doc, { why: "x" }, { urgent: false, initiator: { department: "研发部" } });
    expect(result.visible.has("why")).toBe(false);
    expect(result.value).toEqual({ dept: "研发部" });
  });

  it("drops empty values, unknown keys and client values of computed fields", () => {
    const result = evaluateForm(travelForm, { destination: "", reason: null, companions: [], bogus: 1, notice: "x" });
    expect(result.value).toEqual({ companion_count: 0 });
  });

  it("initialValue applies defaults", () => {
    const doc = form({ n: { "x-type": "number", type: "number", default: 3 }, c: { "x-type": "computed", type: "number", "x-compute": { "*": [{ var: "form.n" }, 2] } } });
    expect(initialValue(doc)).toEqual({ n: 3, c: 6 });
  });
});
