import type { TFunction } from "i18next";

import i18n, { initI18n } from "../../i18n";
import { DICTIONARY, testModel } from "./conditions.fixture";
import { describeRule } from "./describe";

initI18n("zh-Hans");

const model = testModel();
const v = (key: string) => ({ var: `form.${key}` });
const some = (key: string, codes: string[]) => ({ some: [v(key), { in: [{ var: "" }, codes] }] });

// [rule, 中文, English]: every operator the builder writes, and common hand-written forms.
const READINGS: [unknown, string, string][] = [
  [{ "==": [v("amount"), 5000] }, "金额 = 5000", "Amount = 5000"],
  [{ "!=": [v("amount"), 5000] }, "金额 ≠ 5000", "Amount ≠ 5000"],
  [{ "<": [v("amount"), 5000] }, "金额 < 5000", "Amount < 5000"],
  [{ "<=": [v("fee"), 99.5] }, "费用 ≤ 99.5", "Fee ≤ 99.5"],
  [{ ">": [v("total"), 5000] }, "合计 > 5000", "Total > 5000"],
  [{ ">=": [v("amount"), 5000] }, "金额 ≥ 5000", "Amount ≥ 5000"],
  [{ "<=": [1000, v("amount"), 5000] }, "金额 介于 1000 和 5000", "Amount between 1000 and 5000"],
  [{ "<": [1000, v("amount"), 5000] }, "1000 < 金额 < 5000", "1000 < Amount < 5000"],
  [{ ">": [5000, v("amount")] }, "金额 < 5000", "Amount < 5000"],
  [{ "<=": ["2025-10-01", v("day"), "2025-10-07"] }, "日期 介于 2025-10-01 和 2025-10-07", "Date between 2025-10-01 and 2025-10-07"],
  [{ "<": [v("day"), "2025-10-01"] }, "日期 < 2025-10-01", "Date < 2025-10-01"],
  [{ "==": [v("title"), "采购"] }, '标题 = "采购"', 'Title = "采购"'],
  [{ "==": [v("level"), "007"] }, "客户等级 = 特殊", "Customer level = Special"],
  [{ "!=": [v("channel"), "web"] }, "渠道 ≠ 网站", "Channel ≠ Website"],
  [{ "==": [v("city"), "sh"] }, "城市 = 上海", "City = Shanghai"],
  [{ "==": [v("city"), "gz"] }, '城市 = "gz"', 'City = "gz"'],
  [{ in: [v("level"), ["A", "B"]] }, "客户等级 属于 重要、普通", "Customer level is one of Key, Regular"],
  [{ "!": { in: [v("city"), ["bj", "sh"]] } }, "城市 不属于 北京、上海", "City is not one of Beijing, Shanghai"],
  [some("tags", ["air", "hotel"]), "费用类型 包含任一 机票、酒店", "Expense types includes any of Air ticket, Hotel"],
  [{ "!": some("extras", ["wifi"]) }, "附加服务 不含任一 无线网", "Extras includes none of Wi-Fi"],
  [{ in: ["采购", v("title")] }, '标题 包含 "采购"', 'Title contains "采购"'],
  [{ "!": { in: ["采购", v("note")] } }, '备注 不包含 "采购"', 'Note does not contain "采购"'],
  [{ missing: ["form.title"] }, "标题 为空", "Title is empty"],
  [{ "!": { missing: ["form.amount"] } }, "金额 已填写", "Amount is filled in"],
  [{ "!": { var: ["form.tags", null] } }, "费用类型 为空", "Expense types is empty"],
  [{ "!!": { var: ["form.members", null] } }, "成员 已填写", "Members is filled in"],
  [{ "==": [v("title"), null] }, "标题 为空", "Title is empty"],
  [{ "!=": [v("title"), null] }, "标题 已填写", "Title is filled in"],
  [{ "==": [v("urgent"), true] }, "加急 已勾选", "Urgent is checked"],
  [{ "==": [v("urgent"), false] }, "加急 未勾选", "Urgent is not checked"],
  [{ "!!": v("urgent") }, "加急 已勾选", "Urgent is checked"],
  [{ and: [{ ">": [v("amount"), 5000] }, { "==": [v("urgent"), true] }] }, "金额 > 5000 并且 加急 已勾选", "Amount > 5000 and Urgent is checked"],
  [
    { and: [{ ">": [v("amount"), 5000] }, { or: [{ "==": [v("level"), "A"] }, some("tags", ["air"])] }] },
    "金额 > 5000 并且 (客户等级 = 重要 或者 费用类型 包含任一 机票)",
    "Amount > 5000 and (Customer level = Key or Expense types includes any of Air ticket)",
  ],
  [
    { or: [{ and: [{ ">": [v("amount"), 1] }, { "<": [v("amount"), 9] }] }, { "==": [v("level"), "B"] }] },
    "(金额 > 1 并且 金额 < 9) 或者 客户等级 = 普通",
    "(Amount > 1 and Amount < 9) or Customer level = Regular",
  ],
  [{ and: [{ "==": [v("level"), "B"] }] }, "客户等级 = 普通", "Customer level = Regular"],
  [
    { "!": { or: [{ ">": [v("amount"), 5000] }, { "==": [v("urgent"), true] }] } },
    "非 (金额 > 5000 或者 加急 已勾选)",
    "not (Amount > 5000 or Urgent is checked)",
  ],
  [{ "!": { and: [{ ">": [v("amount"), 5000] }] } }, "非 (金额 > 5000)", "not (Amount > 5000)"],
  [{ "==": [v("amount"), v("fee")] }, "金额 = 费用", "Amount = Fee"],
  [{ ">": [{ var: "form.items.price" }, 1] }, "items.price > 1", "items.price > 1"],
  [{ "==": [v("gone"), 1] }, "gone = 1", "gone = 1"],
  [{ "==": [{ var: "initiator.department" }, "d1"] }, 'initiator.department = "d1"', 'initiator.department = "d1"'],
  [{ "+": [1, 2] }, '{"+":[1,2]}', '{"+":[1,2]}'],
  [{ ">": [{ "+": [v("amount"), 1] }, 2] }, '{"+":[{"var":"form.amount"},1]} > 2', '{"+":[{"var":"form.amount"},1]} > 2'],
];

function tFor(language: "zh-Hans" | "en"): TFunction {
  return i18n.getFixedT(language, "designer");
}

describe.each(READINGS)("%j", (rule, zh, en) => {
  it("reads in Chinese", () => {
    expect(describeRule(rule, model, tFor("zh-Hans"), DICTIONARY)).toBe(zh);
  });
  it("reads in English", () => {
    expect(describeRule(rule, model, tFor("en"), DICTIONARY)).toBe(en);
  });
});

describe("describeRule on odd input", () => {
  const t = tFor("zh-Hans");

  it("reads nothing for no rule", () => {
    expect(describeRule(undefined, model, t)).toBe("");
    expect(describeRule(null, model, t)).toBe("");
  });

  it("shows dictionary codes when no snapshot is given", () => {
    expect(describeRule({ "==": [v("city"), "sh"] }, model, t)).toBe('城市 = "sh"');
  });

  it("never throws and stays short", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: unknown = { ">": [v("amount"), 1] };
    for (let i = 0; i < 200; i += 1) deep = { "!": deep };
    const odd: unknown[] = [true, 0, "text", [1, 2], { a: 1, b: 2 }, {}, { var: 5 }, { missing: [1] }, { in: [] }, { "<=": [] }, { some: [] }, { "!": [] }, { "==": [{ var: {} }, BigInt(1)] }, cyclic, deep, { and: "x" }, { or: [] }];
    for (const rule of odd) {
      const text = describeRule(rule, model, t, DICTIONARY);
      expect(typeof text).toBe("string");
      expect(text.length).toBeLessThanOrEqual(160);
    }
    const long = { and: Array.from({ length: 40 }, (_, i) => ({ ">": [v("amount"), i] })) };
    const text = describeRule(long, model, t, DICTIONARY, 40);
    expect(text).toHaveLength(40);
    expect(text.endsWith("…")).toBe(true);
    expect(describeRule({ "+": Array.from({ length: 100 }, (_, i) => i) }, model, t, {}, 20)).toBe('{"+":[0,1,2,3,4,5,6…');
  });

  it("follows the current language when t has none of its own", async () => {
    await i18n.changeLanguage("en");
    expect(describeRule({ "==": [v("level"), "A"] }, model, i18n.getFixedT(null, "designer"))).toBe("Customer level = Key");
    await i18n.changeLanguage("zh-Hans");
    expect(describeRule({ "==": [v("level"), "A"] }, model, i18n.getFixedT(null, "designer"))).toBe("客户等级 = 重要");
  });
});
