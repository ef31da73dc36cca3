// Dates in rules: ISO text in, ISO text out (port of runtime/rules/dates.py).
//
// Input `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]]` with optional `Z`/`±HH:MM` (a space
// may replace `T`); output `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` plus `Z`/`±HH:MM` when
// the input had an offset. Fractions of a second are dropped (they never change a
// result: only whole days and hours are added). Arithmetic is on the wall clock of the
// value's own offset, like Python's datetime.

import type { WorkCalendar } from "./calendar";
import { MAX_DAY, MIN_DAY, daysFromCivil, formatClock, formatDay, isValidCivil } from "./civil";
import { EvalFailure } from "./errors";
import { arithOperand, isPlainObject, jsonType } from "./values";

export const MAX_WORKING_DAYS = 3660;
export const MAX_CALENDAR_SPAN_DAYS = 36600;
const CHINA_OFFSET_MINUTES = 8 * 60;

/** A parsed date (seconds === null) or datetime (wall clock, offset in minutes or null). */
export interface Temporal {
  day: number;
  seconds: number | null;
  offset: number | null;
}

// Python's `\d` matches any Unicode decimal digit (and int() reads it); so does this.
const TEMPORAL_RE =
  /^(\p{Nd}{4})-(\p{Nd}{2})-(\p{Nd}{2})(?:[T ](\p{Nd}{2}):(\p{Nd}{2})(?::(\p{Nd}{2})(?:\.\p{Nd}{1,9})?)?(Z|z|[+-]\p{Nd}{2}:\p{Nd}{2})?)?$/u;
const ND = /^\p{Nd}$/u;

/** Value of a decimal digit of any script (digits come in runs of ten starting at 0). */
function digitValue(ch: string): number {
  const cp = ch.codePointAt(0) ?? 48;
  if (cp >= 48 && cp <= 57) return cp - 48;
  let before = 0;
  while (ND.test(String.fromCodePoint(cp - before - 1))) before += 1;
  return before % 10;
}

function int(text: string): number {
  let n = 0;
  for (const ch of text) n = n * 10 + digitValue(ch);
  return n;
}

function invalid(): EvalFailure {
  return new EvalFailure("invalid_date", { type: "string" });
}

export function parseTemporal(value: unknown): Temporal {
  if (typeof value !== "string") throw new EvalFailure("invalid_date", { type: jsonType(value) });
  const m = TEMPORAL_RE.exec(value);
  if (m === null) throw invalid();
  const [, y, mo, d, h, mi, s, off] = m;
  const year = int(y ?? "");
  const month = int(mo ?? "");
  const dayOfMonth = int(d ?? "");
  if (!isValidCivil(year, month, dayOfMonth)) throw invalid();
  const day = daysFromCivil(year, month, dayOfMonth);
  if (h === undefined || mi === undefined) return { day, seconds: null, offset: null };
  const hour = int(h);
  const minute = int(mi);
  const second = s === undefined ? 0 : int(s);
  if (hour > 23 || minute > 59 || second > 59) throw invalid();
  let offset: number | null = null;
  if (off === "Z" || off === "z") offset = 0;
  else if (off !== undefined) {
    const oh = int(off.slice(1, 3));
    const om = int(off.slice(4, 6));
    // Python's timezone() needs |offset| < 24 h; minutes must be below 60.
    if (om >= 60 || oh * 60 + om >= 24 * 60) throw invalid();
    offset = (off.startsWith("-") ? -1 : 1) * (oh * 60 + om);
    if (offset === 0) offset = 0; // no -0
  }
  return { day, seconds: hour * 3600 + minute * 60 + second, offset };
}

export function formatTemporal(t: Temporal): string {
  const date = formatDay(t.day);
  if (t.seconds === null) return date;
  const text = `${date}T${formatClock(t.seconds)}`;
  if (t.offset === null) return text;
  if (t.offset === 0) return `${text}Z`;
  const abs = Math.abs(t.offset);
  const sign = t.offset < 0 ? "-" : "+";
  return `${text}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function inRange(day: number): number {
  if (!(day >= MIN_DAY && day <= MAX_DAY)) throw new EvalFailure("number_out_of_range");
  return day;
}

/** An integral number (or numeric text), else not_an_integer. */
export function wholeNumber(value: unknown): number {
  let n: number;
  try {
    n = arithOperand(value);
  } catch {
    throw new EvalFailure("not_an_integer", { type: jsonType(value) });
  }
  if (!Number.isInteger(n)) throw new EvalFailure("not_an_integer", { type: "number" });
  return n;
}

/** `date_add [value, n, "days" | "hours"]`; a date plus hours is a datetime from midnight. */
export function dateAdd(value: unknown, amount: unknown, unit: unknown): string {
  if (unit !== "days" && unit !== "hours") throw new EvalFailure("bad_unit", { type: jsonType(unit) });
  const start = parseTemporal(value);
  const n = wholeNumber(amount);
  if (unit === "days") return formatTemporal({ ...start, day: inRange(start.day + n) });
  const total = start.day * 86400 + (start.seconds ?? 0) + n * 3600;
  const day = inRange(Math.floor(total / 86400));
  return formatTemporal({ day, seconds: total - day * 86400, offset: start.offset });
}

function orderedDays(start: unknown, end: unknown): [number, number] {
  const a = parseTemporal(start).day;
  const b = parseTemporal(end).day;
  // A reversed range would silently take the "short" branch of a condition.
  if (b < a) throw new EvalFailure("date_order");
  if (b - a > MAX_CALENDAR_SPAN_DAYS) throw new EvalFailure("number_out_of_range");
  return [a, b];
}

/** Calendar days from start to end counting both ends (same day → 1). */
export function daysBetween(start: unknown, end: unknown): number {
  const [a, b] = orderedDays(start, end);
  return b - a + 1;
}

/** Working days from start to end counting both ends. */
export function workingDaysBetween(calendar: WorkCalendar, start: unknown, end: unknown): number {
  const [a, b] = orderedDays(start, end);
  let count = 0;
  for (let day = a; day <= b; day += 1) if (calendar.isWorkday(day)) count += 1;
  return count;
}

/** The n-th working day after (n > 0) or before (n < 0) the value; the time of day is kept. */
export function addWorkingDays(calendar: WorkCalendar, value: unknown, amount: unknown): string {
  const start = parseTemporal(value);
  const n = wholeNumber(amount);
  if (Math.abs(n) > MAX_WORKING_DAYS) throw new EvalFailure("number_out_of_range");
  const step = n > 0 ? 1 : -1;
  let day = start.day;
  let remaining = Math.abs(n);
  while (remaining > 0) {
    day = inRange(day + step);
    // Guard (docs/rules.md: spans at most 36,600 days) against calendars without working days.
    if (Math.abs(day - start.day) > MAX_CALENDAR_SPAN_DAYS) throw new EvalFailure("number_out_of_range");
    if (calendar.isWorkday(day)) remaining -= 1;
  }
  return formatTemporal({ ...start, day });
}

/** The clock in China time (UTC+8), used when the context has no `now`. */
export function clockNow(): Temporal {
  const ms = Date.now() + CHINA_OFFSET_MINUTES * 60_000;
  const day = Math.floor(ms / 86_400_000);
  return { day, seconds: Math.floor((ms - day * 86_400_000) / 1000), offset: CHINA_OFFSET_MINUTES };
}

/** The top-level context's `now` when it has one, else the clock. */
export function contextNow(root: unknown): Temporal {
  if (isPlainObject(root)) {
    const value = root.now;
    if (value !== null && value !== undefined) return parseTemporal(value);
  }
  return clockNow();
}

export function today(root: unknown): string {
  return formatDay(contextNow(root).day);
}

export function now(root: unknown): string {
  return formatTemporal(contextNow(root));
}
