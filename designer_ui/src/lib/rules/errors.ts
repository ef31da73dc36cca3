// Errors of the rule evaluator, mirroring runtime/rules/errors.py: the same codes
// (`rule_invalid`, `rule_evaluation_error`) and the same `reason` names. Messages name
// the operator, the place in the rule and JSON type names, never data values.

export type RuleErrorCode = "rule_invalid" | "rule_evaluation_error";

export type RuleInvalidReason =
  | "unknown_operator"
  | "arity"
  | "not_json"
  | "not_operator_object"
  | "too_many_nodes"
  | "too_deep"
  | "string_too_long"
  | "number_out_of_range"
  | "bad_var_path"
  | "bad_unit"
  | "bad_column"
  | "bad_initial";

export type RuleEvaluationReason =
  | "division_by_zero"
  | "not_a_number"
  | "number_out_of_range"
  | "not_an_integer"
  | "invalid_date"
  | "date_order"
  | "bad_argument"
  | "bad_unit"
  | "too_expensive"
  | "result_too_large"
  | "internal";

export type RuleErrorDetails = Record<string, string | number>;

/** A rule that cannot be evaluated (code as on the server, `reason` as in docs/rules.md). */
export class RuleError extends Error {
  readonly code: RuleErrorCode;
  readonly reason: RuleInvalidReason | RuleEvaluationReason;
  /** Place in the rule JSON, e.g. `$.and[1].>[0]` (as the server reports it). */
  readonly path: string;
  readonly operator: string | undefined;
  readonly details: RuleErrorDetails;

  constructor(
    code: RuleErrorCode,
    reason: RuleInvalidReason | RuleEvaluationReason,
    path: string,
    details: RuleErrorDetails = {},
  ) {
    const operator = typeof details.operator === "string" ? details.operator : undefined;
    super(`${code}: ${reason} at ${path}${operator === undefined ? "" : ` (${operator})`}`);
    this.name = "RuleError";
    this.code = code;
    this.reason = reason;
    this.path = path;
    this.operator = operator;
    this.details = { reason, path, ...details };
  }
}

/** Thrown by operator implementations; the evaluator adds the operator and the path. */
export class EvalFailure extends Error {
  readonly reason: RuleEvaluationReason;
  readonly params: RuleErrorDetails;
  /** Set once the failure has been placed at a node of the rule. */
  located: { operator: string; path: string } | undefined;

  constructor(reason: RuleEvaluationReason, params: RuleErrorDetails = {}) {
    super(reason);
    this.name = "EvalFailure";
    this.reason = reason;
    this.params = params;
  }
}
