// Which other fields' rules read a field: deleting it breaks them (the verifier refuses to
// publish), so the designer says so at once.
import { localized } from "../i18n";
import { ruleVariables } from "../lib/rules";
import type { FieldSchema } from "../schema/form";
import { columnsOf, type DesignerModel, type FieldRef } from "./model";

const RULES = ["x-visible-if", "x-required-if", "x-compute"] as const;

function reads(field: FieldSchema): string[] {
  const paths: string[] = [];
  for (const keyword of RULES) {
    if (field[keyword] === undefined) continue;
    try {
      paths.push(...ruleVariables(field[keyword]));
    } catch {
      // a half-written rule reads nothing we can name
    }
  }
  return paths;
}

/** Labels of the fields (and columns) whose rules read ``ref``. */
export function fieldsReading(model: DesignerModel, ref: FieldRef): string[] {
  const target = ref.column ? `form.${ref.key}.${ref.column}` : `form.${ref.key}`;
  const rowTarget = ref.column ? `row.${ref.column}` : null;
  const hits = (path: string) => path === target || path.startsWith(`${target}.`);
  const labels: string[] = [];
  for (const [key, field] of Object.entries(model.fields)) {
    if (key !== ref.key && reads(field).some(hits)) labels.push(localized(field["x-label"]) || key);
    for (const [column, columnField] of Object.entries(columnsOf(field))) {
      if (key === ref.key && column === ref.column) continue;
      const paths = reads(columnField);
      const inSameTable = key === ref.key && rowTarget !== null && paths.some((path) => path === rowTarget || path.startsWith(`${rowTarget}.`));
      if (paths.some(hits) || inSameTable) labels.push(`${localized(field["x-label"]) || key}.${localized(columnField["x-label"]) || column}`);
    }
  }
  return labels;
}
