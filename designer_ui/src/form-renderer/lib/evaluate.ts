// Live evaluation of a form: x-visible-if, x-compute and x-required-if, exactly as the
// server does it (docs/forms.md "Submission validation", step 2): fields with rules in
// dependency order (dependencies first), a visibility rule that cannot be evaluated
// counts as visible, hidden fields are dropped from the value and not required, a
// compute that fails leaves the value absent.
//
// Paths in `visible` and `required`: top-level keys ("budget"), cells of sub-table rows
// ("companions.0.name"); `required` also holds statically required columns by their
// dotted field path ("companions.name") for column headers.
import { evaluateRule, ruleVariables, truthy, type WorkCalendar } from "../../lib/rules";
import type { DictionarySnapshot, FieldSchema, FormDocument, RuleContext } from "../../schema/form";
import { NO_CLIENT_VALUE, decimalPlaces, isEmpty, isRecord, tableColumns, tableRequired } from "./fields";

export interface Evaluation {
  value: Record<string, unknown>;
  visible: Set<string>;
  required: Set<string>;
  /** Pointers of computed values whose rule failed (the server reports compute_failed). */
  computeFailed: Set<string>;
  /** Pointers dropped by x-visible-if. */
  hiddenByRule: Set<string>;
}

interface Plan {
  path: string; // "budget" or "companions.name"
  key: string;
  parent: string | null;
  field: FieldSchema;
}

const orderCache = new WeakMap<FormDocument, Plan[]>();

/** Every field (each table followed by its columns) in schema order. */
export function allFields(document: FormDocument): Plan[] {
  const out: Plan[] = [];
  for (const [key, field] of Object.entries(document.schema.properties ?? {})) {
    out.push({ path: key, key, parent: null, field });
    for (const [name, column] of Object.entries(tableColumns(field))) {
      out.push({ path: `${key}.${name}`, key: name, parent: key, field: column });
    }
  }
  return out;
}

function safeVariables(rule: unknown): string[] {
  try {
    return ruleVariables(rule);
  } catch {
    return [];
  }
}

/** The fields a rule reads, as dotted field paths (port of the server's dependency graph). */
function dependencies(rule: unknown, plan: Plan, fields: Map<string, Plan>): Set<string> {
  const out = new Set<string>();
  for (const variable of safeVariables(rule)) {
    const segments = variable.split(".");
    if (segments[0] === "row" && plan.parent && segments[1]) {
      const path = `${plan.parent}.${segments[1]}`;
      if (fields.has(path)) out.add(path);
      continue;
    }
    if (segments[0] !== "form" || !segments[1]) continue;
    const top = fields.get(segments[1]);
    if (!top || top.parent !== null) continue;
    out.add(top.path);
    let rest = segments.slice(2);
    if (top.field["x-type"] === "table" && rest.length) {
      if (/^\d+$/.test(rest[0] ?? "")) rest = rest.slice(1);
      const column = rest[0] ? fields.get(`${top.path}.${rest[0]}`) : undefined;
      if (column) out.add(column.path);
    }
  }
  return out;
}

function derived(plan: Plan): boolean {
  return plan.field["x-visible-if"] !== undefined || plan.field["x-compute"] !== undefined;
}

/** Fields with x-visible-if / x-compute, dependencies first (like FormSpec.evaluation_order). */
export function evaluationOrder(document: FormDocument): Plan[] {
  const cached = orderCache.get(document);
  if (cached) return cached;
  const list = allFields(document);
  const fields = new Map(list.map((p) => [p.path, p]));
  const position = new Map(list.map((p, i) => [p.path, i]));
  const graph = new Map<string, string[]>();
  for (const plan of list) {
    const deps = new Set<string>();
    for (const keyword of ["x-visible-if", "x-compute"] as const) {
      if (plan.field[keyword] !== undefined) for (const d of dependencies(plan.field[keyword], plan, fields)) deps.add(d);
    }
    // A table depends on its columns that have rules.
    if (plan.parent === null && plan.field["x-type"] === "table") {
      for (const column of list) if (column.parent === plan.path && derived(column)) deps.add(column.path);
    }
    deps.delete(plan.path);
    graph.set(
      plan.path,
      [...deps].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0)),
    );
  }
  const state = new Map<string, number>();
  const order: string[] = [];
  for (const start of list) {
    if (state.has(start.path)) continue;
    const stack: [string, string[]][] = [[start.path, [...(graph.get(start.path) ?? [])]]];
    state.set(start.path, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const next = top[1].shift();
      if (next !== undefined) {
        if (!state.has(next)) {
          state.set(next, 1);
          stack.push([next, [...(graph.get(next) ?? [])]]);
        }
      } else {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  const result = order.flatMap((path) => fields.get(path) ?? []).filter(derived);
  orderCache.set(document, result);
  return result;
}

/** The server's coerce_result: numbers rounded to the field's places, wrong kinds refused. */
export function coerceComputed(result: unknown, field: FieldSchema): { value: unknown; ok: boolean } {
  if (result === null || result === undefined) return { value: undefined, ok: true };
  const kind = field.type;
  if (kind === "number" || kind === "integer") {
    if (typeof result !== "number" || !Number.isFinite(result) || Math.abs(result) > 1e15) {
      return { value: undefined, ok: false };
    }
    const places = decimalPlaces(field);
    let value = result;
    if (places !== null) value = roundHalfEven(value, places);
    if (kind === "integer" || places === 0) {
      return Number.isInteger(value) ? { value, ok: true } : { value: undefined, ok: false };
    }
    return { value, ok: true };
  }
  if (kind === "boolean") return typeof result === "boolean" ? { value: result, ok: true } : { value: undefined, ok: false };
  return typeof result === "string" ? { value: result, ok: true } : { value: undefined, ok: false };
}

/** Python's round(): half to even on the decimal representation. */
function roundHalfEven(value: number, places: number): number {
  const factor = 10 ** places;
  const scaled = value * factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const epsilon = 1e-9;
  let rounded: number;
  if (Math.abs(diff - 0.5) < epsilon) rounded = floor % 2 === 0 ? floor : floor + 1;
  else rounded = Math.round(scaled);
  return Number((rounded / factor).toFixed(places));
}

function localNow(): string {
  const date = new Date();
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:` +
    `${pad(date.getMinutes())}:${pad(date.getSeconds())}${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** Take the client's values like the server: no computed/description values, no empty values, known keys only. */
export function takeValues(document: FormDocument, value: Record<string, unknown>): Record<string, unknown> {
  const properties = document.schema.properties ?? {};
  const clean: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value ?? {})) {
    const field = properties[key];
    if (!field || NO_CLIENT_VALUE.has(field["x-type"]) || isEmpty(item)) continue;
    if (field["x-type"] === "table" && Array.isArray(item)) {
      const columns = tableColumns(field);
      clean[key] = item.map((row) => {
        if (!isRecord(row)) return row;
        const out: Record<string, unknown> = {};
        for (const [name, cell] of Object.entries(row)) {
          const column = columns[name];
          if (column && NO_CLIENT_VALUE.has(column["x-type"])) continue;
          if (!isEmpty(cell)) out[name] = cell;
        }
        return out;
      });
      continue;
    }
    clean[key] = item;
  }
  return clean;
}

export function ruleData(context: RuleContext | undefined, form: Record<string, unknown>): Record<string, unknown> {
  return { initiator: {}, urgent: false, now: localNow(), ...(context ?? {}), form };
}

/**
 * Evaluate visibility, computed values and required flags of `value`. The returned value
 * holds the client's values (empty ones and unknown keys removed) with hidden fields
 * dropped and computed fields filled; the input is not modified.
 */
export function evaluateForm(
  document: FormDocument,
  value: Record<string, unknown>,
  context?: RuleContext,
  dictionary?: DictionarySnapshot,
  calendar?: WorkCalendar,
): Evaluation {
  void dictionary; // options do not take part in rules; kept for the public signature
  const options = calendar ? { calendar } : undefined;
  const clean = takeValues(document, value);
  const data = ruleData(context, clean);
  const hiddenByRule = new Set<string>();
  const computeFailed = new Set<string>();

  const derive = (plan: Plan, target: Record<string, unknown>, ctx: Record<string, unknown>, pointerPath: string) => {
    const visibleIf = plan.field["x-visible-if"];
    if (visibleIf !== undefined) {
      let visible = true;
      try {
        visible = truthy(evaluateRule(visibleIf, ctx, options));
      } catch {
        visible = true; // a rule that cannot be evaluated does not hide data
      }
      if (!visible) {
        delete target[plan.key];
        hiddenByRule.add(pointerPath);
        return;
      }
    }
    const compute = plan.field["x-compute"];
    if (compute !== undefined) {
      let outcome: { value: unknown; ok: boolean };
      try {
        outcome = coerceComputed(evaluateRule(compute, ctx, options), plan.field);
      } catch {
        outcome = { value: undefined, ok: false };
      }
      if (outcome.value === undefined) delete target[plan.key];
      else target[plan.key] = outcome.value;
      if (!outcome.ok) computeFailed.add(pointerPath);
    }
  };

  for (const plan of evaluationOrder(document)) {
    if (plan.parent === null) {
      derive(plan, clean, data, plan.key);
      continue;
    }
    const rows = clean[plan.parent];
    if (!Array.isArray(rows)) continue;
    rows.forEach((row, index) => {
      if (isRecord(row)) derive(plan, row, { ...data, row }, `${plan.parent}.${index}.${plan.key}`);
    });
  }

  const visible = new Set<string>();
  const required = new Set<string>();
  const properties = document.schema.properties ?? {};
  const staticRequired = new Set(document.schema.required ?? []);
  const requiredIf = (field: FieldSchema, ctx: Record<string, unknown>): boolean => {
    const rule = field["x-required-if"];
    if (rule === undefined) return false;
    try {
      return truthy(evaluateRule(rule, ctx, options));
    } catch {
      return false; // the rule's inputs are themselves invalid and reported
    }
  };
  for (const [key, field] of Object.entries(properties)) {
    if (hiddenByRule.has(key)) continue;
    visible.add(key);
    const holdsValue = !NO_CLIENT_VALUE.has(field["x-type"]);
    if (holdsValue && (staticRequired.has(key) || requiredIf(field, data))) required.add(key);
    if (field["x-type"] !== "table") continue;
    const columns = tableColumns(field);
    const columnRequired = new Set(tableRequired(field));
    for (const name of columnRequired) required.add(`${key}.${name}`);
    const rows = clean[key];
    if (!Array.isArray(rows)) continue;
    rows.forEach((row, index) => {
      const rowData = { ...data, row: isRecord(row) ? row : {} };
      for (const [name, column] of Object.entries(columns)) {
        const path = `${key}.${index}.${name}`;
        if (hiddenByRule.has(path)) continue;
        visible.add(path);
        if (NO_CLIENT_VALUE.has(column["x-type"])) continue;
        if (columnRequired.has(name) || requiredIf(column, rowData)) required.add(path);
      }
    });
  }
  return { value: clean, visible, required, computeFailed, hiddenByRule };
}
