import { ApiError } from "../../../api/errors";
import { fieldErrors, inUseCount, isInUse } from "./errors";
import { usageLines } from "./usage";

describe("server refusals", () => {
  it("puts a dictionary error next to the field it names", () => {
    const error = new ApiError(400, { code: "dictionary_key_taken", message: "已存在", details: { field: "key", key: "x" } });
    expect(fieldErrors(error, ["key", "name"])).toEqual([{ name: "key", errors: ["已存在"] }]);
    expect(fieldErrors(error, ["name"])).toEqual([]);
  });

  it("reads DRF validation details", () => {
    const error = new ApiError(400, { code: "validation_failed", message: "?", details: { name: ["必填"], other: ["x"] } });
    expect(fieldErrors(error, ["name"])).toEqual([{ name: "name", errors: ["必填"] }]);
  });

  it("ignores what is not an ApiError", () => {
    expect(fieldErrors(new Error("boom"), ["key"])).toEqual([]);
  });

  it("recognises the in-use guard and its count", () => {
    const error = new ApiError(400, { code: "dictionary_in_use", message: "在用", details: { field: "", count: 2 } });
    expect(isInUse(error)).toBe(true);
    expect(inUseCount(error)).toBe(2);
    expect(isInUse(new ApiError(400, { code: "dictionary_code_taken", message: "" }))).toBe(false);
    expect(inUseCount(new Error("x"))).toBeNull();
  });
});

describe("usage lines", () => {
  it("lists the sources with uses, largest first", () => {
    expect(usageLines({ records: 3, definitions: 5, other: 0 })).toEqual([
      { source: "definitions", count: 5 },
      { source: "records", count: 3 },
    ]);
    expect(usageLines(undefined)).toEqual([]);
  });
});
