// Read-only values as text (read-only rights, readOnly renderer, computed fields).
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { DictionarySnapshot, FieldSchema } from "../../schema/form";
import { currencySymbol, decimalPlaces, isEmpty, isRecord } from "../lib/fields";
import { choiceLabel } from "./choice-widgets";
import { FileLinks, fileRefs, ImageThumbs, SignatureView, signatureOf } from "./file-display";
import { departmentNames, useOrgNames, userNames } from "./org-widgets";

export function formatNumber(field: FieldSchema, value: number, language: string): string {
  const places = decimalPlaces(field);
  const text = value.toLocaleString(language === "en" ? "en-US" : "zh-CN", {
    minimumFractionDigits: places ?? 0,
    maximumFractionDigits: places ?? 6,
  });
  const currency = field["x-type"] === "money" ? (field["x-currency"] ?? "CNY") : field["x-currency"];
  if (currency) return `${currencySymbol(currency)}${text}`;
  const unit = localized(field["x-unit"], language);
  return unit ? `${text} ${unit}` : text;
}

/** A value as plain text ("" when empty). */
export function formatValue(
  field: FieldSchema,
  value: unknown,
  language: string,
  dictionary: DictionarySnapshot | undefined,
  yesNo: [string, string],
): string {
  if (isEmpty(value)) return "";
  const type = field["x-type"];
  switch (type) {
    case "number":
    case "money":
      return typeof value === "number" ? formatNumber(field, value, language) : String(value);
    case "computed":
      if (typeof value === "number") return formatNumber(field, value, language);
      if (typeof value === "boolean") return value ? yesNo[0] : yesNo[1];
      return String(value);
    case "datetime":
      return typeof value === "string" && dayjs(value).isValid() ? dayjs(value).format("YYYY-MM-DD HH:mm") : String(value);
    case "date_range":
      return isRecord(value) ? `${String(value.start ?? "")} ~ ${String(value.end ?? "")}` : String(value);
    case "select":
    case "radio":
    case "multi_select":
    case "checkbox": {
      if (typeof value === "boolean") return value ? yesNo[0] : yesNo[1];
      const codes = Array.isArray(value) ? value : [value];
      return codes.map((code) => choiceLabel({ field, dictionary }, String(code), language)).join("、");
    }
    case "user":
    case "department": {
      const ids = Array.isArray(value) ? value : [value];
      const names = type === "user" ? userNames : departmentNames;
      return ids.map((id) => names.get(String(id)) ?? String(id)).join("、");
    }
    case "attachment":
    case "image":
      return Array.isArray(value) ? value.map((ref) => (isRecord(ref) ? String(ref.name ?? ref.file_id ?? "") : "")).join("、") : "";
    case "signature":
      return isRecord(value) && typeof value.signed_at === "string" ? dayjs(value.signed_at).format("YYYY-MM-DD HH:mm") : "";
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

export function ReadOnlyValue({
  field,
  value,
  dictionary,
  id,
}: {
  field: FieldSchema;
  value: unknown;
  dictionary?: DictionarySnapshot;
  id?: string;
}) {
  const { t, i18n } = useTranslation("renderer");
  const type = field["x-type"];
  useOrgNames(type, value); // re-renders once names of people / departments not seen yet arrive
  const text = formatValue(field, value, i18n.language, dictionary, [t("field.yes"), t("field.no")]);
  if (!text) {
    return (
      <div className={`qb-fr-readonly is-empty${type === "computed" ? " is-computed" : ""}`} id={id}>
        {type === "computed" ? t("field.computed") : t("field.empty")}
      </div>
    );
  }
  if ((type === "image" || type === "attachment") && fileRefs(value).length) {
    const refs = fileRefs(value);
    return (
      <div className="qb-fr-readonly" id={id}>
        {type === "image" ? <ImageThumbs refs={refs} /> : <FileLinks refs={refs} />}
      </div>
    );
  }
  if (type === "signature" && signatureOf(value)) {
    return (
      <div className="qb-fr-readonly" id={id}>
        <SignatureView value={value} />
      </div>
    );
  }
  return (
    <div className={`qb-fr-readonly${type === "computed" ? " is-computed" : ""}`} id={id}>
      {text}
    </div>
  );
}
