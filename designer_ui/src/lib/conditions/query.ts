// The one way between a stored condition (JsonLogic, as the engine evaluates it) and the
// builder's query (react-querybuilder's RuleGroupType).
import { formatQuery, isRuleGroup, type Field, type RuleGroupType, type RuleType } from "react-querybuilder";
import { parseJsonLogic } from "react-querybuilder/parseJsonLogic";

import type { JsonLogic } from "../../schema/form";
import { toBuilderRule, toEngineRule, upgradeEmptyChecks } from "./transform";

/** Operators that need no value. */
const NO_VALUE = new Set(["null", "notNull"]);
const LIST = new Set(["in", "notIn"]);
const RANGE = new Set(["between", "notBetween"]);

function isObject(node: unknown): node is Record<string, unknown> {
  return !!node && typeof node === "object" && !Array.isArray(node);
}

/** `{"and": [x]}` and `{"or": [x]}` at the top mean x. */
function unwrap(rule: unknown): unknown {
  let current = rule;
  while (isObject(current)) {
    const keys = Object.keys(current);
    const only = keys.length === 1 ? keys[0] : undefined;
    const args = only === "and" || only === "or" ? current[only] : undefined;
    if (!Array.isArray(args) || args.length !== 1) break;
    current = args[0];
  }
  return current;
}

/** JSON with sorted keys (for comparing rules). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isObject(item) ? Object.fromEntries(Object.keys(item).sort().map((key) => [key, item[key]])) : item,
  );
}

function fieldByName(fields: readonly Field[]): Map<string, Field> {
  return new Map(fields.map((field) => [field.name, field]));
}

/** The operator names a field offers (flat or grouped option lists), or null for "any". */
function operatorNames(field: Field): string[] | null {
  if (!field.operators) return null;
  const name = (entry: unknown): string[] => {
    if (typeof entry === "string") return [entry];
    if (!entry || typeof entry !== "object") return [];
    const { options, name: own, value } = entry as { options?: unknown; name?: unknown; value?: unknown };
    if (Array.isArray(options)) return options.flatMap(name);
    const text = typeof own === "string" ? own : value;
    return typeof text === "string" ? [text] : [];
  };
  return (field.operators as readonly unknown[]).flatMap(name);
}

/** Whether every rule of the query is one the builder shows faithfully: a known field (when
 * fields are given), an operator it offers, a literal value, no array match modes. */
function showable(group: RuleGroupType, fields: Map<string, Field> | null): boolean {
  return group.rules.every((item) => {
    if (typeof item === "string") return true;
    if (isRuleGroup(item)) return showable(item, fields);
    if (item.valueSource === "field" || item.match) return false;
    if (!fields) return true;
    const field = fields.get(item.field);
    const names = field ? operatorNames(field) : null;
    return !!field && (names === null || names.includes(item.operator));
  });
}

/**
 * A stored rule as the builder's query; an empty group for no rule; null when the builder
 * cannot show it faithfully (then it is edited as JSON). Pass the builder's fields to also
 * refuse rules on fields or operators the builder does not offer.
 *
 * The parser silently drops what it does not understand and reads some rules loosely
 * (`===` as `=`), so a parse is accepted only when it formats back to the same rule (up to
 * a one-rule top group, and `X == null` of the earlier builder, now stored as `missing`).
 */
export function ruleToQuery(rule: JsonLogic | null | undefined, multi: ReadonlySet<string>, fields?: readonly Field[]): RuleGroupType | null {
  if (rule === undefined || rule === null) return { combinator: "and", rules: [] };
  if (!isObject(rule)) return null;
  let parsed: RuleGroupType;
  try {
    parsed = parseJsonLogic(toBuilderRule(rule, multi) as never, { listsAsArrays: true });
  } catch {
    return null;
  }
  if (!parsed.rules.length || !showable(parsed, fields ? fieldByName(fields) : null)) return null;
  let back: unknown;
  try {
    back = queryToRule(parsed, multi, fields);
  } catch {
    return null;
  }
  return canonical(back) === canonical(unwrap(upgradeEmptyChecks(rule, multi))) ? parsed : null;
}

/**
 * The builder's query as the stored rule, or null for an empty group. With the builder's
 * fields, values of number fields ("5000" from a text box) are stored as numbers while
 * option codes such as "007" stay text; a one-rule group is stored as that rule.
 */
export function queryToRule(query: RuleGroupType, multi: ReadonlySet<string>, fields?: readonly Field[]): JsonLogic | null {
  const built: unknown = formatQuery(query, {
    format: "jsonlogic",
    parseNumbers: "strict-limited",
    fields: fields ? [...fields] : undefined,
  });
  if (!isObject(built)) return null;
  return toEngineRule(unwrap(built), multi) as JsonLogic;
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return value.split(",").map((part) => part.trim()).filter(Boolean);
  return blank(value) ? [] : [value];
}

/** Why a rule cannot be saved yet: "value" (missing), "number" (not a number), or null. */
export function ruleProblem(rule: RuleType, field?: Field): "value" | "number" | null {
  if (NO_VALUE.has(rule.operator)) return null;
  const numeric = field?.inputType === "number";
  const values = LIST.has(rule.operator) || RANGE.has(rule.operator) ? listOf(rule.value) : [rule.value];
  if (LIST.has(rule.operator) ? values.length === 0 : RANGE.has(rule.operator) ? values.length !== 2 || values.some(blank) : values.some(blank)) {
    return "value";
  }
  if (numeric && values.some((value) => typeof value !== "number" && !(typeof value === "string" && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(value)))) {
    return "number";
  }
  return null;
}

/** The rules of a query that cannot be saved yet (formatQuery would drop or garble them). */
export function incompleteRules(query: RuleGroupType, fields: readonly Field[] = []): RuleType[] {
  const byName = fieldByName(fields);
  const out: RuleType[] = [];
  const visit = (group: RuleGroupType) => {
    for (const item of group.rules) {
      if (typeof item === "string") continue;
      if (isRuleGroup(item)) visit(item);
      else if (ruleProblem(item, byName.get(item.field))) out.push(item);
    }
  };
  visit(query);
  return out;
}
