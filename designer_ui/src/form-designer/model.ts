// The designer's working model of a form: the document's fields plus its layout as
// sections, in a shape that is easy to edit. `fromDocument` and `toDocument` convert
// losslessly for everything the designer shows (unknown keywords are kept as they are).
import {
  SCHEMA_VERSION,
  type FieldSchema,
  type FieldUi,
  type FormDocument,
  type Label,
  type TableItems,
  type UiSection,
} from "../schema/form";

export interface SectionModel {
  id: string;
  title: Label;
  columns: 1 | 2 | 3;
  fields: string[];
}

export interface DesignerModel {
  title: Label;
  fields: Record<string, FieldSchema>;
  required: string[];
  sections: SectionModel[];
  /** ui_schema.fields: top-level keys and "table.column" paths. */
  ui: Record<string, FieldUi>;
  /** Form-level keywords the designer does not edit (description, $comment), kept. */
  extra: Record<string, unknown>;
}

/** A place in the form: a top-level field, or a column of a sub-table. */
export interface FieldRef {
  key: string;
  column?: string;
}

let sectionCounter = 0;
export function newSectionId(): string {
  sectionCounter += 1;
  return `s${Date.now().toString(36)}${sectionCounter}`;
}

function clampColumns(value: unknown): 1 | 2 | 3 {
  return value === 2 || value === 3 ? value : 1;
}

export function fromDocument(document: FormDocument | null | undefined): DesignerModel {
  const schema = document?.schema;
  const properties = (schema?.properties ?? {}) as Record<string, FieldSchema>;
  const ui = document?.ui_schema ?? {};
  const keys = Object.keys(properties);
  const order = [
    ...(ui.order ?? []).filter((key) => key in properties),
    ...keys.filter((key) => !(ui.order ?? []).includes(key)),
  ];
  const placed = new Set<string>();
  const sections: SectionModel[] = [];
  for (const section of ui.sections ?? []) {
    const fields = (section.fields ?? []).filter((key) => key in properties && !placed.has(key));
    fields.forEach((key) => placed.add(key));
    sections.push({
      id: newSectionId(),
      title: { ...(section.title ?? {}) },
      columns: clampColumns(section.columns),
      fields,
    });
  }
  // Fields no section names go, in order, into the last section (or a first, untitled one).
  const loose = order.filter((key) => !placed.has(key));
  if (sections.length === 0) sections.push({ id: newSectionId(), title: {}, columns: 1, fields: [] });
  const last = sections[sections.length - 1];
  if (last) last.fields.push(...loose);
  // Keep the sections in the order of their first field in `order` when sections exist.
  const extra: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema ?? {})) {
    if (!["$schema", "type", "title", "x-label", "properties", "required", "additionalProperties"].includes(keyword)) {
      extra[keyword] = value;
    }
  }
  const fields = structuredClone(properties);
  for (const field of Object.values(fields)) orderColumns(field);
  return {
    title: { ...(schema?.["x-label"] ?? (schema?.title ? { zh: schema.title } : {})) },
    fields,
    required: [...(schema?.required ?? [])].filter((key) => key in properties),
    sections,
    ui: structuredClone(ui.fields ?? {}),
    extra: structuredClone(extra),
  };
}

/** Put a table's columns in its `x-column-order` (storage may have sorted the keys). */
function orderColumns(field: FieldSchema): void {
  const items = field.items as TableItems | undefined;
  const order = field["x-column-order"];
  if (field["x-type"] !== "table" || !items?.properties || !Array.isArray(order)) return;
  const keys = Object.keys(items.properties);
  const ranked = order.filter((key): key is string => typeof key === "string" && keys.includes(key));
  items.properties = Object.fromEntries(
    [...ranked, ...keys.filter((key) => !ranked.includes(key))].map((key) => [key, items.properties[key] as FieldSchema]),
  );
}

/** Field keys in display order (sections one after another). */
export function fieldOrder(model: DesignerModel): string[] {
  return model.sections.flatMap((section) => section.fields);
}

function cleanLabel(label: Label): Label | undefined {
  const result: Label = {};
  if (label.zh) result.zh = label.zh;
  if (label.en) result.en = label.en;
  return result.zh || result.en ? result : undefined;
}

function isEmptyUi(ui: FieldUi): boolean {
  return Object.values(ui).every((value) => value === undefined || value === null || value === "");
}

export function toDocument(model: DesignerModel): FormDocument {
  const order = fieldOrder(model);
  const properties: Record<string, FieldSchema> = {};
  for (const key of order) {
    const field = model.fields[key];
    if (!field) continue;
    // The column order is written out: JSON object key order does not survive every store.
    properties[key] = field["x-type"] === "table" ? { ...field, "x-column-order": Object.keys(columnsOf(field)) } : field;
  }
  const sections: UiSection[] = model.sections.map((section) => {
    const title = cleanLabel(section.title);
    return { ...(title ? { title } : {}), fields: [...section.fields], columns: section.columns };
  });
  const uiFields: Record<string, FieldUi> = {};
  for (const [path, ui] of Object.entries(model.ui)) {
    const [key, column] = path.split(".");
    if (!key || !(key in properties)) continue;
    if (column && !(column in columnsOf(properties[key]))) continue;
    if (!isEmptyUi(ui)) uiFields[path] = ui;
  }
  const title = cleanLabel(model.title) ?? {};
  return {
    schema_version: SCHEMA_VERSION,
    schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      title: title.zh ?? title.en ?? "",
      "x-label": title,
      ...model.extra,
      properties,
      required: model.required.filter((key) => key in properties),
      additionalProperties: false,
    },
    ui_schema: { order, sections, fields: uiFields },
  };
}

export function columnsOf(field: FieldSchema | undefined): Record<string, FieldSchema> {
  if (!field || field["x-type"] !== "table") return {};
  const items = field.items as TableItems | undefined;
  return items?.properties ?? {};
}

export function getField(model: DesignerModel, ref: FieldRef): FieldSchema | undefined {
  const field = model.fields[ref.key];
  if (!ref.column) return field;
  return columnsOf(field)[ref.column];
}

export function isRequired(model: DesignerModel, ref: FieldRef): boolean {
  if (!ref.column) return model.required.includes(ref.key);
  const items = model.fields[ref.key]?.items as TableItems | undefined;
  return (items?.required ?? []).includes(ref.column);
}

export function refPath(ref: FieldRef): string {
  return ref.column ? `${ref.key}.${ref.column}` : ref.key;
}

export function sectionOf(model: DesignerModel, key: string): SectionModel | undefined {
  return model.sections.find((section) => section.fields.includes(key));
}

/** Every key used at the top level and inside the given table (for unique keys). */
export function usedKeys(model: DesignerModel, table?: string): Set<string> {
  if (table) return new Set(Object.keys(columnsOf(model.fields[table])));
  return new Set(Object.keys(model.fields));
}
