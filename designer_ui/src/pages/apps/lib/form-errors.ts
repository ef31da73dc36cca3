// Server refusals → messages next to form fields.
import { ApiError } from "../../../api/errors";

export interface FieldError {
  name: string;
  errors: string[];
}

/**
 * Field errors for an antd Form from an ApiError: DRF validation details ({field: [messages]})
 * plus the codes whose details name a field but carry no message (app_key_invalid → "key",
 * visibility_invalid → "visibility"). Only fields in `known` are returned; the rest stays in the message.
 */
export function fieldErrors(error: unknown, known: readonly string[]): FieldError[] {
  if (!(error instanceof ApiError)) return [];
  if (error.code === "app_key_invalid") return known.includes("key") ? [{ name: "key", errors: [error.message] }] : [];
  if (error.code === "visibility_invalid") {
    return known.includes("visibility") ? [{ name: "visibility", errors: [error.message] }] : [];
  }
  return error
    .fieldProblems()
    .filter((problem) => known.includes(problem.field))
    .map((problem) => ({ name: problem.field, errors: problem.messages }));
}
