import { MAX_DEPTH, MAX_NODES, MAX_STRING_LENGTH, RuleError, checkRule, evaluateRule } from "./index";

// The error table of tests/unit/rules/test_check.py (the cases JSON can express).
const ERROR_TABLE: [string, unknown, string, string][] = [
  ["unknown operator at the top", { foo: [1] }, "unknown_operator", "$"],
  ["unknown operator deep inside", { and: [1, { ">": [{ bar: 1 }, 1] }] }, "unknown_operator", "$.and[1].>[0]"],
  ["qubit's method is not an operator", { method: ["abc", "upper"] }, "unknown_operator", "$"],
  ["log is not an operator", { log: "x" }, "unknown_operator", "$"],
  ["== needs two", { "==": [1] }, "arity", "$"],
  ["and needs one", { and: [] }, "arity", "$"],
  ["! takes one", { "!": [1, 2] }, "arity", "$"],
  ["?: takes three", { "?:": [1, 2] }, "arity", "$"],
  ["> takes two", { ">": [1, 2, 3] }, "arity", "$"],
  ["/ takes two", { or: [{ "/": [1] }] }, "arity", "$.or[0]"],
  ["var takes at most two", { var: ["a", 1, 2] }, "arity", "$"],
  ["today takes none", { today: [1] }, "arity", "$"],
  ["date_add takes three", { date_add: ["2025-01-01", 1] }, "arity", "$"],
  ["map takes two", { map: [[1]] }, "arity", "$"],
  ["a Set is not JSON", { if: [{ var: "x" }, { "+": [1, new Set([1, 2])] }] }, "not_json", "$.if[1].+[1]"],
  ["a Date is not JSON", { "==": [{ var: "d" }, new Date(0)] }, "not_json", "$.==[1]"],
  ["undefined is not JSON", { cat: [undefined] }, "not_json", "$.cat[0]"],
  ["an object with two keys", { a: 1, b: 2 }, "not_operator_object", "$"],
  ["an empty object", { and: [{}] }, "not_operator_object", "$.and[0]"],
  ["NaN", { var: NaN }, "number_out_of_range", "$.var"],
  ["infinity", { "+": [1, Infinity] }, "number_out_of_range", "$.+[1]"],
  ["an integer beyond 2^53", { "+": [2 ** 53] }, "number_out_of_range", "$.+[0]"],
  ["an over-long text", { cat: ["x".repeat(MAX_STRING_LENGTH + 1)] }, "string_too_long", "$.cat[0]"],
  ["a boolean var path", { var: true }, "bad_var_path", "$.var"],
  ["a float var path", { var: [1.5] }, "bad_var_path", "$.var[0]"],
  ["an unknown date unit", { date_add: ["2025-01-01", 1, "weeks"] }, "bad_unit", "$.date_add[2]"],
  ["a numeric sum column", { sum: [{ var: "x" }, 3] }, "bad_column", "$.sum[1]"],
  ["a rule as reduce's initial value", { reduce: [[1], { var: "current" }, { var: "x" }] }, "bad_initial", "$.reduce[2]"],
];

function nested(depth: number): unknown {
  let rule: unknown = { var: "x" };
  for (let i = 0; i < depth - 1; i += 1) rule = { "!": [rule] };
  return rule;
}

describe("checkRule", () => {
  it.each(ERROR_TABLE)("%s", (_name, rule, reason, path) => {
    const first = checkRule(rule)[0];
    expect(first?.code).toBe("rule_invalid");
    expect(first?.reason).toBe(reason);
    expect(first?.path).toBe(path);
    expect(first?.message).toContain(reason === "too_many_nodes" ? "" : path);
  });

  it.each(ERROR_TABLE)("evaluateRule refuses: %s", (_name, rule, reason, path) => {
    try {
      evaluateRule(rule, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleError);
      expect((error as RuleError).code).toBe("rule_invalid");
      expect((error as RuleError).reason).toBe(reason);
      expect((error as RuleError).path).toBe(path);
    }
  });

  it("names the unknown operator and the expected arity", () => {
    expect(checkRule({ and: [{ bogus_op: 1 }] })[0]?.details.operator).toBe("bogus_op");
    const arity = checkRule({ substr: ["abc"] })[0];
    expect(arity?.details.expected).toBe("2–3");
    expect(arity?.details.count).toBe(1);
  });

  it("limits nesting depth", () => {
    expect(checkRule(nested(MAX_DEPTH))).toEqual([]);
    const problem = checkRule(nested(MAX_DEPTH + 1))[0];
    expect(problem?.reason).toBe("too_deep");
    expect(problem?.path.startsWith("$.![0]")).toBe(true);
  });

  it("limits the number of nodes", () => {
    expect(checkRule({ "+": Array<number>(MAX_NODES - 1).fill(1) })).toEqual([]);
    const problems = checkRule({ "+": Array<number>(MAX_NODES).fill(1) });
    expect(problems.map((p) => p.reason)).toEqual(["too_many_nodes"]);
    expect(problems[0]?.details.limit).toBe(MAX_NODES);
  });

  it("counts text length in characters, inclusive", () => {
    expect(checkRule({ cat: ["x".repeat(MAX_STRING_LENGTH)] })).toEqual([]);
    expect(checkRule({ cat: ["😀".repeat(MAX_STRING_LENGTH)] })).toEqual([]);
  });

  it("refuses a circular rule instead of crashing", () => {
    const loop: unknown[] = [1];
    loop.push(loop);
    expect(checkRule(loop)[0]?.reason).toBe("too_deep");
  });

  it("accepts literals and leaves dynamic parts to evaluation", () => {
    for (const rule of [null, true, 0, -1.5, "text", [], [1, "a"], { "*": [1e308, 10] }]) {
      expect(checkRule(rule)).toEqual([]);
    }
    expect(checkRule({ date_add: ["2025-01-01", 1, { var: "unit" }] })).toEqual([]);
    expect(checkRule({ var: { cat: ["form.", { var: "field" }] } })).toEqual([]);
  });

  it("lists several problems, the server's first one first", () => {
    const problems = checkRule({ and: [{ foo: 1 }, { "==": [1] }] });
    expect(problems.map((p) => [p.reason, p.path])).toEqual([
      ["unknown_operator", "$.and[0]"],
      ["arity", "$.and[1]"],
    ]);
  });
});
