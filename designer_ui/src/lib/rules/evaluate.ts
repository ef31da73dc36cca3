// evaluateRule: check the rule like the server, then run it with json-logic-js.
//
// json-logic-js evaluates the rule; our operators are registered into it (operators.ts).
// Two things json-logic-js cannot do by itself are added by wrapping `jsonLogic.apply`,
// which json-logic-js also calls for every recursive step (it calls it through the
// `jsonLogic` object), while a rule runs inside evaluateRule:
//
// - the error's place in the rule (`$.and[1].>[0]`, as the server reports it), and
// - the work budget of map/filter/reduce/all/none/some (json-logic-js hard-codes those
//   operators, so the number of elements they visit is counted when their array
//   argument has been evaluated, exactly where the server counts it).
//
// Outside evaluateRule the wrapper simply delegates, so stock jsonLogic.apply calls keep
// working (with our operator semantics, which are registered globally).

import jsonLogic from "json-logic-js";

import { WEEKDAY_CALENDAR, type WorkCalendar } from "./calendar";
import { assertValidRule } from "./check";
import { EvalFailure, RuleError } from "./errors";
import { SCOPED_OPERATORS, registerRuleOperations, withEnvironment } from "./operators";
import { isPlainObject } from "./values";

/** Work done by scoped operators (array elements visited) per evaluation. */
export const MAX_WORK = 1_000_000;

/** The context a rule reads: `{"form": {...}, "initiator": {...}, "now": "...", "row": {...}}`. */
export type RuleData = unknown;

export interface EvaluateOptions {
  /** The work calendar for working_days_between/add_working_days (default: Monday–Friday). */
  calendar?: WorkCalendar;
}

type Apply = (logic: unknown, data?: unknown) => unknown;

interface Frame {
  readonly node: unknown;
  readonly path: string;
  /** Operator name ("" for a literal array). */
  readonly op: string;
  /** The operator's argument list as json-logic-js sees it. */
  readonly args: readonly unknown[];
}

interface Evaluation {
  readonly frames: Frame[];
  work: number;
}

const target = jsonLogic as unknown as { apply: Apply };
let originalApply: Apply | undefined;
let evaluation: Evaluation | undefined;

function install(): Apply {
  if (originalApply !== undefined) return originalApply;
  registerRuleOperations();
  const original = target.apply;
  originalApply = original;
  target.apply = function tracedApply(logic: unknown, data?: unknown): unknown {
    return evaluation === undefined ? original(logic, data) : step(evaluation, original, logic, data);
  };
  return original;
}

function childPath(parent: Frame | undefined, node: unknown): string {
  if (parent === undefined) return "$";
  const i = parent.args.indexOf(node);
  if (parent.op === "") return i < 0 ? parent.path : `${parent.path}[${i}]`;
  const raw = isPlainObject(parent.node) ? parent.node[parent.op] : undefined;
  if (!Array.isArray(raw)) return `${parent.path}.${parent.op}`;
  return i < 0 ? parent.path : `${parent.path}.${parent.op}[${i}]`;
}

function step(ev: Evaluation, original: Apply, logic: unknown, data: unknown): unknown {
  if (typeof logic !== "object" || logic === null) return original(logic, data);
  const parent = ev.frames[ev.frames.length - 1];
  const path = childPath(parent, logic);
  let frame: Frame;
  if (Array.isArray(logic)) {
    frame = { node: logic, path, op: "", args: logic };
  } else {
    const op = Object.keys(logic)[0] ?? "";
    const raw = (logic as Record<string, unknown>)[op];
    frame = { node: logic, path, op, args: Array.isArray(raw) ? raw : [raw] };
  }
  ev.frames.push(frame);
  let result: unknown;
  try {
    result = original(logic, data);
  } catch (error) {
    throw locate(error, frame);
  } finally {
    ev.frames.pop();
  }
  // The array argument of map/filter/...: charge its elements before they are visited.
  if (parent !== undefined && SCOPED_OPERATORS.has(parent.op) && parent.args[0] === logic && Array.isArray(result)) {
    ev.work += result.length;
    if (ev.work > MAX_WORK) {
      const failure = new EvalFailure("too_expensive");
      failure.located = { operator: parent.op, path: parent.path };
      throw failure;
    }
  }
  return result;
}

function locate(error: unknown, frame: Frame): unknown {
  if (error instanceof EvalFailure) {
    if (error.located === undefined) error.located = { operator: frame.op, path: frame.path };
    return error;
  }
  if (error instanceof RuleError) return error;
  // Only the exception's type name: its message may quote data.
  const failure = new EvalFailure("internal", { exception: error instanceof Error ? error.name : typeof error });
  failure.located = { operator: frame.op, path: frame.path };
  return failure;
}

function toRuleError(error: unknown): RuleError {
  if (error instanceof RuleError) return error;
  if (error instanceof EvalFailure) {
    const where = error.located ?? { operator: "", path: "$" };
    return new RuleError("rule_evaluation_error", error.reason, where.path, {
      operator: where.operator,
      ...error.params,
    });
  }
  const exception = error instanceof Error ? error.name : typeof error;
  return new RuleError("rule_evaluation_error", "internal", "$", { operator: "", exception });
}

/**
 * Evaluate a rule as the server does (runtime.rules.evaluate): the same values, and a
 * RuleError with the same code and reason where the server raises. `today`/`now` read
 * the top-level `data.now` (else the clock in UTC+8).
 */
export function evaluateRule(rule: unknown, data: RuleData, options: EvaluateOptions = {}): unknown {
  assertValidRule(rule);
  install();
  const outer = evaluation;
  evaluation = { frames: [], work: 0 };
  try {
    const env = { root: data, calendar: options.calendar ?? WEEKDAY_CALENDAR };
    return withEnvironment(env, () => target.apply(rule, data));
  } catch (error) {
    throw toRuleError(error);
  } finally {
    evaluation = outer;
  }
}
