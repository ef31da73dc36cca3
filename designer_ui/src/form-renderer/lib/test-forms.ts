// Test documents: the seed's travel form (tests/unit/forms/fixtures) and a form with one
// field of every checked kind.
import travel from "../../../../tests/unit/forms/fixtures/travel_form.json";
import snapshot from "../../../../tests/unit/forms/fixtures/dictionary_snapshot.json";
import type { DictionarySnapshot, FormDocument } from "../../schema/form";

export const travelForm = travel as unknown as FormDocument;
export const dictionary = snapshot as unknown as DictionarySnapshot;

export function form(properties: Record<string, unknown>, required: string[] = []): FormDocument {
  return {
    schema_version: 1,
    schema: { type: "object", properties: properties as FormDocument["schema"]["properties"], required, additionalProperties: false },
    ui_schema: { order: Object.keys(properties) },
  };
}
