// The fields a condition may read, as react-querybuilder fields named "form.<key>" (the
// variable the server's rules use), with options for choice fields.
import type { Field } from "react-querybuilder";

import { localized } from "../../i18n";
import type { DictionarySnapshot, FieldSchema } from "../../schema/form";
import type { DesignerModel } from "../model";

const NO_VALUE = new Set(["description", "attachment", "image", "signature", "table"]);

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
    return { ...base, valueEditorType: "select", values: options ?? [], operators: [{ name: "in", value: "in", label: "包含" }] };
  }
  if (type === "checkbox") {
    return { ...base, valueEditorType: "checkbox", operators: [{ name: "=", value: "=", label: "=" }], defaultValue: true };
  }
  if (type === "number" || type === "money" || (type === "computed" && field.type !== "string")) {
    return { ...base, inputType: "number", operators: numberOperators() };
  }
  if (type === "date" || type === "datetime") {
    return { ...base, inputType: type === "date" ? "date" : "datetime-local", operators: numberOperators() };
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
  return [op("=", "="), op("!=", "≠"), op("contains", "contains"), op("beginsWith", "begins with"), op("null", "is empty"), op("notNull", "is not empty")];
}
