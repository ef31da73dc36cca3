// Server refusals of the dictionary API → messages next to form fields.
// Dictionary errors name their input in details.field (platform_core/dictionary/exceptions.py);
// DRF validation errors come as {field: [messages]}.
import { ApiError } from "../../../api/errors";

export interface FieldError {
  name: string;
  errors: string[];
}

const TEXT_FIELDS = new Set(["name", "name_en", "description", "label", "label_en"]);

/** Field errors for an antd Form, only for fields in `known` (the rest stays a message). */
export function fieldErrors(error: unknown, known: readonly string[]): FieldError[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details;
  if (details && typeof details === "object" && !Array.isArray(details)) {
    const field = (details as Record<string, unknown>).field;
    if (typeof field === "string" && error.code.startsWith("dictionary_")) {
      return known.includes(field) ? [{ name: field, errors: [error.message] }] : [];
    }
  }
  return error
    .fieldProblems()
    .filter((problem) => known.includes(problem.field))
    .map((problem) => ({ name: problem.field, errors: problem.messages }));
}

/** Whether the error is the server's in-use guard (deleting an entry or a code something uses). */
export function isInUse(error: unknown): boolean {
  return error instanceof ApiError && error.code === "dictionary_in_use";
}

/** The count the in-use guard reported (details.count), or null. */
export function inUseCount(error: unknown): number | null {
  if (!isInUse(error)) return null;
  const details = (error as ApiError).details;
  const count = details && typeof details === "object" ? (details as Record<string, unknown>).count : undefined;
  return typeof count === "number" ? count : null;
}

export function isTextField(name: string): boolean {
  return TEXT_FIELDS.has(name);
}
