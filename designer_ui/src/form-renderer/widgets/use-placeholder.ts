import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { FieldUi } from "../../schema/form";

/** ui.placeholder in the current language, else the generic "请输入"/"请选择". */
export function usePlaceholder(ui: FieldUi, fallback: "input" | "select" | "date" | "datetime" | "department"): string {
  const { t, i18n } = useTranslation("renderer");
  const own = localized(ui.placeholder, i18n.language);
  return own || t(`placeholder.${fallback}`);
}
