// A one-line, human reading of a condition ("费用类型 = 机票", "金额 介于 1000 和 5000"), for
// the form designer's side panel and the flow designer's edge labels. It reads everything
// the builder writes (after toEngineRule), plus common hand-written forms; anything else
// is shown as compact JSON. It never throws.
import type { TFunction } from "i18next";

import i18n, { localized } from "../../i18n";
import type { DesignerModel } from "../../form-designer/model";
import type { DictionarySnapshot, FieldSchema, JsonLogic } from "../../schema/form";
import { fieldOptions, isMultiValued } from "./fields";
import { isObject, operation } from "./transform";

const SYMBOLS: Record<string, string> = { "==": "=", "===": "=", "!=": "≠", "!==": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥" };
const MAX_DEPTH = 24;

/** The default length of a reading; longer ones end in "…". */
export const DESCRIBE_MAX_LENGTH = 160;

/** JSON.stringify that never throws (cycles, BigInt) and never returns undefined. */
export function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "…";
  }
}

/** The literal path of a `var` (with or without default), else null. */
function varPath(node: unknown): string | null {
  const found = operation(node);
  if (!found || found[0] !== "var") return null;
  const path = found[1][0];
  return typeof path === "string" ? path : typeof path === "number" ? String(path) : null;
}

class Reader {
  constructor(
    private readonly model: DesignerModel,
    private readonly t: TFunction,
    private readonly dictionary: DictionarySnapshot,
    private readonly language: string,
  ) {}

  private field(path: string | null): FieldSchema | undefined {
    if (!path) return undefined;
    const [root, key, ...rest] = path.split(".");
    return root === "form" && key && rest.length === 0 ? this.model.fields[key] : undefined;
  }

  label(path: string): string {
    const [root, key, ...rest] = path.split(".");
    if (root === "form" && key) {
      const field = this.model.fields[key];
      const label = localized(field?.["x-label"], this.language) || key;
      return rest.length ? `${label}.${rest.join(".")}` : label;
    }
    return path || "?";
  }

  /** A value compared with the field at `path`: option labels for codes, plain numbers, quoted text. */
  value(value: unknown, path: string | null = null): string {
    const ref = varPath(value);
    if (ref !== null) return this.label(ref);
    if (Array.isArray(value)) return this.list(value, path);
    if (typeof value === "string") {
      const option = fieldOptions(this.field(path), this.dictionary, this.language)?.find((candidate) => candidate.name === value);
      if (option) return option.label;
      return this.field(path)?.["x-type"] === "date" ? value : `"${value}"`;
    }
    if (value === null) return this.t("rules.say.nothing");
    if (typeof value === "boolean") return this.t(value ? "rules.say.true" : "rules.say.false");
    return compactJson(value);
  }

  list(values: unknown[], path: string | null): string {
    return values.map((item) => this.value(item, path)).join(this.t("rules.say.listSeparator"));
  }

  /** The reading of a node; `parent` is the enclosing and/or (for parentheses). */
  read(node: unknown, depth = 0, parent: "and" | "or" | null = null): string {
    if (depth > MAX_DEPTH) return "…";
    const found = operation(node);
    if (!found) {
      const path = varPath(node);
      return path !== null ? this.label(path) : compactJson(node);
    }
    const [op, args] = found;
    const t = this.t;
    if (op === "and" || op === "or") {
      if (args.length === 1) return this.read(args[0], depth + 1, parent);
      const text = args.map((arg) => this.read(arg, depth + 1, op)).join(` ${t(op === "and" ? "rules.and" : "rules.or")} `);
      return parent !== null && args.length > 1 ? `(${text})` : text;
    }
    if (op === "var") return this.label(varPath(node) ?? "?");
    if (op === "missing" && args.length >= 1) {
      const names = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
      if (names.every((name) => typeof name === "string")) {
        return t("rules.say.empty", { field: names.map((name) => this.label(name as string)).join(t("rules.say.listSeparator")) });
      }
    }
    if ((op === "!" || op === "!!") && args.length === 1) return this.negation(op, args[0], depth, parent);
    if (op === "some" && args.length === 2) {
      const path = varPath(args[0]);
      const test = operation(args[1]);
      if (path && test?.[0] === "in" && test[1].length === 2 && Array.isArray(test[1][1]) && varPath(test[1][0]) === "") {
        return t("rules.say.anyOf", { field: this.label(path), values: this.list(test[1][1] as unknown[], path) });
      }
    }
    if (op === "in" && args.length === 2) {
      const [needle, haystack] = args;
      const path = varPath(needle);
      if (path !== null && Array.isArray(haystack)) {
        return t(this.multi(path) ? "rules.say.anyOf" : "rules.say.in", { field: this.label(path), values: this.list(haystack, path) });
      }
      const within = varPath(haystack);
      if (within !== null) return t("rules.say.contains", { field: this.label(within), value: this.value(needle, within) });
    }
    if ((op === "<" || op === "<=") && args.length === 3) {
      const path = varPath(args[1]);
      if (op === "<=" && path !== null) {
        return t("rules.say.between", { field: this.label(path), low: this.value(args[0], path), high: this.value(args[2], path) });
      }
      return `${this.value(args[0])} ${SYMBOLS[op]} ${this.operand(args[1], depth)} ${SYMBOLS[op]} ${this.value(args[2])}`;
    }
    if (op in SYMBOLS && args.length === 2) {
      const leftPath = varPath(args[0]);
      const rightPath = varPath(args[1]);
      // A literal on the left reads better on the right ("5000 < 金额" → "金额 > 5000").
      if (leftPath === null && rightPath !== null && !isObject(args[0])) {
        const flipped: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
        return this.read({ [flipped[op] ?? op]: [args[1], args[0]] }, depth + 1, parent);
      }
      if (leftPath !== null && typeof args[1] === "boolean" && (op === "==" || op === "===") && this.field(leftPath)?.["x-type"] === "checkbox") {
        return t(args[1] ? "rules.say.checked" : "rules.say.unchecked", { field: this.label(leftPath) });
      }
      if (leftPath !== null && args[1] === null && (op === "==" || op === "===" || op === "!=" || op === "!==")) {
        return t(op.startsWith("=") ? "rules.say.empty" : "rules.say.filled", { field: this.label(leftPath) });
      }
      return `${this.operand(args[0], depth)} ${SYMBOLS[op]} ${this.value(args[1], leftPath)}`;
    }
    return compactJson(node);
  }

  private multi(path: string): boolean {
    return isMultiValued(this.field(path));
  }

  /** The left side of a comparison: a field label, or a nested expression. */
  private operand(node: unknown, depth: number): string {
    const path = varPath(node);
    if (path !== null) return this.label(path);
    return isObject(node) ? this.read(node, depth + 1) : this.value(node);
  }

  private negation(op: "!" | "!!", inner: unknown, depth: number, parent: "and" | "or" | null): string {
    const t = this.t;
    const path = varPath(inner);
    if (path !== null) {
      // `!var` / `!!var`: a checkbox is (not) ticked, anything else is empty / filled in.
      if (this.field(path)?.["x-type"] === "checkbox" && !this.multi(path)) {
        return t(op === "!!" ? "rules.say.checked" : "rules.say.unchecked", { field: this.label(path) });
      }
      return t(op === "!!" ? "rules.say.filled" : "rules.say.empty", { field: this.label(path) });
    }
    if (op === "!!") return this.read(inner, depth + 1, parent);
    const found = operation(inner);
    if (found?.[0] === "missing") {
      const names = found[1].length === 1 && Array.isArray(found[1][0]) ? (found[1][0] as unknown[]) : found[1];
      if (names.length === 1 && typeof names[0] === "string") return t("rules.say.filled", { field: this.label(names[0]) });
    }
    if (found?.[0] === "in" && found[1].length === 2) {
      const [needle, haystack] = found[1];
      const needlePath = varPath(needle);
      if (needlePath !== null && Array.isArray(haystack)) {
        return t(this.multi(needlePath) ? "rules.say.noneOf" : "rules.say.notIn", { field: this.label(needlePath), values: this.list(haystack, needlePath) });
      }
      const within = varPath(haystack);
      if (within !== null) return t("rules.say.notContains", { field: this.label(within), value: this.value(needle, within) });
    }
    if (found?.[0] === "some" && found[1].length === 2) {
      const path = varPath(found[1][0]);
      const test = operation(found[1][1]);
      if (path && test?.[0] === "in" && test[1].length === 2 && Array.isArray(test[1][1]) && varPath(test[1][0]) === "") {
        return t("rules.say.noneOf", { field: this.label(path), values: this.list(test[1][1] as unknown[], path) });
      }
    }
    // "非 (A 并且 B)", "非 (金额 > 5000)".
    return `${t("rules.not")} (${this.read(inner, depth + 1, null)})`;
  }
}

/**
 * A short human reading of a rule, with field and option labels (inline options and the
 * dictionary snapshot) in the current language; "" for no rule. Never throws: what it
 * cannot read is shown as compact JSON, and the whole is cut to `maxLength` characters.
 */
export function describeRule(
  rule: JsonLogic | null | undefined,
  model: DesignerModel,
  t: TFunction,
  dictionary: DictionarySnapshot = {},
  maxLength: number = DESCRIBE_MAX_LENGTH,
): string {
  if (rule === undefined || rule === null) return "";
  let text: string;
  try {
    const language = (t as { lng?: unknown }).lng;
    text = new Reader(model, t, dictionary ?? {}, typeof language === "string" ? language : i18n.language).read(rule);
  } catch {
    text = compactJson(rule);
  }
  const limit = Math.max(2, Math.floor(maxLength));
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
