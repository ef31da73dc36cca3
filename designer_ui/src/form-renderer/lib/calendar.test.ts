import { workCalendarFromJson } from "../../lib/rules";
import type { FormDocument } from "../../schema/form";
import { evaluateForm } from "./evaluate";

const LEAVE: FormDocument = {
  schema_version: 1,
  schema: {
    type: "object",
    properties: {
      period: { "x-type": "date_range", type: "object", "x-label": { zh: "请假日期" } },
      days: {
        "x-type": "computed",
        type: "integer",
        readOnly: true,
        "x-label": { zh: "工作日天数" },
        "x-compute": { working_days_between: [{ var: "form.period.start" }, { var: "form.period.end" }] },
      },
    },
  },
  ui_schema: { order: ["period", "days"] },
};

describe("working-day rules with the served calendar", () => {
  const value = { period: { start: "2026-09-28", end: "2026-10-12" } };

  it("counts Monday to Friday without a calendar", () => {
    expect(evaluateForm(LEAVE, value).value.days).toBe(11);
  });

  it("follows the company calendar (国庆 2026 holidays, make-up Saturday) once it is loaded", () => {
    const calendar = workCalendarFromJson({
      holidays: ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"],
      workdays: ["2026-10-10"],
    });
    expect(evaluateForm(LEAVE, value, undefined, undefined, calendar).value.days).toBe(7);
  });
});
