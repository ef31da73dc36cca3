// i18next with one namespace per feature: locales/<language>/<namespace>.json.
// zh-Hans is the default language, English the second (DESIGN.md); a test checks that both
// languages have the same keys.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import type { Language } from "../app/boot";

type Catalog = Record<string, unknown>;

const files = import.meta.glob<Catalog>("./locales/*/*.json", { eager: true, import: "default" });

export const LANGUAGES: Language[] = ["zh-Hans", "en"];

export function catalogs(): Record<Language, Record<string, Catalog>> {
  const resources: Record<string, Record<string, Catalog>> = {};
  for (const [path, catalog] of Object.entries(files)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match?.[1] || !match[2]) continue;
    (resources[match[1]] ??= {})[match[2]] = catalog;
  }
  return resources as Record<Language, Record<string, Catalog>>;
}

export function initI18n(language: Language): typeof i18n {
  if (!i18n.isInitialized) {
    const resources = catalogs();
    void i18n.use(initReactI18next).init({
      resources,
      lng: language,
      fallbackLng: "zh-Hans",
      ns: Object.keys(resources["zh-Hans"] ?? {}),
      defaultNS: "common",
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
    });
  } else if (i18n.language !== language) {
    void i18n.changeLanguage(language);
  }
  return i18n;
}

/** Pick the text for the current language from a {"zh": ..., "en": ...} label. */
export function localized(label: unknown, language: string = i18n.language): string {
  if (typeof label === "string") return label;
  if (!label || typeof label !== "object") return "";
  const texts = label as Record<string, unknown>;
  const primary = language === "en" ? texts.en : texts.zh;
  const secondary = language === "en" ? texts.zh : texts.en;
  if (typeof primary === "string" && primary) return primary;
  if (typeof secondary === "string") return secondary;
  return "";
}

export default i18n;
