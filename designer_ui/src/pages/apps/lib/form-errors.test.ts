import { describe, expect, it } from "vitest";

import { ApiError } from "../../../api/errors";
import { fieldErrors } from "./form-errors";

describe("fieldErrors", () => {
  it("maps DRF validation details to known fields", () => {
    const error = new ApiError(400, {
      code: "validation_failed",
      message: "数据无效",
      details: { name: ["该字段不能为空。"], other: ["x"] },
    });
    expect(fieldErrors(error, ["name", "key"])).toEqual([{ name: "name", errors: ["该字段不能为空。"] }]);
  });

  it("puts a key refusal on the key field with the server's sentence", () => {
    const error = new ApiError(400, { code: "app_key_invalid", message: "键“leave”已被占用", details: { key: "leave" } });
    expect(fieldErrors(error, ["key"])).toEqual([{ name: "key", errors: ["键“leave”已被占用"] }]);
    expect(fieldErrors(error, ["name"])).toEqual([]);
  });

  it("ignores other errors", () => {
    expect(fieldErrors(new Error("x"), ["name"])).toEqual([]);
  });
});
