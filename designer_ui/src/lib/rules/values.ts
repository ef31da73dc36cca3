// Value semantics shared by the operators (port of runtime/rules/values.py).
//
// JavaScript semantics except where docs/rules.md records a decision: null and blank
// text are never numbers, comparisons involving them are false, and arithmetic that
// JavaScript would turn into NaN/Infinity is an error.

import { EvalFailure } from "./errors";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: unknown };

export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
/** Results of cat/merge bigger than this are refused. */
export const MAX_RESULT_LENGTH = 1_000_000;

export type JsonTypeName = "null" | "boolean" | "number" | "string" | "array" | "object" | "unsupported";

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function jsonType(value: unknown): JsonTypeName {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  return "unsupported";
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** JsonLogic truthiness: JavaScript's, except that an empty array is falsy ({} is truthy). */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** JavaScript's Number(text), except that blank text is NaN rather than 0. */
export function stringToNumber(text: string): number {
  if (text.trim() === "") return NaN;
  return Number(text);
}

/** ToNumber for comparisons: null, blank text, arrays and objects give NaN. */
export function toNumber(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") return stringToNumber(value);
  return NaN;
}

/** A number for arithmetic: numbers and numeric text; anything else is not_a_number. */
export function arithOperand(value: unknown): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new EvalFailure("not_a_number", { type: "number" });
    return value;
  }
  if (typeof value === "string") {
    const n = stringToNumber(value);
    if (!Number.isFinite(n)) throw new EvalFailure("not_a_number", { type: "string" });
    return n;
  }
  // true + 1 or null + 1 would be 2 / NaN in JavaScript: refused.
  throw new EvalFailure("not_a_number", { type: jsonType(value) });
}

/** Normalise an arithmetic result; NaN and infinities (not JSON) are errors, -0 is 0. */
export function finishNumber(x: number): number {
  if (!Number.isFinite(x)) throw new EvalFailure("number_out_of_range");
  return x === 0 ? 0 : x;
}

/** ToIntegerOrInfinity over toNumber (NaN is 0), clamped to the safe range. */
export function toInteger(value: unknown): number {
  const n = toNumber(value);
  if (Number.isNaN(n)) return 0;
  if (n === Infinity) return MAX_SAFE_INTEGER;
  if (n === -Infinity) return -MAX_SAFE_INTEGER;
  return Math.trunc(n) || 0;
}

/** JavaScript String(value) for JSON values, without calling data-provided methods. */
export function toJsString(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  if (Array.isArray(value)) return joinStrings(value, ",");
  return "[object Object]";
}

/** Array.prototype.join: null elements become empty text. */
export function joinStrings(values: readonly unknown[], separator: string): string {
  return values.map((v) => (v === null || v === undefined ? "" : toJsString(v))).join(separator);
}

/** Characters (Unicode code points) of a text, as the server counts them. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Compare texts by code point (as Python does); -1, 0 or 1. */
export function compareText(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = codePoints(a);
  const y = codePoints(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i += 1) {
    const cx = x[i]?.codePointAt(0) ?? 0;
    const cy = y[i]?.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** `===`: same JSON type and value; arrays and objects compare deeply. */
export function strictEqual(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => strictEqual(x, b[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => hasOwn(b, k) && strictEqual(a[k], b[k]));
  }
  return a === b;
}

function isContainer(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

/** `==`: JavaScript abstract equality for primitives, deep equality for containers. */
export function looseEqual(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (isContainer(a) || isContainer(b)) return isContainer(a) && isContainer(b) && strictEqual(a, b);
  if (typeof a === "string" && typeof b === "string") return a === b;
  // Booleans and text compare as numbers, as in JavaScript ("1" == 1, true == 1), but
  // blank text is not 0.
  return toNumber(a) === toNumber(b);
}

/** `a < b` (orEqual: `a <= b`): false with null, arrays or objects; two texts compare as text. */
export function less(a: unknown, b: unknown, orEqual = false): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === "string" && typeof b === "string") {
    const c = compareText(a, b);
    return orEqual ? c <= 0 : c < 0;
  }
  if (isContainer(a) || isContainer(b)) return false;
  const x = toNumber(a);
  const y = toNumber(b);
  return orEqual ? x <= y : x < y;
}

/** Refuse results (text or arrays) beyond MAX_RESULT_LENGTH. */
export function checkLength(size: number): void {
  if (size > MAX_RESULT_LENGTH) throw new EvalFailure("result_too_large");
}
