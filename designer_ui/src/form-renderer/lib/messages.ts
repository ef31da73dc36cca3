// Submission error texts: the server's messages (runtime/forms/messages.py and their
// zh-Hans translations), kept in the "renderer" namespace under errors.<code>.
import i18n from "../../i18n";
import type { SubmissionIssue } from "../../schema/form";

/** The English msgids of the server, with %(name)s parameters (for issues built here). */
export const VALUE_MESSAGES: Record<string, string> = {
  required: "This field is required.",
  invalid_type: "Enter a value of the right kind (%(expected)s).",
  min_value: "Ensure this value is greater than or equal to %(limit)s.",
  max_value: "Ensure this value is less than or equal to %(limit)s.",
  min_value_exclusive: "Ensure this value is greater than %(limit)s.",
  max_value_exclusive: "Ensure this value is less than %(limit)s.",
  min_length: "Ensure this value has at least %(limit)s characters.",
  max_length: "Ensure this value has at most %(limit)s characters.",
  invalid_format: "Enter a value in the required format.",
  invalid_date: "Enter a valid date (YYYY-MM-DD).",
  invalid_datetime: "Enter a valid date and time.",
  invalid_email: "Enter a valid e-mail address.",
  invalid_choice: "Select a valid choice.",
  choice_disabled: "The option “%(code)s” is no longer available; choose another one.",
  min_items: "Choose or add at least %(limit)s items.",
  max_items: "Choose or add at most %(limit)s items.",
  min_rows: "Add at least %(limit)s rows.",
  max_rows: "Add at most %(limit)s rows.",
  duplicate_items: "Each item may appear only once.",
  unknown_field: "This field is not part of the form.",
  invalid_number: "Enter a valid number.",
  invalid_precision: "Enter a number with at most %(places)s decimal places.",
  date_range_order: "The end date must not be before the start date.",
  date_range_too_long: "The range may span at most %(limit)s days.",
  file_type_not_allowed: "Files of this type are not allowed (allowed: %(accept)s).",
  file_too_large: "The file is larger than the allowed %(limit)s bytes.",
  exif_missing: "The photo must carry the time and place it was taken.",
  signature_signer_mismatch: "Only the signer themselves may sign.",
  read_only: "This field is read-only here and cannot be changed.",
  compute_failed: "This value could not be computed; check the fields it is computed from.",
  invalid: "Enter a valid value.",
};

/** The issue's text in the current language (our catalogue; the server's text for unknown codes). */
export function issueText(issue: Pick<SubmissionIssue, "code" | "message" | "params">): string {
  const key = `renderer:errors.${issue.code}`;
  if (i18n.exists(key)) return i18n.t(key, { ...(issue.params ?? {}) });
  const params = issue.params ?? {};
  return (issue.message || VALUE_MESSAGES.invalid || "").replace(/%\((\w+)\)s/g, (_, name: string) =>
    name in params ? String(params[name]) : "",
  );
}
