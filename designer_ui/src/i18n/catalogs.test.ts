import { catalogs, localized } from "./index";

function keys(value: unknown, prefix = ""): string[] {
  if (!value || typeof value !== "object") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    keys(child, prefix ? `${prefix}.${key}` : key),
  );
}

describe("translation catalogues", () => {
  const all = catalogs();

  it("has zh-Hans and English", () => {
    expect(Object.keys(all).sort()).toEqual(["en", "zh-Hans"]);
  });

  it("has the same namespaces in both languages", () => {
    expect(Object.keys(all.en).sort()).toEqual(Object.keys(all["zh-Hans"]).sort());
  });

  for (const namespace of Object.keys(catalogs()["zh-Hans"])) {
    it(`has the same keys in both languages: ${namespace}`, () => {
      expect(keys(all.en[namespace]).sort()).toEqual(keys(all["zh-Hans"][namespace]).sort());
    });

    it(`has no empty texts: ${namespace}`, () => {
      for (const language of ["zh-Hans", "en"] as const) {
        const empty = keys(all[language][namespace]).filter((path) => {
          const value = path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], all[language][namespace]);
          return typeof value !== "string" || value.trim() === "";
        });
        expect(empty, `${language}/${namespace}`).toEqual([]);
      }
    });
  }
});

describe("localized", () => {
  it("picks the current language and falls back to the other", () => {
    expect(localized({ zh: "预算", en: "Budget" }, "zh-Hans")).toBe("预算");
    expect(localized({ zh: "预算", en: "Budget" }, "en")).toBe("Budget");
    expect(localized({ zh: "预算" }, "en")).toBe("预算");
    expect(localized("纯文本", "en")).toBe("纯文本");
    expect(localized(null, "en")).toBe("");
  });
});
