// What a rule reads (port of runtime/rules/analysis.py): variable paths for the
// designer's dependencies and for missing-data checks. Reads are found statically:
// every branch counts, taken or not. Inside map/filter/all/none/some/reduce over a
// literal `var`, element reads are reported under the array's path
// (`form.items.price`), and `sum` with a column reads `<array>.<column>` likewise.
//
// Unlike the server's `variables()`, this does not check the rule first (the designer
// asks while a rule is being edited); malformed parts are skipped. Use checkRule for
// validity.

import { argumentList } from "./check";
import { SCOPED_OPERATORS, isMissing, opVar } from "./operators";
import { isPlainObject, toJsString } from "./values";

export interface RuleRead {
  /** Dotted path from the top-level data ("form.amount", "form.items.price"). */
  readonly path: string;
  /** A `var` with a default: a missing value is anticipated. */
  readonly hasDefault: boolean;
  /** Read from the top-level data (not per element of an array). */
  readonly topLevel: boolean;
  /** Named by missing/missing_some: the rule checks it is present. */
  readonly tested: boolean;
}

export interface RuleAnalysis {
  readonly reads: readonly RuleRead[];
  /** A `var` path is computed by a rule, so not every read is known. */
  readonly dynamic: boolean;
}

class Scope {
  constructor(
    readonly prefix: string | null,
    readonly top: boolean,
    readonly reduce = false,
  ) {}

  resolve(path: string): string | null {
    if (this.top) return path;
    if (this.prefix === null) return null;
    let rest = path;
    if (this.reduce) {
      // Inside reduce the data is {"current": element, "accumulator": ...}.
      const dot = path.indexOf(".");
      const head = dot < 0 ? path : path.slice(0, dot);
      if (head !== "current") return null;
      rest = dot < 0 ? "" : path.slice(dot + 1);
    }
    if (!rest) return null; // the element itself: the array path is already recorded
    return `${this.prefix}.${rest}`;
  }
}

const TOP = new Scope("", true);

function staticPath(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isInteger(value)) return toJsString(value);
  return null;
}

function operatorOf(node: unknown): [string, unknown] | null {
  if (!isPlainObject(node)) return null;
  const keys = Object.keys(node);
  const op = keys[0];
  return keys.length === 1 && op !== undefined ? [op, node[op]] : null;
}

class Walker {
  readonly reads: RuleRead[] = [];
  dynamic = false;

  add(scope: Scope, path: string, hasDefault: boolean, tested = false): void {
    if (!path && scope.top) return; // {"var": ""}: the whole context, not a field
    const resolved = scope.resolve(path);
    if (resolved) this.reads.push({ path: resolved, hasDefault, topLevel: scope.top, tested });
  }

  visit(node: unknown, scope: Scope, depth = 0): void {
    if (depth > 64) return; // malformed or circular input: checkRule reports it
    if (Array.isArray(node)) {
      for (const item of node) this.visit(item, scope, depth + 1);
      return;
    }
    const found = operatorOf(node);
    if (found === null) return;
    const [op, raw] = found;
    const [args] = argumentList(op, raw, "$");
    if (op === "var") {
      this.visitVar(args, scope, depth);
    } else if (op === "missing" || op === "missing_some") {
      let names: unknown = op === "missing_some" ? args[1] : args;
      if (op === "missing" && Array.isArray(args[0])) names = args[0];
      for (const name of Array.isArray(names) ? names : [names]) {
        const path = staticPath(name);
        if (path !== null) this.add(scope, path, false, true);
        else this.visit(name, scope, depth + 1);
      }
      if (op === "missing_some") this.visit(args[0], scope, depth + 1);
    } else if (SCOPED_OPERATORS.has(op)) {
      this.visit(args[0], scope, depth + 1);
      const inner = new Scope(this.arrayPath(args[0], scope), false, op === "reduce");
      this.visit(args[1], inner, depth + 1);
      // reduce's initial value is used as written (never a rule in a valid rule).
    } else if (op === "sum" && args.length === 2) {
      this.visit(args[0], scope, depth + 1);
      const base = this.arrayPath(args[0], scope);
      const column = args[1];
      if (base !== null && typeof column === "string" && column) {
        this.reads.push({ path: `${base}.${column}`, hasDefault: false, topLevel: false, tested: false });
      }
      this.visit(column, scope, depth + 1);
    } else {
      for (const arg of args) this.visit(arg, scope, depth + 1);
    }
  }

  visitVar(args: unknown[], scope: Scope, depth: number): void {
    const pathArg = args.length > 0 ? args[0] : null;
    const hasDefault = args.length > 1;
    if (isPlainObject(pathArg)) {
      this.dynamic = true; // the path is computed at evaluation time
      this.visit(pathArg, scope, depth + 1);
    } else {
      const path = staticPath(pathArg);
      if (path !== null) this.add(scope, path, hasDefault);
    }
    if (hasDefault) this.visit(args[1], scope, depth + 1);
  }

  /** The full path of an array given as a literal-path var without default, else null. */
  arrayPath(node: unknown, scope: Scope): string | null {
    const found = operatorOf(node);
    if (found === null || found[0] !== "var") return null;
    const [args] = argumentList("var", found[1], "$");
    if (args.length === 0 || isPlainObject(args[0])) return null;
    const path = staticPath(args[0]);
    if (path === null) return null;
    if (!path) return scope.top ? null : scope.prefix;
    return scope.resolve(path);
  }
}

/** Every read of a rule with its flags, and whether some var path is computed. */
export function ruleAnalysis(rule: unknown): RuleAnalysis {
  const walker = new Walker();
  walker.visit(rule, TOP);
  return { reads: walker.reads, dynamic: walker.dynamic };
}

/** The var paths a rule reads (element reads as `array.column`), sorted, without duplicates. */
export function ruleVariables(rule: unknown): string[] {
  return [...new Set(ruleAnalysis(rule).reads.map((r) => r.path))].sort();
}

/** Top-level paths read without a default and not tested by missing/missing_some. */
export function requiredVariables(rule: unknown): string[] {
  const seen = new Set<string>();
  for (const r of ruleAnalysis(rule).reads) {
    if (r.topLevel && !r.hasDefault && !r.tested) seen.add(r.path);
  }
  return [...seen];
}

/** Required paths whose value in `data` is null, "" or absent (server: missing_variables). */
export function missingVariables(rule: unknown, data: unknown): string[] {
  return requiredVariables(rule).filter((path) => isMissing(opVar(data, path)));
}
