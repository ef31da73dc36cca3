// The form document as stored by the server (docs/forms.md): JSON Schema 2020-12 plus
// x- extensions (data) and a UI schema (layout). The designer edits it, the renderer
// draws it, the server checks it on publish and validates every submission against it.
export const SCHEMA_VERSION = 1;

/** A text in both languages: {"zh": "预算", "en": "Budget"}. */
export interface Label {
  zh?: string;
  en?: string;
}

export type JsonLogic = unknown;

export type FieldType =
  | "text"
  | "textarea"
  | "number"
  | "money"
  | "date"
  | "datetime"
  | "date_range"
  | "select"
  | "multi_select"
  | "radio"
  | "checkbox"
  | "user"
  | "department"
  | "attachment"
  | "image"
  | "signature"
  | "table"
  | "computed"
  | "description";

export interface OptionDef {
  code: string;
  label: Label;
  enabled?: boolean;
}

/** One property of the form (or a sub-table column). Keys follow docs/forms.md. */
export interface FieldSchema {
  "x-type": FieldType;
  title?: string;
  description?: string;
  "x-label"?: Label;
  "x-help"?: Label;
  "x-visible-if"?: JsonLogic;
  "x-required-if"?: JsonLogic;
  "x-compute"?: JsonLogic;
  "x-options"?: OptionDef[];
  "x-dictionary"?: string;
  "x-currency"?: string;
  "x-precision"?: number;
  "x-unit"?: Label | string;
  "x-max-days"?: number;
  "x-multiple"?: boolean;
  "x-scope"?: unknown;
  "x-accept"?: string[];
  "x-max-size"?: number;
  "x-require-exif"?: boolean;
  "x-camera-only"?: boolean;
  "x-watermark"?: boolean;
  "x-content"?: Label;
  /** A sub-table's column keys in display order (key order does not survive jsonb). */
  "x-column-order"?: string[];
  type?: string;
  format?: string;
  default?: unknown;
  readOnly?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: unknown[];
  items?: TableItems | Record<string, unknown>;
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
  [keyword: string]: unknown;
}

/** The row object of a sub-table: its columns. */
export interface TableItems {
  type: "object";
  properties: Record<string, FieldSchema>;
  required?: string[];
  additionalProperties?: false;
}

export interface FormSchema {
  $schema?: string;
  type: "object";
  title?: string;
  "x-label"?: Label;
  properties: Record<string, FieldSchema>;
  required?: string[];
  additionalProperties?: false;
}

export interface UiSection {
  title?: Label;
  fields: string[];
  columns?: number;
}

/** Per-field presentation: placeholder, help, widget, rows of a textarea, add-row label. */
export interface FieldUi {
  placeholder?: Label;
  help?: Label;
  widget?: string;
  rows?: number;
  direction?: "horizontal" | "vertical";
  add_label?: Label;
  [key: string]: unknown;
}

export interface UiSchema {
  order?: string[];
  sections?: UiSection[];
  fields?: Record<string, FieldUi>;
}

export interface FormDocument {
  schema_version: number;
  schema: FormSchema;
  ui_schema: UiSchema;
}

/** The pinned dictionary snapshot the server sends with a published form. */
export interface DictionarySnapshot {
  [entryKey: string]: {
    version?: number;
    options: { code: string; label: Label; enabled: boolean; parent: string | null }[];
  };
}

/** Field rights at a node: absent means editable. */
export type FieldRight = "editable" | "read_only" | "hidden";

/** One problem the server reports for a submission (submission_invalid details). */
export interface SubmissionIssue {
  pointer: string;
  field: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/** What rules see (DESIGN.md): {"form", "initiator", "urgent", "now"} (+ "row" in columns). */
export interface RuleContext {
  initiator?: Record<string, unknown>;
  urgent?: boolean;
  now?: string;
}

export function emptyFormDocument(title: Label = { zh: "", en: "" }): FormDocument {
  return {
    schema_version: SCHEMA_VERSION,
    schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      title: title.zh ?? "",
      "x-label": title,
      properties: {},
      required: [],
      additionalProperties: false,
    },
    ui_schema: { order: [], sections: [], fields: {} },
  };
}
