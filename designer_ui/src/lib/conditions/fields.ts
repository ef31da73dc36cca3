// The fields a condition may read, as react-querybuilder fields named "form.<key>" (the
// variable the server's rules use), with typed operators per kind and the options of
// choice fields (inline x-options or the dictionary snapshot) as values.
import type { TFunction } from "i18next";
import type { Field, Option } from "react-querybuilder";

import i18n, { localized } from "../../i18n";
import type { DesignerModel } from "../../form-designer/model";
import type { DictionarySnapshot, FieldSchema } from "../../schema/form";

/** How the builder treats a field: which operators and which value editor. */
export type ConditionKind = "text" | "number" | "date" | "choice" | "multi" | "boolean" | "presence";

/** The builder's operator names (react-querybuilder's), per kind. */
export const OPERATORS_BY_KIND: Readonly<Record<ConditionKind, readonly string[]>> = {
  text: ["=", "!=", "contains", "doesNotContain", "null", "notNull"],
  number: ["=", "!=", "<", "<=", ">", ">=", "between", "null", "notNull"],
  date: ["=", "!=", "<", "<=", ">", ">=", "between", "null", "notNull"],
  choice: ["=", "!=", "in", "notIn", "null", "notNull"],
  multi: ["in", "notIn", "null", "notNull"],
  boolean: ["="],
  presence: ["null", "notNull"],
};

/** The kind of a field, or null when the builder offers no condition on it (write JSON):
 * no value (description, files, tables), or a value the builder's editors cannot write in
 * the stored format (datetime needs an offset). */
export function conditionKind(field: FieldSchema | undefined): ConditionKind | null {
  if (!field) return null;
  switch (field["x-type"]) {
    case "text":
    case "textarea":
      return "text";
    case "number":
    case "money":
      return "number";
    case "date":
      return "date";
    case "select":
    case "radio":
      return "choice";
    case "multi_select":
      return "multi";
    case "checkbox":
      return field.type === "array" ? "multi" : "boolean";
    case "user":
    case "department":
      return field["x-multiple"] ? "presence" : "text";
    case "date_range":
      return "presence";
    case "computed":
      if (field.type === "number" || field.type === "integer") return "number";
      if (field.type === "boolean") return "boolean";
      if (field.type === "string") return field.format === "date" ? "date" : field.format ? null : "text";
      return field.type === undefined ? "number" : null;
    default:
      return null;
  }
}

/** Whether a field's value is a list (multi_select, checkbox group, several users). */
export function isMultiValued(field: FieldSchema | undefined): boolean {
  if (!field) return false;
  const type = field["x-type"];
  if (type === "multi_select") return true;
  if (type === "checkbox") return field.type === "array";
  return (type === "user" || type === "department") && field["x-multiple"] === true;
}

/** The "form.<key>" paths whose value is a list of codes (for toEngineRule/toBuilderRule). */
export function multiValuedPaths(model: DesignerModel): Set<string> {
  const paths = new Set<string>();
  for (const [key, field] of Object.entries(model.fields)) if (isMultiValued(field)) paths.add(`form.${key}`);
  return paths;
}

/** A field's options ({code → label} in the language), inline first, else from the dictionary. */
export function fieldOptions(field: FieldSchema | undefined, dictionary: DictionarySnapshot = {}, language: string = i18n.language): Option[] | undefined {
  if (!field) return undefined;
  const inline = field["x-options"];
  const source = inline ?? (field["x-dictionary"] ? dictionary[field["x-dictionary"]]?.options : undefined);
  return source?.map((option) => ({ name: option.code, value: option.code, label: localized(option.label, language) || option.code }));
}

function operatorLabels(t: TFunction, kind: ConditionKind): { name: string; value: string; label: string }[] {
  const multi = kind === "multi";
  const label: Record<string, string> = {
    "=": kind === "boolean" ? t("rules.op.is") : "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    between: t("rules.op.between"),
    in: multi ? t("rules.op.anyOf") : t("rules.op.in"),
    notIn: multi ? t("rules.op.noneOf") : t("rules.op.notIn"),
    contains: t("rules.op.contains"),
    doesNotContain: t("rules.op.doesNotContain"),
    null: t("rules.op.null"),
    notNull: t("rules.op.notNull"),
  };
  return OPERATORS_BY_KIND[kind].map((name) => ({ name, value: name, label: label[name] ?? name }));
}

/** The builder's fields: every top-level field a condition can read, in display order,
 * except `except` (a field's own conditions do not read it). Operator names in the language
 * of `t` (the designer namespace; default: the current language). */
export function conditionFields(
  model: DesignerModel,
  except: string | null,
  dictionary: DictionarySnapshot,
  t?: TFunction,
): Field[] {
  const tr = t ?? i18n.getFixedT(null, "designer");
  const fields: Field[] = [];
  for (const key of model.sections.flatMap((section) => section.fields)) {
    const field = model.fields[key];
    const kind = conditionKind(field);
    if (!field || key === except || !kind) continue;
    fields.push(toRqbField(key, field, kind, dictionary, tr));
  }
  return fields;
}

function toRqbField(key: string, field: FieldSchema, kind: ConditionKind, dictionary: DictionarySnapshot, t: TFunction): Field {
  const base: Field = { name: `form.${key}`, label: localized(field["x-label"]) || key, operators: operatorLabels(t, kind) };
  switch (kind) {
    case "choice": {
      const values = fieldOptions(field, dictionary) ?? [];
      return { ...base, valueEditorType: (operator: string) => (operator === "in" || operator === "notIn" ? "multiselect" : "select"), values, defaultValue: values[0]?.name };
    }
    case "multi":
      return { ...base, valueEditorType: "multiselect", values: fieldOptions(field, dictionary) ?? [] };
    case "boolean":
      return { ...base, valueEditorType: "checkbox", defaultValue: true };
    case "number":
      return { ...base, inputType: "number" };
    case "date":
      return { ...base, inputType: "date" };
    default:
      return base;
  }
}
