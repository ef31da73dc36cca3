import { describe, expect, it } from "vitest";

import { copyKey, keyProblem, slugify, suggestKey } from "./app-key";

describe("keyProblem", () => {
  it("accepts what the server accepts", () => {
    expect(keyProblem("leave")).toBeNull();
    expect(keyProblem("purchase_2024-v2")).toBeNull();
    expect(keyProblem("ab")).toBeNull();
  });

  it("refuses what the server refuses", () => {
    expect(keyProblem("")).toBe("empty");
    expect(keyProblem("a")).toBe("pattern");
    expect(keyProblem("1leave")).toBe("pattern");
    expect(keyProblem("Leave")).toBe("pattern");
    expect(keyProblem("请假")).toBe("pattern");
    expect(keyProblem("-leave")).toBe("pattern");
    expect(keyProblem("a".repeat(65))).toBe("pattern");
    expect(keyProblem("import")).toBe("reserved");
    expect(keyProblem("new")).toBe("reserved");
  });
});

describe("suggestKey", () => {
  it("prefers the English name", () => {
    expect(suggestKey("请假申请", "Leave request")).toBe("leave-request");
    expect(suggestKey("x", "  Purchase  Approval (2024) ")).toBe("purchase-approval-2024");
  });

  it("translates common Chinese office words", () => {
    expect(suggestKey("请假申请")).toBe("leave-request");
    expect(suggestKey("会议室预订")).toBe("meeting-room-booking");
    expect(suggestKey("采购审批")).toBe("purchase-approval");
  });

  it("keeps ASCII parts of a Chinese name and strips accents", () => {
    expect(suggestKey("IT 设备报修")).toBe("it");
    expect(suggestKey("Café 预约")).toBe("cafe");
  });

  it("always returns a valid key for a non-empty name", () => {
    for (const name of ["张三的表单", "2024 年度", "新", "x", "import", "！！！", "a".repeat(100)]) {
      const key = suggestKey(name);
      expect(keyProblem(key), `${name} → ${key}`).toBeNull();
    }
    expect(suggestKey("2024 年度")).toBe("app-2024");
    expect(suggestKey("import")).toBe("import-app");
  });

  it("is stable for the same name and empty for an empty name", () => {
    expect(suggestKey("张三的表单")).toBe(suggestKey("张三的表单"));
    expect(suggestKey("   ")).toBe("");
  });

  it("slugifies", () => {
    expect(slugify("Hello, World!")).toBe("hello-world");
  });
});

describe("copyKey", () => {
  it("adds -copy and a number when taken", () => {
    expect(copyKey("leave")).toBe("leave-copy");
    expect(copyKey("leave", ["leave-copy"])).toBe("leave-copy-2");
    expect(copyKey("leave", ["leave-copy", "leave-copy-2"])).toBe("leave-copy-3");
    expect(keyProblem(copyKey("a".repeat(64)))).toBeNull();
  });
});
