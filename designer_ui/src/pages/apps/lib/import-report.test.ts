import { describe, expect, it } from "vitest";

import { importIsClean, readImportReport } from "./import-report";

describe("readImportReport", () => {
  it("reads the server's report", () => {
    const report = readImportReport({
      key: "leave-2",
      requested_key: "leave",
      key_changed: true,
      unmapped: [{ kind: "user", value: "gm", where: "node gm: assignees" }, "junk"],
      visibility_restricted_to_importer: true,
      dictionary: {
        reused: ["expense_type"],
        missing_codes: [{ entry: "level", codes: ["D"], added: [] }],
        label_differences: [{ entry: "level", code: "A", file: {}, local: {} }],
      },
      verification: { errors: 1, warnings: 2 },
    });
    expect(report.keyChanged).toBe(true);
    expect(report.key).toBe("leave-2");
    expect(report.unmapped).toEqual([{ kind: "user", value: "gm", where: "node gm: assignees" }]);
    expect(report.dictionary.missingCodes).toEqual([{ entry: "level", codes: ["D"], added: [] }]);
    expect(report.dictionary.labelDifferences).toEqual([{ entry: "level", code: "A" }]);
    expect(report.errors).toBe(1);
    expect(report.warnings).toBe(2);
    expect(importIsClean(report)).toBe(false);
  });

  it("survives an empty or odd report", () => {
    const report = readImportReport(null);
    expect(report.unmapped).toEqual([]);
    expect(report.dictionary.reused).toEqual([]);
    expect(importIsClean(report)).toBe(true);
    expect(importIsClean(readImportReport({ dictionary: { missing_codes: [{ entry: "a", codes: ["x"], added: ["x"] }] } }))).toBe(true);
  });
});
