import { missingVariables, requiredVariables, ruleAnalysis, ruleVariables } from "./index";

const AMOUNT = { ">": [{ var: "form.amount" }, 5000] };

describe("ruleVariables", () => {
  it("lists the seed rules' paths", () => {
    expect(ruleVariables(AMOUNT)).toEqual(["form.amount"]);
    expect(ruleVariables({ var: "urgent" })).toEqual(["urgent"]);
    expect(ruleVariables({ in: [{ var: "form.customer_level" }, ["A", "B"]] })).toEqual(["form.customer_level"]);
    const leave = { days_between: [{ var: "form.start" }, { var: "form.end" }] };
    expect(ruleVariables({ "<=": [leave, 3] })).toEqual(["form.end", "form.start"]);
  });

  it("reports sub-table columns under the table", () => {
    const rule = {
      and: [
        { some: [{ var: "form.items" }, { ">": [{ var: "price" }, 100] }] },
        { ">": [{ sum: [{ var: "form.items" }, "qty"] }, 0] },
        { reduce: [{ var: "form.items" }, { "+": [{ var: "accumulator" }, { var: "current.tax" }] }, 0] },
      ],
    };
    expect(ruleVariables(rule)).toEqual(["form.items", "form.items.price", "form.items.qty", "form.items.tax"]);
  });

  it("includes missing names and defaults, not the whole context", () => {
    const rule = { if: [{ missing: ["form.a", "form.b"] }, { var: "" }, { var: ["form.c", { var: "form.d" }] }] };
    expect(ruleVariables(rule)).toEqual(["form.a", "form.b", "form.c", "form.d"]);
  });

  it("flags dynamic var paths", () => {
    const analysis = ruleAnalysis({ var: { cat: ["form.", { var: "field" }] } });
    expect(analysis.dynamic).toBe(true);
    expect(analysis.reads.map((r) => r.path)).toEqual(["field"]);
    expect(ruleAnalysis(AMOUNT).dynamic).toBe(false);
  });

  it("nested scopes resolve under their arrays; unknown arrays are skipped", () => {
    const rule = { map: [{ var: "form.orders" }, { some: [{ var: "lines" }, { var: "sku" }] }] };
    expect(ruleVariables(rule)).toEqual(["form.orders", "form.orders.lines", "form.orders.lines.sku"]);
    expect(ruleVariables({ map: [{ merge: [[1]] }, { var: "x" }] })).toEqual([]);
  });

  it("does not throw on malformed rules", () => {
    expect(ruleVariables({ a: 1, b: 2 })).toEqual([]);
    expect(ruleVariables({ bogus: [{ var: "x" }] })).toEqual(["x"]);
  });
});

describe("missingVariables", () => {
  it("lists required paths whose value is missing", () => {
    expect(missingVariables(AMOUNT, { form: { amount: 1 } })).toEqual([]);
    expect(missingVariables(AMOUNT, { form: {} })).toEqual(["form.amount"]);
    expect(missingVariables(AMOUNT, {})).toEqual(["form.amount"]);
    expect(missingVariables(AMOUNT, { form: { amount: null } })).toEqual(["form.amount"]);
    expect(missingVariables(AMOUNT, { form: { amount: "" } })).toEqual(["form.amount"]);
    expect(missingVariables(AMOUNT, { form: { amount: 0 } })).toEqual([]);
    expect(missingVariables({ var: "urgent" }, { urgent: false })).toEqual([]);
  });

  it("respects defaults, guards and element scope", () => {
    expect(requiredVariables({ ">": [{ var: ["form.amount", 0] }, 5000] })).toEqual([]);
    expect(missingVariables({ if: [{ missing: ["form.amount"] }, false, true] }, {})).toEqual([]);
    const rows = { some: [{ var: "form.items" }, { ">": [{ var: "price" }, 1] }] };
    expect(missingVariables(rows, { form: { items: [{}] } })).toEqual([]);
    expect(missingVariables(rows, { form: {} })).toEqual(["form.items"]);
  });
});
