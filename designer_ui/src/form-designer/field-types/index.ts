// The front end's mirror of the server's field-type registry (runtime/forms/field_types):
// one entry per `x-type`, with what the designer needs to show and edit it. A pytest test
// (tests/definitions/test_field_types_api.py) checks that the keys match the server's.
import type { FieldType } from "../../schema/form";

export type PaletteGroup = "basic" | "choice" | "date" | "org" | "file" | "advanced" | "layout";

/** The property editors the side panel shows for a type (besides label, key and rules). */
export type EditorKind =
  | "placeholder"
  | "required"
  | "default"
  | "length"
  | "pattern"
  | "email"
  | "rows"
  | "bounds"
  | "precision"
  | "unit"
  | "currency"
  | "max_days"
  | "options"
  | "items"
  | "checkbox_mode"
  | "multiple"
  | "files"
  | "image"
  | "columns"
  | "rows_count"
  | "compute"
  | "content";

export interface FieldTypeUi {
  group: PaletteGroup;
  icon: string; // a key of ./icons.tsx
  editors: EditorKind[];
  /** Shown as a full-width row in multi-column sections. */
  wide?: boolean;
}

const TEXTUAL: EditorKind[] = ["placeholder", "required", "default"];

export const FIELD_TYPES: Record<FieldType, FieldTypeUi> = {
  text: { group: "basic", icon: "text", editors: [...TEXTUAL, "length", "pattern", "email"] },
  textarea: { group: "basic", icon: "textarea", editors: [...TEXTUAL, "length", "rows"], wide: true },
  number: { group: "basic", icon: "number", editors: [...TEXTUAL, "bounds", "precision", "unit"] },
  money: { group: "basic", icon: "money", editors: [...TEXTUAL, "bounds", "currency"] },
  date: { group: "date", icon: "date", editors: ["placeholder", "required", "default"] },
  datetime: { group: "date", icon: "datetime", editors: ["placeholder", "required", "default"] },
  date_range: { group: "date", icon: "date_range", editors: ["required", "max_days"] },
  select: { group: "choice", icon: "select", editors: ["placeholder", "required", "options", "default"] },
  multi_select: { group: "choice", icon: "multi_select", editors: ["placeholder", "required", "options", "items"] },
  radio: { group: "choice", icon: "radio", editors: ["required", "options", "default"] },
  checkbox: { group: "choice", icon: "checkbox", editors: ["required", "checkbox_mode", "options", "items"] },
  user: { group: "org", icon: "user", editors: ["placeholder", "required", "multiple"] },
  department: { group: "org", icon: "department", editors: ["placeholder", "required", "multiple"] },
  attachment: { group: "file", icon: "attachment", editors: ["required", "files"] },
  image: { group: "file", icon: "image", editors: ["required", "files", "image"] },
  signature: { group: "file", icon: "signature", editors: ["required"] },
  table: { group: "advanced", icon: "table", editors: ["required", "columns", "rows_count"], wide: true },
  computed: { group: "advanced", icon: "computed", editors: ["compute", "precision", "unit", "currency"] },
  description: { group: "layout", icon: "description", editors: ["content"], wide: true },
};

export const PALETTE_GROUPS: PaletteGroup[] = ["basic", "choice", "date", "org", "file", "advanced", "layout"];

export function fieldTypeUi(type: string): FieldTypeUi {
  return FIELD_TYPES[type as FieldType] ?? { group: "basic", icon: "text", editors: [] };
}
