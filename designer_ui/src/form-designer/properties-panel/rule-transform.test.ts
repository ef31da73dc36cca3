import { evaluateRule } from "../../lib/rules";
import { toBuilderRule, toEngineRule } from "./rule-transform";

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
  });
});
