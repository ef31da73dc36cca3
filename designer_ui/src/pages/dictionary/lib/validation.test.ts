import { entryKeyProblem, optionCodeProblem, suggestEntryKey, suggestOptionCode } from "./validation";

describe("entry keys (the server's rule)", () => {
  it("accepts lower-case ASCII starting with a letter", () => {
    for (const key of ["expense_type", "a", "region2", "x".repeat(64)]) expect(entryKeyProblem(key)).toBeNull();
  });

  it("refuses empty, upper-case, digits first, dashes, Chinese and too long keys", () => {
    expect(entryKeyProblem("")).toBe("empty");
    for (const key of ["Expense", "1type", "expense-type", "费用", "_x", "a b", "x".repeat(65)]) {
      expect(entryKeyProblem(key)).toBe("pattern");
    }
  });

  it("refuses a key already taken", () => {
    expect(entryKeyProblem("region", ["region", "currency"])).toBe("taken");
  });

  it("suggests a key from the English name", () => {
    expect(suggestEntryKey("Expense type")).toBe("expense_type");
    expect(suggestEntryKey("  Café  Level!")).toBe("cafe_level");
    expect(suggestEntryKey("2024 budget")).toBe("d_2024_budget");
    expect(suggestEntryKey("费用")).toBe("");
    expect(suggestEntryKey("a".repeat(80))).toHaveLength(64);
  });
});

describe("option codes (the server's rule)", () => {
  it("accepts letters, digits, _ . - starting with a letter, digit or _", () => {
    for (const code of ["air", "A", "CNY", "r_and_d", "1", "_x", "v1.2-b"]) expect(optionCodeProblem(code)).toBeNull();
  });

  it("refuses empty, bad characters, a leading dot or dash and too long codes", () => {
    expect(optionCodeProblem("")).toBe("empty");
    for (const code of [".x", "-x", "a b", "机票", "a/b", "x".repeat(65)]) expect(optionCodeProblem(code)).toBe("pattern");
  });

  it("refuses the reserved code and a code already in the entry", () => {
    expect(optionCodeProblem("reorder")).toBe("reserved");
    expect(optionCodeProblem("air", ["air", "train"])).toBe("taken");
    expect(optionCodeProblem("Air", ["air"])).toBeNull(); // codes are case-sensitive
  });

  it("suggests a free code from the English label", () => {
    expect(suggestOptionCode("Air ticket")).toBe("air_ticket");
    expect(suggestOptionCode("Hotel", ["hotel"])).toBe("hotel_2");
    expect(suggestOptionCode("Hotel", ["hotel", "hotel_2"])).toBe("hotel_3");
    expect(suggestOptionCode("Reorder")).toBe("");
    expect(suggestOptionCode("酒店")).toBe("");
  });
});
