import jsonLogic from "json-logic-js";

import calendarJson from "./calendar-cn.fixture.json";
import { RuleError, WEEKDAY_CALENDAR, evaluateRule, workCalendarFromJson } from "./index";

function failure(rule: unknown, data: unknown = {}): RuleError {
  try {
    evaluateRule(rule, data);
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("evaluateRule errors", () => {
  it("names the reason, the path and the operator like the server", () => {
    const error = failure({ and: [true, { ">": [{ "/": [{ var: "a" }, 0] }, 1] }] }, { a: 1 });
    expect(error.code).toBe("rule_evaluation_error");
    expect(error.details).toEqual({ reason: "division_by_zero", path: "$.and[1].>[0]", operator: "/" });
  });

  it("places errors inside map at the per-element rule", () => {
    const error = failure({ map: [[1, "x", null], { "+": [{ var: "" }, 1] }] });
    expect([error.reason, error.path, error.operator]).toEqual(["not_a_number", "$.map[1]", "+"]);
    expect(failure({ "+": "abc" }).path).toBe("$");
    expect(failure([1, { "-": [null] }]).path).toBe("$[1]");
  });

  it("does not quote data in messages", () => {
    const secret = "身份证110101199003071234";
    for (const rule of [{ "+": [{ var: "id" }, 1] }, { date_add: [{ var: "id" }, 1, "days"] }, { length: { var: "n" } }]) {
      const error = failure(rule, { id: secret, n: 1234 });
      expect(error.message + JSON.stringify(error.details)).not.toContain("110101");
    }
  });

  it("stops runaway loops with the work budget", () => {
    const inner = Array.from({ length: 1000 }, (_, i) => i);
    const data = { a: Array.from({ length: 1001 }, () => ({ b: inner })) };
    const error = failure({ map: [{ var: "a" }, { map: [{ var: "b" }, 1] }] }, data);
    expect([error.reason, error.path]).toEqual(["too_expensive", "$.map[1]"]);
  });

  it("limits result sizes", () => {
    const big = "x".repeat(600_000);
    expect(failure({ cat: [{ var: "s" }, { var: "s" }] }, { s: big }).reason).toBe("result_too_large");
    const n = Array.from({ length: 30 }, (_, i) => i);
    const doubling = { reduce: [{ var: "n" }, { merge: [{ var: "accumulator" }, { var: "accumulator" }] }, [1]] };
    expect(failure(doubling, { n }).reason).toBe("result_too_large");
    const squaring = { reduce: [{ var: "n" }, { "*": [{ var: "accumulator" }, { var: "accumulator" }] }, 2] };
    expect(failure(squaring, { n }).reason).toBe("number_out_of_range");
  });

  it("bounds calendar spans", () => {
    expect(failure({ add_working_days: ["2025-01-01", 100000] }).reason).toBe("number_out_of_range");
    expect(failure({ working_days_between: ["0001-01-01", "9999-12-31"] }).reason).toBe("number_out_of_range");
    expect(failure({ date_add: ["9999-12-31", 1, "days"] }).reason).toBe("number_out_of_range");
  });

  it("turns unexpected exceptions into `internal` at their node", () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    const error = failure({ "==": [{ var: "a" }, { var: "b" }] }, { a: deep, b: deep });
    expect(error.code).toBe("rule_evaluation_error");
    expect(error.reason).toBe("internal");
  });
});

describe("evaluateRule values", () => {
  it("reads today/now from the top-level context, else the clock in UTC+8", () => {
    expect(evaluateRule({ map: [[1], { now: [] }] }, { now: "2025-10-09T10:30:00+08:00" })).toEqual([
      "2025-10-09T10:30:00+08:00",
    ]);
    expect(evaluateRule({ now: [] }, {})).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(evaluateRule({ today: [] }, [])).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("parses dates like Python (other digits, offsets, impossible times)", () => {
    expect(evaluateRule({ date_add: ["２０２５-10-01", 0, "days"] }, {})).toBe("2025-10-01");
    expect(evaluateRule({ date_add: ["2025-10-01 08:00-00:00", 1, "hours"] }, {})).toBe("2025-10-01T09:00:00Z");
    expect(evaluateRule({ date_add: ["2025-10-01T08:00-05:30", -9, "hours"] }, {})).toBe("2025-09-30T23:00:00-05:30");
    for (const text of ["2025-10-01T24:00", "2025-10-01T08:00+24:00", "2025-10-01T08:00+01:60", "2025-10-01\n"]) {
      expect(failure({ date_add: [text, 1, "days"] }).reason).toBe("invalid_date");
    }
  });

  it("counts characters as code points and compares text by code point", () => {
    expect(evaluateRule({ length: "a😀" }, {})).toBe(2);
    expect(evaluateRule({ substr: ["😀ab", 1] }, {})).toBe("ab");
    expect(evaluateRule({ "<": ["\uffff", "😀"] }, {})).toBe(true);
  });

  it("uses the work calendar it is given", () => {
    const rule = { working_days_between: ["2025-09-27", "2025-10-12"] };
    expect(evaluateRule(rule, {}, { calendar: workCalendarFromJson(calendarJson) })).toBe(6);
    expect(evaluateRule(rule, {}, { calendar: WEEKDAY_CALENDAR })).toBe(10);
    expect(evaluateRule(rule, {})).toBe(10);
    const company = workCalendarFromJson({ holidays: ["2025-09-29"], workdays: ["2025-09-27"], weekend: [6] });
    expect(evaluateRule({ working_days_between: ["2025-09-27", "2025-09-29"] }, {}, { calendar: company })).toBe(1); // Sat worked, Sun off, Mon holiday
  });

  it("refuses malformed calendar JSON", () => {
    expect(() => workCalendarFromJson({ holidays: ["2025-02-30"] })).toThrow(TypeError);
    expect(() => workCalendarFromJson({ holidays: ["2025-10-01"], workdays: ["2025-10-01"] })).toThrow(TypeError);
    expect(() => workCalendarFromJson({ weekend: [7] })).toThrow(TypeError);
  });

  it("runs on json-logic-js, whose stock apply keeps our semantics outside evaluateRule", () => {
    const spy = vi.spyOn(jsonLogic, "apply");
    evaluateRule({ "+": [1, 2] }, {});
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(jsonLogic.apply({ "<": [{ var: "x" }, 5] }, {})).toBe(false);
    expect(jsonLogic.apply({ length: "abc" }, {})).toBe(3);
  });
});
