import { evaluateRule, truthy } from "../rules";
import { toBuilderRule, toEngineRule, upgradeEmptyChecks } from "./transform";

const MULTI = new Set(["form.tags"]);

describe("multi-valued conditions", () => {
  it("asks whether any chosen code is one of the codes, and round-trips", () => {
    const built = { and: [{ in: [{ var: "form.tags" }, ["air"]] }, { "!": { in: [{ var: "form.tags" }, ["taxi"]] } }] };
    const engine = toEngineRule(built, MULTI);
    expect(engine).toEqual({
      and: [
        { some: [{ var: "form.tags" }, { in: [{ var: "" }, ["air"]] }] },
        { "!": { some: [{ var: "form.tags" }, { in: [{ var: "" }, ["taxi"]] }] } },
      ],
    });
    expect(evaluateRule(engine, { form: { tags: ["air", "hotel"] } })).toBe(true);
    expect(evaluateRule(engine, { form: { tags: ["taxi", "air"] } })).toBe(false);
    expect(evaluateRule(engine, { form: { tags: ["hotel"] } })).toBe(false);
    expect(evaluateRule(built, { form: { tags: ["air"] } })).toBe(false); // why the rewrite exists
    expect(toBuilderRule(engine, MULTI)).toEqual(built);
  });

  it("leaves single-valued fields alone", () => {
    const rule = { in: [{ var: "form.level" }, ["A", "B"]] };
    expect(toEngineRule(rule, MULTI)).toEqual(rule);
    expect(toBuilderRule(rule, MULTI)).toEqual(rule);
    const some = { some: [{ var: "form.level" }, { in: [{ var: "" }, ["A"]] }] };
    expect(toBuilderRule(some, MULTI)).toEqual(some);
  });
});

describe("empty and filled in", () => {
  it("stores 'is empty' so that blank text counts and an edge never fails on missing data", () => {
    const built = { or: [{ "==": [{ var: "form.note" }, null] }, { "!=": [{ var: "form.title" }, null] }] };
    const engine = toEngineRule(built, MULTI);
    expect(engine).toEqual({ or: [{ missing: ["form.note"] }, { "!": { missing: ["form.title"] } }] });
    expect(truthy(evaluateRule(engine, { form: { note: "", title: "" } }))).toBe(true);
    expect(truthy(evaluateRule(engine, { form: { note: "x", title: "" } }))).toBe(false);
    expect(evaluateRule(built, { form: { note: "", title: "" } })).toBe(true); // "" != null
    expect(evaluateRule(built, { form: { note: "", title: null } })).toBe(false); // "" == null is false
    expect(toBuilderRule(engine, MULTI)).toEqual(built);
  });

  it("treats an empty list as empty for multi-valued fields", () => {
    const engine = toEngineRule({ "==": [{ var: "form.tags" }, null] }, MULTI);
    expect(engine).toEqual({ "!": { var: ["form.tags", null] } });
    expect(evaluateRule(engine, { form: { tags: [] } })).toBe(true);
    expect(evaluateRule(engine, { form: {} })).toBe(true);
    expect(evaluateRule(engine, { form: { tags: ["air"] } })).toBe(false);
    expect(toBuilderRule(engine, MULTI)).toEqual({ "==": [{ var: "form.tags" }, null] });
    const filled = toEngineRule({ "!=": [{ var: "form.tags" }, null] }, MULTI);
    expect(filled).toEqual({ "!!": { var: ["form.tags", null] } });
    expect(toBuilderRule(filled, MULTI)).toEqual({ "!=": [{ var: "form.tags" }, null] });
  });

  it("accepts the one-argument and list forms of missing and !", () => {
    expect(toBuilderRule({ missing: "form.note" }, MULTI)).toEqual({ "==": [{ var: "form.note" }, null] });
    expect(toBuilderRule({ "!": [{ missing: ["form.note"] }] }, MULTI)).toEqual({ "!=": [{ var: "form.note" }, null] });
    expect(toBuilderRule({ missing: ["form.a", "form.b"] }, MULTI)).toEqual({ missing: ["form.a", "form.b"] });
  });

  it("upgrades the earlier builder's empty checks without touching lists", () => {
    const rule = { and: [{ "==": [{ var: "form.note" }, null] }, { in: [{ var: "form.tags" }, ["air"]] }] };
    expect(upgradeEmptyChecks(rule, MULTI)).toEqual({ and: [{ missing: ["form.note"] }, { in: [{ var: "form.tags" }, ["air"]] }] });
  });
});
