// The shared vectors (tests/vectors/rules.json) run against json-logic-js with our
// operators, exactly as tests/unit/rules/test_vectors.py runs them against the server.
// The server's default calendar knows the statutory holidays; the fixture is that
// calendar in the JSON form the server sends (generated from `chinesecalendar`).

import calendarJson from "./calendar-cn.fixture.json";
import rawVectors from "../../../../tests/vectors/rules.json";
import { RuleError, evaluateRule, workCalendarFromJson } from "./index";

interface Vector {
  name: string;
  rule: unknown;
  data: unknown;
  expected?: unknown;
  error?: string;
}

const vectors = rawVectors as unknown as Vector[];
const calendar = workCalendarFromJson(calendarJson);

function outcome(vector: Vector): { ok: true; value: unknown } | { ok: false; error: RuleError } {
  try {
    return { ok: true, value: evaluateRule(vector.rule, vector.data, { calendar }) };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, error };
    throw error;
  }
}

describe("tests/vectors/rules.json", () => {
  it("has the vectors", () => {
    expect(vectors.length).toBeGreaterThanOrEqual(150);
  });

  for (const vector of vectors) {
    it(vector.name, () => {
      const got = outcome(vector);
      if (vector.error !== undefined) {
        expect(got.ok ? { value: got.value } : got.error.code).toBe(vector.error);
      } else {
        expect(got.ok ? got.value : `${got.error.code}: ${got.error.reason}`).toEqual(vector.expected);
      }
    });
  }
});
