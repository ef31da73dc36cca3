// Reading a form document: fields in display order, sub-table columns, options, labels,
// and the server's notion of an empty value (docs/forms.md "Submission validation").
import type { DictionarySnapshot, FieldSchema, FormDocument, Label, OptionDef, TableItems } from "../../schema/form";

/** Field types that hold no value the client may send. */
export const NO_CLIENT_VALUE = new Set(["computed", "description"]);

/** `null`, `""`, `[]` and `{}` count as absent (the server's rule). */
export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Top-level keys in display order: ui_schema.order, then any property it forgot. */
export function fieldOrder(document: FormDocument): string[] {
  const properties = document.schema.properties ?? {};
  const out: string[] = [];
  const seen = new Set<string>();
  for (const key of document.ui_schema?.order ?? []) {
    if (key in properties && !seen.has(key)) {
      out.push(key);
      seen.add(key);
    }
  }
  for (const key of Object.keys(properties)) {
    if (!seen.has(key)) {
      out.push(key);
      seen.add(key);
    }
  }
  return out;
}

/** The columns of a sub-table in display order (`x-column-order`; empty for any other field). */
export function tableColumns(field: FieldSchema): Record<string, FieldSchema> {
  if (field["x-type"] !== "table") return {};
  const items = field.items as TableItems | undefined;
  if (!items || !isRecord(items.properties)) return {};
  const order = field["x-column-order"];
  if (!Array.isArray(order)) return items.properties;
  const keys = Object.keys(items.properties);
  const ranked = order.filter((key): key is string => typeof key === "string" && keys.includes(key));
  const sorted = [...ranked, ...keys.filter((key) => !ranked.includes(key))];
  return Object.fromEntries(sorted.map((key) => [key, items.properties[key] as FieldSchema]));
}

export function tableRequired(field: FieldSchema): string[] {
  const items = field.items as TableItems | undefined;
  return Array.isArray(items?.required) ? items.required : [];
}

export function fieldLabel(field: FieldSchema | undefined, key: string): Label | string {
  if (!field) return key;
  return field["x-label"] ?? field.title ?? key;
}

/** A choice field's options: inline `x-options` or the pinned dictionary entry. */
export function fieldOptions(field: FieldSchema, dictionary?: DictionarySnapshot): OptionDef[] | null {
  const inline = field["x-options"];
  if (Array.isArray(inline)) return inline;
  const itemsOptions = isRecord(field.items) ? (field.items as Record<string, unknown>)["x-options"] : undefined;
  if (Array.isArray(itemsOptions)) return itemsOptions as OptionDef[];
  const entry = field["x-dictionary"];
  if (typeof entry === "string") {
    const snapshot = dictionary?.[entry];
    return snapshot ? snapshot.options.map((o) => ({ code: o.code, label: o.label, enabled: o.enabled })) : null;
  }
  return null;
}

/** Whether the field's value is an array (multi-select, checkbox group, files, table, multiple users). */
export function isArrayField(field: FieldSchema): boolean {
  switch (field["x-type"]) {
    case "multi_select":
    case "attachment":
    case "image":
    case "table":
      return true;
    case "checkbox":
      return field.type === "array" || Array.isArray(field["x-options"]) || typeof field["x-dictionary"] === "string";
    case "user":
    case "department":
      return field["x-multiple"] === true;
    default:
      return false;
  }
}

/** Decimal places of a number-like field (null: any). */
export function decimalPlaces(field: FieldSchema): number | null {
  const type = field["x-type"];
  if (type === "money") return 2;
  const precision = field["x-precision"];
  if (typeof precision === "number" && Number.isInteger(precision)) return precision;
  if (type === "computed" && "x-currency" in field && field.type !== "integer") return 2;
  return null;
}

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: "¥", USD: "$", EUR: "€", JPY: "¥", GBP: "£", HKD: "HK$" };

export function currencySymbol(code: unknown): string {
  if (typeof code !== "string" || !code) return "";
  return CURRENCY_SYMBOLS[code] ?? code + " ";
}

/** Split a JSON pointer "/companions/0/phone" into its parts. */
export function pointerParts(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function pointerJoin(...parts: (string | number)[]): string {
  return parts.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}
