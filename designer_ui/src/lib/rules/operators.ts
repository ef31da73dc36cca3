// The operator table and the value-level implementations (runtime/rules/operators.py).
//
// The implementations are registered into json-logic-js with `add_operation`, which
// json-logic-js looks up after evaluating the arguments, so overriding the standard
// operators works. json-logic-js hard-codes `if`, `?:`, `and`, `or`, `map`, `filter`,
// `reduce`, `all`, `none`, `some`; their semantics match ours and are left alone.

import jsonLogic from "json-logic-js";

import { WEEKDAY_CALENDAR, type WorkCalendar } from "./calendar";
import * as dates from "./dates";
import { EvalFailure } from "./errors";
import {
  arithOperand,
  checkLength,
  codePoints,
  finishNumber,
  hasOwn,
  isPlainObject,
  jsonType,
  less,
  looseEqual,
  strictEqual,
  toInteger,
  toJsString,
  truthy,
} from "./values";

export type OperatorKind = "value" | "data" | "env" | "lazy" | "scoped";

export interface OperatorSpec {
  readonly name: string;
  readonly minArgs: number;
  /** null: unbounded */
  readonly maxArgs: number | null;
  readonly kind: OperatorKind;
  /** A platform operator (not standard JsonLogic). */
  readonly custom: boolean;
}

/** What `today`/`now` and the calendar operators see: the top-level data and the calendar. */
export interface RuleEnvironment {
  readonly root: unknown;
  readonly calendar: WorkCalendar;
}

// json-logic-js passes only the current scope (an array element inside map/filter...) as
// `this`, so the evaluator publishes the top-level data here while it runs a rule.
let environment: RuleEnvironment | undefined;

export function withEnvironment<T>(env: RuleEnvironment, run: () => T): T {
  const outer = environment;
  environment = env;
  try {
    return run();
  } finally {
    environment = outer;
  }
}

function currentEnvironment(scope: unknown): RuleEnvironment {
  return environment ?? { root: scope, calendar: WEEKDAY_CALENDAR };
}

// --- data access -----------------------------------------------------------------------

const INDEX_RE = /^(?:0|[1-9][0-9]*)$/;

/** Descend data along path segments (own object keys, plain array indexes) or give default. */
export function walk(data: unknown, segments: readonly string[], fallback: unknown): unknown {
  let current = data;
  for (const seg of segments) {
    if (Array.isArray(current)) {
      // "-1" must not mean "last"; text is not indexed; there is no "length".
      if (!INDEX_RE.test(seg) || Number(seg) >= current.length) return fallback;
      current = current[Number(seg)];
    } else if (isPlainObject(current)) {
      if (!hasOwn(current, seg)) return fallback;
      current = current[seg];
    } else {
      return fallback;
    }
  }
  return current === undefined ? fallback : current;
}

/** Segments of a var path; null means the whole data (null, absent or empty path). */
export function splitPath(path: unknown): string[] | null {
  if (path === null || path === undefined || path === "") return null;
  return (typeof path === "string" ? path : toJsString(path)).split(".");
}

export function opVar(data: unknown, ...args: unknown[]): unknown {
  const segments = splitPath(args[0]);
  if (segments === null) return data;
  return walk(data, segments, args.length > 1 ? args[1] : null);
}

export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

function opMissing(data: unknown, ...keys: unknown[]): unknown[] {
  const first = keys[0];
  const names = keys.length > 0 && Array.isArray(first) ? (first as unknown[]) : keys;
  return names.filter((key) => isMissing(opVar(data, key)));
}

function opMissingSome(data: unknown, need: unknown, keys: unknown): unknown[] {
  if (!Array.isArray(keys)) throw new EvalFailure("bad_argument", { type: jsonType(keys) });
  const missing = opMissing(data, keys);
  return less(need, keys.length - missing.length, true) ? [] : missing;
}

// --- arithmetic ---------------------------------------------------------------------------

function opAdd(...values: unknown[]): number {
  let total = 0;
  for (const v of values) total += arithOperand(v);
  return finishNumber(total);
}

function opSub(...args: unknown[]): number {
  if (args.length < 2) return finishNumber(-arithOperand(args[0]));
  return finishNumber(arithOperand(args[0]) - arithOperand(args[1]));
}

function opMul(...values: unknown[]): number {
  let product = 1;
  for (const v of values) product = finishNumber(product * arithOperand(v));
  return product;
}

function opDiv(a: unknown, b: unknown): number {
  const x = arithOperand(a);
  const y = arithOperand(b);
  if (y === 0) throw new EvalFailure("division_by_zero");
  return finishNumber(x / y);
}

function opMod(a: unknown, b: unknown): number {
  const x = arithOperand(a);
  const y = arithOperand(b);
  if (y === 0) throw new EvalFailure("division_by_zero");
  return finishNumber(x % y); // JavaScript's % keeps the sign of the dividend, like fmod
}

function extreme(pick: (...n: number[]) => number, values: unknown[]): number | null {
  if (values.length === 0) return null;
  return finishNumber(pick(...values.map(arithOperand)));
}

// --- arrays and text ----------------------------------------------------------------------------

function opMerge(...values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) {
      checkLength(out.length + v.length); // before copying (spreading a huge array would overflow the stack)
      for (const item of v as unknown[]) out.push(item);
    } else {
      out.push(v);
      checkLength(out.length);
    }
  }
  return out;
}

function opIn(needle: unknown, haystack: unknown): boolean {
  if (typeof haystack === "string") {
    // JavaScript would look for the text "null": a missing value is never found.
    if (needle === null || needle === undefined) return false;
    return haystack.includes(toJsString(needle));
  }
  if (Array.isArray(haystack)) return haystack.some((item) => strictEqual(needle, item));
  return false;
}

function opCat(...values: unknown[]): string {
  const parts = values.map((v) => (v === null || v === undefined ? "" : toJsString(v)));
  // Server limit in characters (code points); UTF-16 length is never smaller.
  const size = parts.reduce((n, p) => n + p.length, 0);
  if (size > 1_000_000) checkLength(parts.reduce((n, p) => n + codePoints(p).length, 0));
  return parts.join("");
}

function opSubstr(source: unknown, start: unknown, ...rest: unknown[]): string {
  const chars = codePoints(source === null || source === undefined ? "" : toJsString(source));
  const size = chars.length;
  let first = toInteger(start);
  if (first < 0) first = Math.max(size + first, 0);
  const tail = chars.slice(Math.min(first, size));
  if (rest.length === 0) return tail.join("");
  const count = toInteger(rest[0]);
  if (count < 0) return tail.slice(0, Math.max(tail.length + count, 0)).join("");
  return tail.slice(0, count).join("");
}

function opLength(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "string") return codePoints(value).length;
  if (Array.isArray(value)) return value.length;
  throw new EvalFailure("bad_argument", { type: jsonType(value) });
}

function opContains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === "string") return typeof needle === "string" && haystack.includes(needle);
  if (Array.isArray(haystack)) return haystack.some((item) => strictEqual(needle, item));
  return false;
}

function opStartsWith(text: unknown, prefix: unknown): boolean {
  return typeof text === "string" && typeof prefix === "string" && text.startsWith(prefix);
}

function opCount(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.length;
  throw new EvalFailure("bad_argument", { type: jsonType(value) });
}

function opSum(rows: unknown, ...rest: unknown[]): number {
  if (rows === null || rows === undefined) return 0;
  if (!Array.isArray(rows)) throw new EvalFailure("bad_argument", { type: jsonType(rows) });
  let segments: string[] | null = null;
  if (rest.length > 0) {
    const column = rest[0];
    if (typeof column !== "string") throw new EvalFailure("bad_argument", { type: jsonType(column) });
    segments = splitPath(column);
  }
  let total = 0;
  for (const row of rows as unknown[]) {
    const value = segments === null ? row : walk(row, segments, null);
    if (isMissing(value)) continue; // an empty cell adds nothing, as in a spreadsheet
    total += arithOperand(value);
  }
  return finishNumber(total);
}

// --- the table ------------------------------------------------------------------------------------

type Implementation = (this: unknown, ...args: unknown[]) => unknown;

interface Entry extends OperatorSpec {
  readonly impl?: Implementation;
}

function spec(
  name: string,
  minArgs: number,
  maxArgs: number | null,
  kind: OperatorKind,
  impl?: Implementation,
  custom = false,
): Entry {
  return impl === undefined ? { name, minArgs, maxArgs, kind, custom } : { name, minArgs, maxArgs, kind, custom, impl };
}

const value = (f: (...args: unknown[]) => unknown): Implementation =>
  function (this: unknown, ...args: unknown[]) {
    return f(...args);
  };
const data = (f: (scope: unknown, ...args: unknown[]) => unknown): Implementation =>
  function (this: unknown, ...args: unknown[]) {
    return f(this, ...args);
  };
const env = (f: (e: RuleEnvironment, ...args: unknown[]) => unknown): Implementation =>
  function (this: unknown, ...args: unknown[]) {
    return f(currentEnvironment(this), ...args);
  };

const ENTRIES: readonly Entry[] = [
  spec("var", 0, 2, "data", data(opVar)),
  spec("missing", 0, null, "data", data(opMissing)),
  spec("missing_some", 2, 2, "data", data((d, need, keys) => opMissingSome(d, need, keys))),
  spec("if", 0, null, "lazy"),
  spec("?:", 3, 3, "lazy"),
  spec("and", 1, null, "lazy"),
  spec("or", 1, null, "lazy"),
  spec("!", 1, 1, "value", value((a) => !truthy(a))),
  spec("!!", 1, 1, "value", value((a) => truthy(a))),
  spec("==", 2, 2, "value", value((a, b) => looseEqual(a, b))),
  spec("!=", 2, 2, "value", value((a, b) => !looseEqual(a, b))),
  spec("===", 2, 2, "value", value((a, b) => strictEqual(a, b))),
  spec("!==", 2, 2, "value", value((a, b) => !strictEqual(a, b))),
  spec("<", 2, 3, "value", value((...a) => less(a[0], a[1]) && (a.length < 3 || less(a[1], a[2])))),
  spec("<=", 2, 3, "value", value((...a) => less(a[0], a[1], true) && (a.length < 3 || less(a[1], a[2], true)))),
  spec(">", 2, 2, "value", value((a, b) => less(b, a))),
  spec(">=", 2, 2, "value", value((a, b) => less(b, a, true))),
  spec("+", 0, null, "value", value(opAdd)),
  spec("-", 1, 2, "value", value(opSub)),
  spec("*", 1, null, "value", value(opMul)),
  spec("/", 2, 2, "value", value((a, b) => opDiv(a, b))),
  spec("%", 2, 2, "value", value((a, b) => opMod(a, b))),
  spec("min", 0, null, "value", value((...a) => extreme(Math.min, a))),
  spec("max", 0, null, "value", value((...a) => extreme(Math.max, a))),
  spec("map", 2, 2, "scoped"),
  spec("filter", 2, 2, "scoped"),
  spec("reduce", 2, 3, "scoped"),
  spec("all", 2, 2, "scoped"),
  spec("none", 2, 2, "scoped"),
  spec("some", 2, 2, "scoped"),
  spec("merge", 0, null, "value", value(opMerge)),
  spec("in", 2, 2, "value", value((a, b) => opIn(a, b))),
  spec("cat", 0, null, "value", value(opCat)),
  spec("substr", 2, 3, "value", value((s, start, ...rest) => opSubstr(s, start, ...rest))),
  // platform operators (names are API: the server implements the same)
  spec("date_add", 3, 3, "value", value((v, n, u) => dates.dateAdd(v, n, u)), true),
  spec("days_between", 2, 2, "value", value((a, b) => dates.daysBetween(a, b)), true),
  spec("working_days_between", 2, 2, "env", env((e, a, b) => dates.workingDaysBetween(e.calendar, a, b)), true),
  spec("add_working_days", 2, 2, "env", env((e, v, n) => dates.addWorkingDays(e.calendar, v, n)), true),
  spec("today", 0, 0, "env", env((e) => dates.today(e.root)), true),
  spec("now", 0, 0, "env", env((e) => dates.now(e.root)), true),
  spec("length", 1, 1, "value", value((a) => opLength(a)), true),
  spec("contains", 2, 2, "value", value((a, b) => opContains(a, b)), true),
  spec("starts_with", 2, 2, "value", value((a, b) => opStartsWith(a, b)), true),
  spec("count", 1, 1, "value", value((a) => opCount(a)), true),
  spec("sum", 1, 2, "value", value(opSum as (...args: unknown[]) => unknown), true),
];

/** Every operator a rule may use, by name (`log` and qubit's `method` are not among them). */
export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map(ENTRIES.map((e) => [e.name, e]));
export const SCOPED_OPERATORS: ReadonlySet<string> = new Set(["map", "filter", "reduce", "all", "none", "some"]);

/** The operator names json-logic-js must be given (standard overrides and platform operators). */
export const REGISTERED_OPERATORS: readonly string[] = ENTRIES.filter((e) => e.impl !== undefined).map((e) => e.name);

interface OperationTarget {
  add_operation(name: string, code: (...args: unknown[]) => unknown): void;
}

/**
 * Register the platform semantics into json-logic-js (or any object with the same
 * `add_operation`): the overridden standard operators and the platform operators.
 * Idempotent. Outside `evaluateRule`, `today`/`now` read the current scope and the
 * calendar is Monday–Friday.
 */
export function registerRuleOperations(target: OperationTarget = jsonLogic): void {
  for (const entry of ENTRIES) {
    if (entry.impl !== undefined) target.add_operation(entry.name, entry.impl);
  }
}
