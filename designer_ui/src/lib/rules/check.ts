// Static validation of rules (port of runtime/rules/checker.py): operators, arity,
// JSON-ness and size limits. Paths name the place in the rule JSON: `$` is the rule,
// `.op` an operator's argument (`$.var` when it is not an array), `[i]` an element.

import { RuleError, type RuleErrorDetails, type RuleInvalidReason } from "./errors";
import { OPERATORS } from "./operators";
import { MAX_SAFE_INTEGER, codePoints, isPlainObject } from "./values";

export const MAX_NODES = 2000;
export const MAX_DEPTH = 32;
export const MAX_STRING_LENGTH = 1000;

export interface RuleProblem {
  readonly code: "rule_invalid";
  readonly reason: RuleInvalidReason;
  readonly path: string;
  /** reason, path and the message parameters (operator, expected, count, limit, type). */
  readonly details: RuleErrorDetails;
  /** English text for the designer (the server's message with its parameters filled in). */
  readonly message: string;
}

const MESSAGES: Record<RuleInvalidReason, (d: RuleErrorDetails) => string> = {
  unknown_operator: (d) => `Unknown operator “${d.operator}” at ${d.path}.`,
  arity: (d) => `“${d.operator}” at ${d.path} takes ${d.expected} argument(s), not ${d.count}.`,
  not_json: (d) => `The rule holds a value that is not JSON (${d.type}) at ${d.path}.`,
  not_operator_object: (d) => `An object in a rule must have exactly one key, the operator name (at ${d.path}).`,
  too_many_nodes: (d) => `The rule is too large: it has more than ${d.limit} parts.`,
  too_deep: (d) => `The rule is nested more than ${d.limit} levels deep (at ${d.path}).`,
  string_too_long: (d) => `A text in the rule is longer than ${d.limit} characters (at ${d.path}).`,
  number_out_of_range: (d) => `A number in the rule is too large or not finite (at ${d.path}).`,
  bad_var_path: (d) => `The variable name at ${d.path} must be text or a whole number.`,
  bad_unit: (d) => `“${d.operator}” at ${d.path} needs the unit “days” or “hours”.`,
  bad_column: (d) => `The column name of “${d.operator}” at ${d.path} must be text.`,
  bad_initial: (d) => `The initial value of “reduce” at ${d.path} must be a plain value, not a rule.`,
};

/** An operator's arguments as a list with their paths (a lone argument is wrapped). */
export function argumentList(op: string, raw: unknown, path: string): [unknown[], string[]] {
  if (Array.isArray(raw)) {
    const base = `${path}.${op}`;
    return [raw as unknown[], raw.map((_, i) => `${base}[${i}]`)];
  }
  return [[raw], [`${path}.${op}`]];
}

export function arityText(minArgs: number, maxArgs: number | null): string {
  if (maxArgs === null) return `at least ${minArgs}`;
  if (minArgs === maxArgs) return String(minArgs);
  return `${minArgs}–${maxArgs}`;
}

class TooManyNodes extends Error {}

function containsRule(value: unknown): boolean {
  if (isPlainObject(value)) return true;
  return Array.isArray(value) && value.some(containsRule);
}

class Checker {
  nodes = 0;
  readonly problems: RuleProblem[] = [];

  problem(reason: RuleInvalidReason, path: string, params: RuleErrorDetails = {}): void {
    const details = { reason, path, ...params };
    this.problems.push({ code: "rule_invalid", reason, path, details, message: MESSAGES[reason](details) });
  }

  visit(node: unknown, path: string, depth: number): void {
    this.nodes += 1;
    if (this.nodes > MAX_NODES) {
      this.problem("too_many_nodes", "$", { limit: MAX_NODES });
      throw new TooManyNodes();
    }
    if (node === null || typeof node === "boolean") return;
    if (typeof node === "number") {
      // JSON has one number type; integers written as digits beyond ±(2^53 − 1) are refused
      // (the server reads them as exact integers), floats like 1e308 are fine.
      if (!Number.isFinite(node) || (Number.isInteger(node) && Math.abs(node) > MAX_SAFE_INTEGER && Math.abs(node) < 1e21)) {
        this.problem("number_out_of_range", path);
      }
      return;
    }
    if (typeof node === "string") {
      if (node.length > MAX_STRING_LENGTH && codePoints(node).length > MAX_STRING_LENGTH) {
        this.problem("string_too_long", path, { limit: MAX_STRING_LENGTH });
      }
      return;
    }
    if (Array.isArray(node)) {
      if (depth >= MAX_DEPTH) {
        this.problem("too_deep", path, { limit: MAX_DEPTH });
        return;
      }
      node.forEach((item, i) => this.visit(item, `${path}[${i}]`, depth + 1));
      return;
    }
    if (isPlainObject(node) && (Object.getPrototypeOf(node) === Object.prototype || Object.getPrototypeOf(node) === null)) {
      this.visitOperator(node, path, depth);
      return;
    }
    const type = typeof node === "object" ? (node.constructor?.name ?? "object") : typeof node;
    this.problem("not_json", path, { type });
  }

  visitOperator(node: Record<string, unknown>, path: string, depth: number): void {
    const keys = Object.keys(node);
    const op = keys[0];
    if (keys.length !== 1 || op === undefined) {
      this.problem("not_operator_object", path);
      return;
    }
    const spec = OPERATORS.get(op);
    const [args, paths] = argumentList(op, node[op], path);
    if (spec === undefined) {
      this.problem("unknown_operator", path, { operator: op.slice(0, 100) });
    }
    if (depth >= MAX_DEPTH) {
      this.problem("too_deep", path, { limit: MAX_DEPTH });
      return;
    }
    if (spec !== undefined) {
      const count = args.length;
      if (count < spec.minArgs || (spec.maxArgs !== null && count > spec.maxArgs)) {
        this.problem("arity", path, { operator: op, expected: arityText(spec.minArgs, spec.maxArgs), count });
      }
    }
    args.forEach((item, i) => this.visit(item, paths[i] ?? path, depth + 1));
    if (spec !== undefined) this.staticArguments(op, args, paths);
  }

  /** Checks of literal arguments that would otherwise only fail at evaluation. */
  staticArguments(op: string, args: unknown[], paths: string[]): void {
    if (op === "var" && args.length > 0) {
      const p = args[0];
      const ok = p === null || typeof p === "string" || Number.isInteger(p) || isPlainObject(p);
      if (!ok) this.problem("bad_var_path", paths[0] ?? "$");
    } else if (op === "date_add" && args.length === 3) {
      const unit = args[2];
      if (!isPlainObject(unit) && unit !== "days" && unit !== "hours") {
        this.problem("bad_unit", paths[2] ?? "$", { operator: op });
      }
    } else if (op === "sum" && args.length === 2) {
      const column = args[1];
      if (!isPlainObject(column) && typeof column !== "string") this.problem("bad_column", paths[1] ?? "$", { operator: op });
    } else if (op === "reduce" && args.length === 3 && containsRule(args[2])) {
      // JsonLogic uses the initial value as written, unevaluated.
      this.problem("bad_initial", paths[2] ?? "$");
    }
  }
}

/**
 * Every problem of a rule, in the order the server meets them (so the first one is the
 * error the server reports): unknown operators, arity, not JSON, limits, literal
 * arguments. An empty list means the rule is valid.
 */
export function checkRule(rule: unknown): RuleProblem[] {
  const checker = new Checker();
  try {
    checker.visit(rule, "$", 0);
  } catch (e) {
    if (!(e instanceof TooManyNodes)) throw e;
  }
  return checker.problems;
}

/** Throw the server's RuleInvalid (as a RuleError) when the rule has a problem. */
export function assertValidRule(rule: unknown): void {
  const first = checkRule(rule)[0];
  if (first !== undefined) {
    const { reason: _reason, path: _path, ...params } = first.details;
    throw new RuleError("rule_invalid", first.reason, first.path, params);
  }
}
