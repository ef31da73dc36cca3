// Rules in the browser: the same JSON-logic semantics as the server (runtime/rules,
// docs/rules.md), on top of json-logic-js; both pass tests/vectors/rules.json.

export { evaluateRule, MAX_WORK, type EvaluateOptions, type RuleData } from "./evaluate";
export { checkRule, MAX_DEPTH, MAX_NODES, MAX_STRING_LENGTH, type RuleProblem } from "./check";
export {
  missingVariables,
  requiredVariables,
  ruleAnalysis,
  ruleVariables,
  type RuleAnalysis,
  type RuleRead,
} from "./analysis";
export { RuleError, type RuleErrorCode, type RuleEvaluationReason, type RuleInvalidReason } from "./errors";
export { WEEKDAY_CALENDAR, workCalendarFromJson, type WorkCalendar, type WorkCalendarJson } from "./calendar";
export { OPERATORS, registerRuleOperations, type OperatorSpec } from "./operators";
export { truthy } from "./values";
