// Conditions over a form's fields (x-visible-if, x-required-if, flow edge conditions):
// the builder's fields, the builder ⇄ stored JsonLogic conversion, a human reading, and
// the modal that edits one.
export {
  conditionFields,
  conditionKind,
  fieldOptions,
  isMultiValued,
  multiValuedPaths,
  OPERATORS_BY_KIND,
  type ConditionKind,
} from "./fields";
export { toBuilderRule, toEngineRule, upgradeEmptyChecks } from "./transform";
export { incompleteRules, queryToRule, ruleProblem, ruleToQuery } from "./query";
export { compactJson, describeRule, DESCRIBE_MAX_LENGTH } from "./describe";
export { ConditionModal, type ConditionModalProps } from "./condition-modal";
