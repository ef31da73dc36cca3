// The fields a condition may read, as react-querybuilder fields named "form.<key>" (the
// variable the server's rules use), with options for choice fields.
import type { Field } from "react-querybuilder";

import { localized } from "../../i18n";
import type { DictionarySnapshot, FieldSchema } from "../../schema/form";
import type { DesignerModel } from "../model";

// No builder conditions on these (write them as JSON): no value, or a value the builder's
// editors cannot write in the stored format (datetime needs an offset).
const NO_VALUE = new Set(["description", "attachment", "image", "signature", "table", "datetime"]);

/** The "form.<key>" paths whose value is a list of codes (for rule-transform.ts). */
export function multiValuedPaths(model: DesignerModel): Set<string> {
  const paths = new Set<string>();
  for (const [key, field] of Object.entries(model.fields)) {
    if (field["x-type"] === "multi_select" || (field["x-type"] === "checkbox" && field.type === "array")) paths.add(`form.${key}`);
  }
  return paths;
}

export function conditionFields(model: DesignerModel, except: string | null, dictionary: DictionarySnapshot): Field[] {
  const fields: Field[] = [];
  for (const key of model.sections.flatMap((section) => section.fields)) {
    const field = model.fields[key];
    if (!field || key === except || NO_VALUE.has(field["x-type"])) continue;
    fields.push(toRqbField(key, field, dictionary));
  }
  return fields;
}

function toRqbField(key: string, field: FieldSchema, dictionary: DictionarySnapshot): Field {
  const label = localized(field["x-label"]) || key;
  const base: Field = { name: `form.${key}`, label };
  const type = field["x-type"];
  const options =
    field["x-options"]?.map((option) => ({ name: option.code, value: option.code, label: localized(option.label) || option.code })) ??
    dictionary[field["x-dictionary"] ?? ""]?.options.map((option) => ({
      name: option.code,
      value: option.code,
      label: localized(option.label) || option.code,
    }));
  if (type === "select" || type === "radio") {
    return { ...base, valueEditorType: "select", values: options ?? [], operators: choiceOperators(), defaultValue: options?.[0]?.name };
  }
  if (type === "multi_select" || (type === "checkbox" && options)) {
    return { ...base, valueEditorType: "multiselect", values: options ?? [], operators: [op("in", "∋ any of"), op("notIn", "∌ none of")] };
  }
  if (type === "checkbox") {
    return { ...base, valueEditorType: "checkbox", operators: [{ name: "=", value: "=", label: "=" }], defaultValue: true };
  }
  if (type === "number" || type === "money" || (type === "computed" && field.type !== "string")) {
    return { ...base, inputType: "number", operators: numberOperators() };
  }
  if (type === "date") {
    return { ...base, inputType: "date", operators: numberOperators() };
  }
  return { ...base, operators: textOperators() };
}

const op = (name: string, label: string) => ({ name, value: name, label });

function choiceOperators() {
  return [op("=", "="), op("!=", "≠"), op("in", "in"), op("notIn", "not in"), op("null", "is empty"), op("notNull", "is not empty")];
}

function numberOperators() {
  return [op("=", "="), op("!=", "≠"), op("<", "<"), op("<=", "≤"), op(">", ">"), op(">=", "≥"), op("between", "between"), op("null", "is empty"), op("notNull", "is not empty")];
}

function textOperators() {
  return [op("=", "="), op("!=", "≠"), op("contains", "contains"), op("null", "is empty"), op("notNull", "is not empty")];
}
