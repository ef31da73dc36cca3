import type { FormDocument, RuleContext } from "../../schema/form";
import { evaluateForm } from "./evaluate";
import { NO_CLIENT_VALUE } from "./fields";

/** A new form's value: each field's `default`, with visibility and computed values applied. */
export function initialValue(document: FormDocument, context?: RuleContext): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(document.schema.properties ?? {})) {
    if (field.default !== undefined && !NO_CLIENT_VALUE.has(field["x-type"])) value[key] = structuredClone(field.default);
  }
  return evaluateForm(document, value, context).value;
}
