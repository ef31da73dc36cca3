import { appName, favoriteApps, groupByCategory, matchesSearch, recentApps, searchApps, toggleFavorite } from "./portal";

const leave = { key: "leave", name: "请假申请", name_en: "Leave request", category: "人事" };
const travel = { key: "travel", name: "差旅申请", name_en: "Business trip", category: "行政" };
const purchase = { key: "purchase", name: "采购申请", name_en: "", category: "财务" };
const misc = { key: "misc", name: "杂项", name_en: "Misc", category: "" };
const seal = { key: "seal", name: "用章申请", name_en: "Seal", category: null };
const car = { key: "car", name: "用车申请", name_en: "Car", category: "行政" };
const APPS = [leave, travel, purchase, misc, seal, car];

describe("appName", () => {
  it("uses the English name in English when there is one", () => {
    expect(appName(leave, "en")).toBe("Leave request");
    expect(appName(purchase, "en")).toBe("采购申请");
    expect(appName(leave, "zh-Hans")).toBe("请假申请");
  });
});

describe("search", () => {
  it("finds apps by Chinese name, English name, category and key, ignoring case and width", () => {
    expect(searchApps(APPS, "请假").map((app) => app.key)).toEqual(["leave"]);
    expect(searchApps(APPS, "LEAVE").map((app) => app.key)).toEqual(["leave"]);
    expect(searchApps(APPS, "ｔｒｉｐ").map((app) => app.key)).toEqual(["travel"]);
    expect(searchApps(APPS, "行政").map((app) => app.key)).toEqual(["travel", "car"]);
    expect(searchApps(APPS, "purchase").map((app) => app.key)).toEqual(["purchase"]);
  });

  it("needs every word, and an empty query matches everything", () => {
    expect(searchApps(APPS, "  申请   行政 ").map((app) => app.key)).toEqual(["travel", "car"]);
    expect(searchApps(APPS, "").length).toBe(APPS.length);
    expect(matchesSearch(seal, "   ")).toBe(true);
    expect(searchApps(APPS, "报销")).toEqual([]);
  });
});

describe("groupByCategory", () => {
  it("sorts categories, keeps the apps' order inside one and puts uncategorised apps last", () => {
    const groups = groupByCategory(APPS);
    expect(groups.map((group) => group.category)).toEqual(["财务", "人事", "行政", null]);
    expect(groups[2]?.apps.map((app) => app.key)).toEqual(["travel", "car"]);
    expect(groups[3]?.apps.map((app) => app.key)).toEqual(["misc", "seal"]);
  });

  it("has no 'other' group when every app has a category, and no groups for no apps", () => {
    expect(groupByCategory([leave, travel]).map((group) => group.category)).toEqual(["人事", "行政"]);
    expect(groupByCategory([])).toEqual([]);
  });

  it("treats a blank category as none", () => {
    expect(groupByCategory([{ ...leave, category: "  " }])).toEqual([{ category: null, apps: [{ ...leave, category: "  " }] }]);
  });
});

describe("favourites", () => {
  it("lists startable favourites in starring order", () => {
    expect(favoriteApps(["travel", "gone", "leave"], APPS).map((app) => app.key)).toEqual(["travel", "leave"]);
  });

  it("toggles without duplicates", () => {
    expect(toggleFavorite(["a"], "b", true)).toEqual(["a", "b"]);
    expect(toggleFavorite(["a", "b"], "b", true)).toEqual(["a", "b"]);
    expect(toggleFavorite(["a", "b"], "a", false)).toEqual(["b"]);
    expect(toggleFavorite([], "a", false)).toEqual([]);
  });
});

describe("recentApps", () => {
  it("merges requests and drafts, newest first, distinct, startable only, limited", () => {
    const requests = [
      { app: { key: "leave" }, created_at: "2026-01-03T10:00:00Z" },
      { app: { key: "travel" }, created_at: "2026-01-02T10:00:00Z" },
      { app: { key: "leave" }, created_at: "2026-01-01T10:00:00Z" },
      { app: { key: "archived" }, created_at: "2026-01-05T10:00:00Z" },
    ];
    const drafts = [{ app: { key: "car" }, updated_at: "2026-01-04T10:00:00Z" }];
    expect(recentApps(requests, drafts, APPS).map((app) => app.key)).toEqual(["car", "leave", "travel"]);
    expect(recentApps(requests, drafts, APPS, 2).map((app) => app.key)).toEqual(["car", "leave"]);
    expect(recentApps([], [], APPS)).toEqual([]);
  });
});
