// Client-side submission validation: the same codes, pointers and messages as the server
// (runtime/forms/submission.py and the field types), so an error shows before the round
// trip. The server stays authoritative (user/department existence, signer, previous values).
import type { WorkCalendar } from "../../lib/rules";
import type { DictionarySnapshot, FieldRight, FieldSchema, FormDocument, RuleContext, SubmissionIssue } from "../../schema/form";
import { allFields, evaluateForm } from "./evaluate";
import { fieldOptions, isArrayField, isEmpty, isRecord, pointerJoin, tableColumns, tableRequired } from "./fields";
import { VALUE_MESSAGES, issueText } from "./messages";


export interface ValidateOptions {
  dictionary?: DictionarySnapshot;
  fieldRights?: Record<string, FieldRight>;
  context?: RuleContext;
  /** Stored data when editing: a disabled option already chosen there stays allowed. */
  previous?: Record<string, unknown>;
  /** The company's working calendar for working-day rules (default: Monday to Friday). */
  calendar?: WorkCalendar;
}

const MAX_NUMBER = 1e15;
const PATTERN_INPUT_LIMIT = 500;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$/;

type Issue = Omit<SubmissionIssue, "message"> & { params: Record<string, unknown> };

export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  if (y < 1) return false;
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isDateTime(value: string): boolean {
  if (value.length > 40 || !DATETIME.test(value)) return false;
  if (!isDate(value.slice(0, 10))) return false;
  const [h, mi, s] = value.slice(11, 19).split(":").map(Number) as [number, number, number];
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(value);
  if (zone && (Number(zone[2]) > 23 || Number(zone[3]) > 59)) return false;
  return h < 24 && mi < 60 && s < 60;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Decimal places as the user typed the number (Python's repr of a float). */
export function decimalPlacesOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const text = String(value);
  const match = /^-?\d*(?:\.(\d+))?(?:e([+-]\d+))?$/i.exec(text);
  if (!match) return 0;
  const fraction = match[1]?.length ?? 0;
  const exponent = match[2] ? Number(match[2]) : 0;
  return Math.max(0, fraction - exponent);
}

function accepts(accept: string[], name: string, contentType: string): boolean {
  const lowerName = name.toLowerCase();
  const type = contentType.toLowerCase();
  return accept.some((raw) => {
    const rule = raw.toLowerCase();
    if (rule.startsWith(".") && lowerName.endsWith(rule)) return true;
    if (rule.endsWith("/*") && type.startsWith(rule.slice(0, -1))) return true;
    return rule === type;
  });
}

/** Does a file pass `x-accept`? (exported for the upload widget) */
export function fileAccepted(field: FieldSchema, name: string, contentType: string): boolean {
  const accept = field["x-accept"];
  return !Array.isArray(accept) || accept.length === 0 || accepts(accept, name, contentType);
}

function searchPattern(pattern: string, text: string): boolean {
  if (codePoints(text) > PATTERN_INPUT_LIMIT) return false;
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return true; // a pattern the browser cannot run: the server decides
  }
}

class Checker {
  issues: Issue[] = [];
  constructor(private readonly dictionary: DictionarySnapshot | undefined) {}

  add(pointer: string, field: string, code: string, params: Record<string, unknown> = {}): void {
    this.issues.push({ pointer, field, code, params });
  }

  bounds(value: number, field: FieldSchema, pointer: string, path: string): boolean {
    const before = this.issues.length;
    if (typeof field.minimum === "number" && value < field.minimum) this.add(pointer, path, "min_value", { limit: field.minimum });
    if (typeof field.maximum === "number" && value > field.maximum) this.add(pointer, path, "max_value", { limit: field.maximum });
    if (typeof field.exclusiveMinimum === "number" && value <= field.exclusiveMinimum)
      this.add(pointer, path, "min_value_exclusive", { limit: field.exclusiveMinimum });
    if (typeof field.exclusiveMaximum === "number" && value >= field.exclusiveMaximum)
      this.add(pointer, path, "max_value_exclusive", { limit: field.exclusiveMaximum });
    return this.issues.length === before;
  }

  itemCounts(items: unknown[], field: FieldSchema, pointer: string, path: string, rows: boolean, cap?: number): void {
    const min = field.minItems;
    const max = typeof field.maxItems === "number" ? field.maxItems : cap;
    if (typeof min === "number" && items.length < min) this.add(pointer, path, rows ? "min_rows" : "min_items", { limit: min });
    if (typeof max === "number" && items.length > max) this.add(pointer, path, rows ? "max_rows" : "max_items", { limit: max });
  }

  unique(items: unknown[], pointer: string, path: string): boolean {
    const seen = new Set(items.map((item) => JSON.stringify(item)));
    if (seen.size !== items.length) {
      this.add(pointer, path, "duplicate_items");
      return false;
    }
    return true;
  }

  codes(codes: unknown[], field: FieldSchema, pointer: string, path: string, multiple: boolean, previous: unknown): void {
    const options = fieldOptions(field, this.dictionary);
    if (options === null) return; // no snapshot: codes are not checked
    const inline = Array.isArray(field["x-options"]) || (isRecord(field.items) && Array.isArray((field.items as Record<string, unknown>)["x-options"]));
    const byCode = new Map(options.map((o) => [o.code, o]));
    const before = new Set<string>(
      Array.isArray(previous) ? previous.filter((c): c is string => typeof c === "string") : typeof previous === "string" ? [previous] : [],
    );
    // Schema stage (inline options are the enum): unknown codes without a parameter.
    if (inline) {
      let bad = false;
      codes.forEach((code, index) => {
        if (typeof code === "string" && !byCode.has(code)) {
          this.add(multiple ? pointerJoin(...pointerParts(pointer), index) : pointer, path, "invalid_choice");
          bad = true;
        }
      });
      if (bad) return;
    }
    codes.forEach((code, index) => {
      if (typeof code !== "string") return;
      const where = multiple ? `${pointer}/${index}` : pointer;
      const option = byCode.get(code);
      if (!option) this.add(where, path, "invalid_choice", { code });
      else if (option.enabled === false && !before.has(code)) this.add(where, path, "choice_disabled", { code });
    });
  }

  stringsArray(value: unknown, pointer: string, path: string): value is string[] {
    if (!Array.isArray(value)) {
      this.add(pointer, path, "invalid_type", { expected: "array" });
      return false;
    }
    let ok = true;
    value.forEach((item, index) => {
      if (typeof item !== "string") {
        this.add(`${pointer}/${index}`, path, "invalid_type", { expected: "string" });
        ok = false;
      }
    });
    return ok;
  }

  /** One field's value (present and not empty). */
  value(field: FieldSchema, value: unknown, pointer: string, path: string, previous: unknown): void {
    const type = field["x-type"];
    switch (type) {
      case "text":
      case "textarea": {
        if (typeof value !== "string") return this.add(pointer, path, "invalid_type", { expected: "string" });
        const length = codePoints(value);
        const pattern = typeof field.pattern === "string" ? field.pattern : undefined;
        const max = typeof field.maxLength === "number" ? field.maxLength : type === "textarea" ? 20000 : pattern ? 500 : 2000;
        if (typeof field.minLength === "number" && length < field.minLength) this.add(pointer, path, "min_length", { limit: field.minLength });
        if (length > max) this.add(pointer, path, "max_length", { limit: max });
        if (pattern !== undefined && !searchPattern(pattern, value)) this.add(pointer, path, "invalid_format");
        if (field.format === "email" && !(value.length <= 254 && EMAIL.test(value))) this.add(pointer, path, "invalid_email");
        return;
      }
      case "number":
      case "money": {
        if (typeof value !== "number") return this.add(pointer, path, "invalid_type", { expected: "number" });
        if (!this.bounds(value, field, pointer, path)) return;
        if (!Number.isFinite(value) || Math.abs(value) > MAX_NUMBER) return this.add(pointer, path, "invalid_number");
        const places = type === "money" ? 2 : typeof field["x-precision"] === "number" ? field["x-precision"] : null;
        if (places !== null && decimalPlacesOf(value) > places) this.add(pointer, path, "invalid_precision", { places });
        return;
      }
      case "date":
        if (typeof value !== "string") return this.add(pointer, path, "invalid_type", { expected: "string" });
        if (!isDate(value)) this.add(pointer, path, "invalid_date");
        return;
      case "datetime":
        if (typeof value !== "string") return this.add(pointer, path, "invalid_type", { expected: "string" });
        if (!isDateTime(value)) this.add(pointer, path, "invalid_datetime");
        return;
      case "date_range": {
        if (!isRecord(value)) return this.add(pointer, path, "invalid_type", { expected: "object" });
        const before = this.issues.length;
        for (const part of ["start", "end"]) {
          const item = value[part];
          if (item === undefined || item === null) this.add(`${pointer}/${part}`, path, "required");
          else if (typeof item !== "string") this.add(`${pointer}/${part}`, path, "invalid_type", { expected: "string" });
          else if (!isDate(item)) this.add(`${pointer}/${part}`, path, "invalid_date");
        }
        for (const extra of Object.keys(value).filter((k) => k !== "start" && k !== "end").sort())
          this.add(`${pointer}/${extra}`, path, "unknown_field");
        if (this.issues.length !== before) return;
        const start = String(value.start);
        const end = String(value.end);
        if (end < start) return this.add(`${pointer}/end`, path, "date_range_order");
        const limit = field["x-max-days"];
        const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
        if (typeof limit === "number" && Number.isInteger(limit) && days > limit)
          this.add(`${pointer}/end`, path, "date_range_too_long", { limit });
        return;
      }
      case "select":
      case "radio":
        if (typeof value !== "string") return this.add(pointer, path, "invalid_type", { expected: "string" });
        return this.codes([value], field, pointer, path, false, previous);
      case "multi_select":
      case "checkbox": {
        if (type === "checkbox" && !isArrayField(field)) {
          if (typeof value !== "boolean") this.add(pointer, path, "invalid_type", { expected: "boolean" });
          return;
        }
        if (!this.stringsArray(value, pointer, path)) return;
        const before = this.issues.length;
        this.itemCounts(value, field, pointer, path, false);
        this.unique(value, pointer, path);
        if (this.issues.length !== before) return;
        return this.codes(value, field, pointer, path, true, previous);
      }
      case "user":
      case "department": {
        if (field["x-multiple"] === true) {
          if (!this.stringsArray(value, pointer, path)) return;
          this.itemCounts(value, field, pointer, path, false);
          this.unique(value, pointer, path);
          value.forEach((id, index) => {
            if (codePoints(id) > 64) this.add(`${pointer}/${index}`, path, "max_length", { limit: 64 });
          });
          return;
        }
        if (typeof value !== "string") return this.add(pointer, path, "invalid_type", { expected: "string" });
        if (codePoints(value) > 64) this.add(pointer, path, "max_length", { limit: 64 });
        return;
      }
      case "attachment":
      case "image": {
        if (!Array.isArray(value)) return this.add(pointer, path, "invalid_type", { expected: "array" });
        const before = this.issues.length;
        this.itemCounts(value, field, pointer, path, false, 50);
        value.forEach((ref, index) => {
          if (!isRecord(ref)) this.add(`${pointer}/${index}`, path, "invalid_type", { expected: "object" });
          else if (typeof ref.file_id !== "string" || !ref.file_id) this.add(`${pointer}/${index}/file_id`, path, "required");
        });
        if (this.issues.length !== before) return;
        const accept = field["x-accept"];
        const maxSize = field["x-max-size"];
        value.forEach((item, index) => {
          const ref = item as Record<string, unknown>;
          const where = `${pointer}/${index}`;
          const name = typeof ref.name === "string" ? ref.name : "";
          const contentType = typeof ref.content_type === "string" ? ref.content_type : "";
          if (Array.isArray(accept) && accept.length && !accepts(accept, name, contentType))
            this.add(where, path, "file_type_not_allowed", { accept: accept.join(", ") });
          if (typeof maxSize === "number" && typeof ref.size === "number" && ref.size > maxSize)
            this.add(where, path, "file_too_large", { limit: maxSize });
          if (type === "image" && field["x-require-exif"] === true && (!ref.taken_at || !ref.location))
            this.add(where, path, "exif_missing");
        });
        return;
      }
      case "signature": {
        if (!isRecord(value)) return this.add(pointer, path, "invalid_type", { expected: "object" });
        for (const part of ["file_id", "signer", "signed_at"]) {
          if (value[part] === undefined || value[part] === null || value[part] === "") this.add(`${pointer}/${part}`, path, "required");
        }
        return;
      }
      default:
        return;
    }
  }
}

function pointerParts(pointer: string): string[] {
  return pointer.split("/").slice(1);
}

/**
 * Validate `value` like the server's validate_submission. Pointers: "/budget",
 * "/trip_dates/end", "/companions/0/phone", "/itinerary/1". Messages are translated
 * (namespace "renderer", errors.<code>).
 */
export function validateForm(
  document: FormDocument,
  value: Record<string, unknown>,
  options: ValidateOptions = {},
): SubmissionIssue[] {
  const rights = options.fieldRights ?? {};
  const previous = options.previous ?? {};
  const properties = document.schema.properties ?? {};
  const evaluation = evaluateForm(document, value, options.context, options.dictionary, options.calendar);
  const clean = evaluation.value;
  const checker = new Checker(options.dictionary);
  const locked = (path: string) => rights[path] === "hidden" || rights[path] === "read_only";

  for (const key of Object.keys(value ?? {})) {
    if (!(key in properties)) checker.add(pointerJoin(key), key, "unknown_field");
  }
  for (const [key, field] of Object.entries(properties)) {
    const type = field["x-type"];
    if (type === "computed" || type === "description" || locked(key)) continue;
    if (!evaluation.visible.has(key)) continue;
    const pointer = pointerJoin(key);
    const item = clean[key];
    if (item === undefined) {
      if (evaluation.required.has(key)) checker.add(pointer, key, "required");
      continue;
    }
    if (type !== "table") {
      checker.value(field, item, pointer, key, previous[key]);
      continue;
    }
    if (!Array.isArray(item)) {
      checker.add(pointer, key, "invalid_type", { expected: "array" });
      continue;
    }
    checker.itemCounts(item, field, pointer, key, true, 500);
    const columns = tableColumns(field);
    const required = new Set(tableRequired(field));
    const previousRows = previous[key];
    item.forEach((row, index) => {
      const rowPointer = pointerJoin(key, index);
      if (!isRecord(row)) return checker.add(rowPointer, key, "invalid_type", { expected: "object" });
      for (const name of Object.keys(row).sort()) {
        if (!(name in columns)) checker.add(pointerJoin(key, index, name), `${key}.${name}`, "unknown_field");
      }
      for (const [name, column] of Object.entries(columns)) {
        const path = `${key}.${name}`;
        const cellPath = `${key}.${index}.${name}`;
        if (column["x-type"] === "computed" || column["x-type"] === "description" || locked(path)) continue;
        if (!evaluation.visible.has(cellPath)) continue;
        const cell = row[name];
        const cellPointer = pointerJoin(key, index, name);
        if (cell === undefined || isEmpty(cell)) {
          if (required.has(name) || evaluation.required.has(cellPath)) checker.add(cellPointer, path, "required");
          continue;
        }
        const before = Array.isArray(previousRows)
          ? previousRows.filter(isRecord).map((r) => r[name]).flat()
          : undefined;
        checker.value(column, cell, cellPointer, path, before);
      }
    });
  }
  let issues = checker.issues;
  if (!issues.length && evaluation.computeFailed.size) {
    issues = [...evaluation.computeFailed].map((path) => {
      const parts = path.split(".");
      const fieldPath = parts.length === 3 ? `${parts[0]}.${parts[2]}` : path;
      return { pointer: pointerJoin(...parts), field: fieldPath, code: "compute_failed", params: {} };
    });
  }
  const position = new Map(allFields(document).map((plan, index) => [plan.path, index]));
  const end = position.size;
  issues.sort(
    (a, b) =>
      (position.get(a.field) ?? end) - (position.get(b.field) ?? end) ||
      (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return issues.map((issue) => {
    const message = VALUE_MESSAGES[issue.code] ?? VALUE_MESSAGES.invalid ?? "";
    return { ...issue, message: issueText({ code: issue.code, message, params: issue.params }) };
  });
}
