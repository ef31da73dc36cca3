// Every edit of the form is one of these pure functions: model in, new model out. The
// store (../store.ts) runs them and keeps the before/after pair on one undo stack.
import type { FieldSchema, FieldUi, Label, TableItems } from "../../schema/form";
import { suggestKey } from "../keys";
import {
  columnsOf,
  newSectionId,
  sectionOf,
  usedKeys,
  type DesignerModel,
  type FieldRef,
  type SectionModel,
} from "../model";

/** A palette entry (GET /api/v1/field-types/): the type and its default property. */
export interface PaletteEntry {
  type: string;
  label: Label;
  value_kind: string;
  schema: FieldSchema;
  ui: FieldUi;
  capabilities: {
    keywords: string[];
    column_allowed: boolean;
    has_value: boolean;
    accepts_required_if: boolean;
    accepts_default: boolean;
    [key: string]: unknown;
  };
}

export interface Place {
  sectionId: string;
  index: number;
}

function draft(model: DesignerModel): DesignerModel {
  return structuredClone(model);
}

function tableItems(field: FieldSchema): TableItems {
  const items = (field.items ?? {}) as Partial<TableItems>;
  const fixed: TableItems = {
    type: "object",
    properties: items.properties ?? {},
    required: items.required ?? [],
    additionalProperties: false,
  };
  field.items = fixed;
  return fixed;
}

function clampIndex(index: number, length: number): number {
  return Math.max(0, Math.min(index, length));
}

/** Add a new field of `entry`'s type at `place`; returns the model and the new key. */
export function addField(model: DesignerModel, entry: PaletteEntry, place: Place): { model: DesignerModel; key: string } {
  const next = draft(model);
  const key = suggestKey(undefined, entry.type, usedKeys(next));
  next.fields[key] = structuredClone(entry.schema);
  if (Object.keys(entry.ui).length) next.ui[key] = structuredClone(entry.ui);
  let section = next.sections.find((candidate) => candidate.id === place.sectionId);
  if (!section) {
    section = { id: newSectionId(), title: {}, columns: 1, fields: [] };
    next.sections.push(section);
  }
  section.fields.splice(clampIndex(place.index, section.fields.length), 0, key);
  return { model: next, key };
}

/** Add a column of `entry`'s type to the sub-table `table`; returns the new column key. */
export function addColumn(
  model: DesignerModel,
  table: string,
  entry: PaletteEntry,
  index?: number,
): { model: DesignerModel; column: string } {
  const next = draft(model);
  const field = next.fields[table];
  if (!field || field["x-type"] !== "table") throw new Error(`not a table: ${table}`);
  const items = tableItems(field);
  const column = suggestKey(undefined, entry.type, new Set(Object.keys(items.properties)));
  const entries = Object.entries(items.properties);
  entries.splice(clampIndex(index ?? entries.length, entries.length), 0, [column, structuredClone(entry.schema)]);
  items.properties = Object.fromEntries(entries);
  if (Object.keys(entry.ui).length) next.ui[`${table}.${column}`] = structuredClone(entry.ui);
  return { model: next, column };
}

export function moveField(model: DesignerModel, key: string, place: Place): DesignerModel {
  const next = draft(model);
  const from = sectionOf(next, key);
  const to = next.sections.find((section) => section.id === place.sectionId);
  if (!from || !to) return model;
  const fromIndex = from.fields.indexOf(key);
  from.fields.splice(fromIndex, 1);
  let index = place.index;
  if (from === to && fromIndex < index) index -= 1;
  to.fields.splice(clampIndex(index, to.fields.length), 0, key);
  return next;
}

export function moveColumn(model: DesignerModel, table: string, column: string, index: number): DesignerModel {
  const next = draft(model);
  const field = next.fields[table];
  if (!field) return model;
  const items = tableItems(field);
  const entries = Object.entries(items.properties);
  const from = entries.findIndex(([name]) => name === column);
  if (from < 0) return model;
  const [moved] = entries.splice(from, 1);
  if (!moved) return model;
  entries.splice(clampIndex(from < index ? index - 1 : index, entries.length), 0, moved);
  items.properties = Object.fromEntries(entries);
  return next;
}

export function removeField(model: DesignerModel, ref: FieldRef): DesignerModel {
  const next = draft(model);
  if (ref.column) {
    const field = next.fields[ref.key];
    if (!field) return model;
    const items = tableItems(field);
    delete items.properties[ref.column];
    items.required = (items.required ?? []).filter((name) => name !== ref.column);
    delete next.ui[`${ref.key}.${ref.column}`];
    return next;
  }
  delete next.fields[ref.key];
  next.required = next.required.filter((key) => key !== ref.key);
  for (const section of next.sections) section.fields = section.fields.filter((key) => key !== ref.key);
  for (const path of Object.keys(next.ui)) {
    if (path === ref.key || path.startsWith(`${ref.key}.`)) delete next.ui[path];
  }
  return next;
}

/** Copy a field (or column) right after itself, with a free key and "(copy)" labels. */
export function duplicateField(model: DesignerModel, ref: FieldRef): { model: DesignerModel; ref: FieldRef } {
  const next = draft(model);
  const copyLabel = (field: FieldSchema) => {
    const label = field["x-label"] ?? {};
    field["x-label"] = { zh: label.zh ? `${label.zh}（副本）` : "", en: label.en ? `${label.en} (copy)` : "" };
    if (field["x-label"].zh) field.title = field["x-label"].zh;
  };
  if (ref.column) {
    const field = next.fields[ref.key];
    const source = columnsOf(field)[ref.column];
    if (!field || !source) return { model, ref };
    const items = tableItems(field);
    const column = suggestKey(undefined, source["x-type"], new Set(Object.keys(items.properties)));
    const entries = Object.entries(items.properties);
    const index = entries.findIndex(([name]) => name === ref.column);
    const copy = structuredClone(source);
    copyLabel(copy);
    entries.splice(index + 1, 0, [column, copy]);
    items.properties = Object.fromEntries(entries);
    const ui = next.ui[`${ref.key}.${ref.column}`];
    if (ui) next.ui[`${ref.key}.${column}`] = structuredClone(ui);
    return { model: next, ref: { key: ref.key, column } };
  }
  const source = next.fields[ref.key];
  const section = sectionOf(next, ref.key);
  if (!source || !section) return { model, ref };
  const key = suggestKey(undefined, source["x-type"], usedKeys(next));
  const copy = structuredClone(source);
  copyLabel(copy);
  next.fields[key] = copy;
  section.fields.splice(section.fields.indexOf(ref.key) + 1, 0, key);
  for (const [path, ui] of Object.entries(next.ui)) {
    if (path === ref.key) next.ui[key] = structuredClone(ui);
    else if (path.startsWith(`${ref.key}.`)) next.ui[`${key}${path.slice(ref.key.length)}`] = structuredClone(ui);
  }
  if (next.required.includes(ref.key)) next.required.push(key);
  return { model: next, ref: { key } };
}

/** Replace a field's (or column's) property with `update(copy)`; keeps `title` = zh label. */
export function updateField(model: DesignerModel, ref: FieldRef, update: (field: FieldSchema) => FieldSchema | undefined): DesignerModel {
  const next = draft(model);
  const holder = ref.column ? tableItems(next.fields[ref.key] as FieldSchema).properties : next.fields;
  const name = ref.column ?? ref.key;
  const current = holder[name];
  if (!current) return model;
  const result = update(current) ?? current;
  for (const [keyword, value] of Object.entries(result)) {
    if (value === undefined) delete result[keyword];
  }
  const label = result["x-label"];
  if (label) result.title = label.zh || label.en || result.title || "";
  holder[name] = result;
  return next;
}

export function updateUi(model: DesignerModel, ref: FieldRef, patch: Partial<FieldUi>): DesignerModel {
  const next = draft(model);
  const path = ref.column ? `${ref.key}.${ref.column}` : ref.key;
  const ui: FieldUi = { ...(next.ui[path] ?? {}), ...patch };
  for (const [name, value] of Object.entries(ui)) {
    if (value === undefined) delete ui[name];
  }
  next.ui[path] = ui;
  return next;
}

export function setRequired(model: DesignerModel, ref: FieldRef, required: boolean): DesignerModel {
  const next = draft(model);
  if (ref.column) {
    const field = next.fields[ref.key];
    if (!field) return model;
    const items = tableItems(field);
    const list = (items.required ?? []).filter((name) => name !== ref.column);
    items.required = required ? [...list, ref.column] : list;
    return next;
  }
  next.required = next.required.filter((key) => key !== ref.key);
  if (required) next.required.push(ref.key);
  return next;
}

/** Replace `form.<old>` (or `row.<old>` for columns) in every rule of the form. */
function renameInRules(value: unknown, from: string, to: string): unknown {
  const rewrite = (path: unknown) =>
    typeof path === "string" && (path === from || path.startsWith(`${from}.`)) ? to + path.slice(from.length) : path;
  const paths = (list: unknown) =>
    Array.isArray(list) ? list.map((item) => (typeof item === "string" ? rewrite(item) : renameInRules(item, from, to))) : renameInRules(list, from, to);
  if (Array.isArray(value)) return value.map((item) => renameInRules(item, from, to));
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([op, args]) => {
    if (op === "var") {
      if (Array.isArray(args)) return [op, [rewrite(args[0]), ...args.slice(1).map((item) => renameInRules(item, from, to))]];
      return [op, rewrite(args)];
    }
    if (op === "missing") return [op, typeof args === "string" ? rewrite(args) : paths(args)];
    if (op === "missing_some" && Array.isArray(args)) return [op, [args[0], paths(args[1])]];
    return [op, renameInRules(args, from, to)];
  });
  return Object.fromEntries(entries);
}

const RULE_KEYWORDS = ["x-visible-if", "x-required-if", "x-compute"] as const;

function rewriteRules(field: FieldSchema, from: string, to: string): void {
  for (const keyword of RULE_KEYWORDS) {
    if (field[keyword] !== undefined) field[keyword] = renameInRules(field[keyword], from, to);
  }
  if (field["x-type"] === "table") {
    for (const column of Object.values(columnsOf(field))) rewriteRules(column, from, to);
  }
}

/** Rename a field or column key, updating layout, required lists, UI entries and rules. */
export function renameKey(model: DesignerModel, ref: FieldRef, newKey: string): DesignerModel {
  if ((ref.column ?? ref.key) === newKey) return model;
  const next = draft(model);
  if (ref.column) {
    const field = next.fields[ref.key];
    if (!field) return model;
    const items = tableItems(field);
    items.properties = Object.fromEntries(
      Object.entries(items.properties).map(([name, column]) => [name === ref.column ? newKey : name, column]),
    );
    items.required = (items.required ?? []).map((name) => (name === ref.column ? newKey : name));
    const oldPath = `${ref.key}.${ref.column}`;
    if (next.ui[oldPath]) {
      next.ui[`${ref.key}.${newKey}`] = next.ui[oldPath];
      delete next.ui[oldPath];
    }
    for (const column of Object.values(items.properties)) rewriteRules(column, `row.${ref.column}`, `row.${newKey}`);
    for (const other of Object.values(next.fields)) rewriteRules(other, `form.${ref.key}.${ref.column}`, `form.${ref.key}.${newKey}`);
    return next;
  }
  next.fields = Object.fromEntries(Object.entries(next.fields).map(([key, field]) => [key === ref.key ? newKey : key, field]));
  next.required = next.required.map((key) => (key === ref.key ? newKey : key));
  for (const section of next.sections) section.fields = section.fields.map((key) => (key === ref.key ? newKey : key));
  next.ui = Object.fromEntries(
    Object.entries(next.ui).map(([path, ui]) => {
      if (path === ref.key) return [newKey, ui];
      if (path.startsWith(`${ref.key}.`)) return [newKey + path.slice(ref.key.length), ui];
      return [path, ui];
    }),
  );
  for (const field of Object.values(next.fields)) rewriteRules(field, `form.${ref.key}`, `form.${newKey}`);
  return next;
}

// -- sections ----------------------------------------------------------------------------

export function addSection(model: DesignerModel, title: Label, afterId?: string): { model: DesignerModel; id: string } {
  const next = draft(model);
  const section: SectionModel = { id: newSectionId(), title, columns: 1, fields: [] };
  const index = afterId ? next.sections.findIndex((candidate) => candidate.id === afterId) + 1 : next.sections.length;
  next.sections.splice(index <= 0 ? next.sections.length : index, 0, section);
  return { model: next, id: section.id };
}

export function updateSection(model: DesignerModel, id: string, patch: Partial<Pick<SectionModel, "title" | "columns">>): DesignerModel {
  const next = draft(model);
  const section = next.sections.find((candidate) => candidate.id === id);
  if (!section) return model;
  Object.assign(section, patch);
  return next;
}

/** Remove a section; its fields move to the section before it (or after, for the first). */
export function removeSection(model: DesignerModel, id: string): DesignerModel {
  if (model.sections.length <= 1) return model;
  const next = draft(model);
  const index = next.sections.findIndex((candidate) => candidate.id === id);
  if (index < 0) return model;
  const [removed] = next.sections.splice(index, 1);
  const target = next.sections[Math.max(0, index - 1)];
  if (removed && target) {
    if (index === 0) target.fields.unshift(...removed.fields);
    else target.fields.push(...removed.fields);
  }
  return next;
}

export function moveSection(model: DesignerModel, id: string, delta: -1 | 1): DesignerModel {
  const index = model.sections.findIndex((candidate) => candidate.id === id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= model.sections.length) return model;
  const next = draft(model);
  const [section] = next.sections.splice(index, 1);
  if (section) next.sections.splice(target, 0, section);
  return next;
}

export function setTitle(model: DesignerModel, title: Label): DesignerModel {
  return { ...draft(model), title };
}
