// The date and geometry maths of the task timeline (甘特图), kept pure so it can be tested
// without a browser: which days a zoom shows around an anchor date, the day columns, where a
// task's bar sits (clamped to the window), and the rows grouped by request.
//
// Days are the browser's local calendar days: a task created at 2026-12-09T20:00Z sits on
// 12-10 in Shanghai and on 12-09 in New York. Offsets count calendar days (not 24-hour
// blocks), so a window across a daylight-saving change still has whole-day columns.

export type Zoom = "weeks" | "month" | "quarter";
export const ZOOMS: readonly Zoom[] = ["weeks", "month", "quarter"];
/** Pixels per day for each zoom: two weeks fit a laptop screen; a quarter is a sketch. */
export const DAY_WIDTH: Record<Zoom, number> = { weeks: 48, month: 36, quarter: 16 };

/** Task statuses still being worked on; a bar of an open task runs to now. */
export const OPEN_STATUSES: readonly string[] = ["pending", "suspended", "waiting"];

const DAY_MS = 86_400_000;

export interface GanttWindow {
  zoom: Zoom;
  /** Local midnight of the first day. */
  start: Date;
  /** Local midnight of the last day (inclusive, like the API's `end`). */
  end: Date;
  days: number;
}

export function isZoom(value: unknown): value is Zoom {
  return typeof value === "string" && (ZOOMS as readonly string[]).includes(value);
}

export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** The same local time `count` calendar days later (or earlier). */
export function addDays(date: Date, count: number): Date {
  const next = new Date(date);
  next.setDate(next.getDate() + count);
  return next;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** YYYY-MM-DD of the local calendar day (what the API's start/end take). */
export function toIsoDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Local midnight of a YYYY-MM-DD day, or null when it is not a real date. */
export function parseIsoDate(value: string | null | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? "");
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

/** A timestamp from the API, or null when absent or unreadable. */
export function parseInstant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A planned start: a day (local midnight) or a timestamp; null when absent or unreadable. */
export function parsePlannedStart(value: string | null | undefined): Date | null {
  return parseIsoDate(value) ?? parseInstant(value);
}

/** Whole calendar days from `from`'s day to `to`'s day, in local time (DST-safe). */
export function calendarDays(from: Date, to: Date): number {
  const a = Date.UTC(from.getFullYear(), from.getMonth(), from.getDate());
  const b = Date.UTC(to.getFullYear(), to.getMonth(), to.getDate());
  return Math.round((b - a) / DAY_MS);
}

/**
 * The days a zoom shows around an anchor: two weeks from the Monday of the anchor's week,
 * the anchor's calendar month, or its calendar quarter.
 */
export function windowFor(zoom: Zoom, anchor: Date): GanttWindow {
  const day = startOfDay(anchor);
  let start: Date;
  let end: Date;
  if (zoom === "weeks") {
    start = addDays(day, -((day.getDay() + 6) % 7));
    end = addDays(start, 13);
  } else if (zoom === "month") {
    start = new Date(day.getFullYear(), day.getMonth(), 1);
    end = new Date(day.getFullYear(), day.getMonth() + 1, 0);
  } else {
    const first = Math.floor(day.getMonth() / 3) * 3;
    start = new Date(day.getFullYear(), first, 1);
    end = new Date(day.getFullYear(), first + 3, 0);
  }
  return { zoom, start, end, days: calendarDays(start, end) + 1 };
}

/** The window of two given days (the days an API answer covers). */
export function windowBetween(zoom: Zoom, start: Date, end: Date): GanttWindow {
  const first = startOfDay(start);
  const last = startOfDay(end < start ? start : end);
  return { zoom, start: first, end: last, days: calendarDays(first, last) + 1 };
}

/** The anchor of the previous (-1) or next (+1) window: one window length away. */
export function shiftAnchor(zoom: Zoom, anchor: Date, step: -1 | 1): Date {
  const day = startOfDay(anchor);
  if (zoom === "weeks") return addDays(day, 14 * step);
  // The first of the month, so that 31 January plus one month is February, not March.
  return new Date(day.getFullYear(), day.getMonth() + (zoom === "month" ? 1 : 3) * step, 1);
}

/** Fractional days from the window's first midnight to an instant, in local time. */
export function dayOffset(window: GanttWindow, instant: Date): number {
  const fraction = (instant.getHours() * 3600 + instant.getMinutes() * 60 + instant.getSeconds() + instant.getMilliseconds() / 1000) / 86_400;
  return calendarDays(window.start, instant) + fraction;
}

export function contains(window: GanttWindow, instant: Date): boolean {
  const offset = dayOffset(window, instant);
  return offset >= 0 && offset <= window.days;
}

export interface DayColumn {
  index: number;
  date: Date;
  iso: string;
  day: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
  weekend: boolean;
  monthStart: boolean;
  weekStart: boolean;
  today: boolean;
}

export function dayColumns(window: GanttWindow, now: Date): DayColumn[] {
  return Array.from({ length: window.days }, (_, index) => {
    const date = addDays(window.start, index);
    const weekday = date.getDay();
    return {
      index,
      date,
      iso: toIsoDate(date),
      day: date.getDate(),
      weekday,
      weekend: weekday === 0 || weekday === 6,
      monthStart: date.getDate() === 1,
      weekStart: weekday === 1,
      today: calendarDays(date, now) === 0,
    };
  });
}

export interface MonthSpan {
  /** The first day of the month shown (may be mid-month at the window's start). */
  date: Date;
  start: number;
  length: number;
}

/** The months of the window as runs of columns (for the header's upper row). */
export function monthSpans(columns: DayColumn[]): MonthSpan[] {
  const spans: MonthSpan[] = [];
  for (const column of columns) {
    const last = spans[spans.length - 1];
    if (last && last.date.getMonth() === column.date.getMonth() && last.date.getFullYear() === column.date.getFullYear()) last.length += 1;
    else spans.push({ date: column.date, start: column.index, length: 1 });
  }
  return spans;
}

// --- Bars ---------------------------------------------------------------------------------

export type BarTone = "open" | "overdue" | "done" | "late" | "rejected";

export interface BarInput {
  status: string;
  created_at: string;
  completed_at?: string | null;
  due_at?: string | null;
  /** The planned start (a YYYY-MM-DD day or a timestamp) when the step names one. */
  planned_start?: string | null;
  overdue?: boolean;
}

export interface Segment {
  left: number;
  width: number;
  /** The segment goes on before the window's first day / after its last. */
  clippedStart: boolean;
  clippedEnd: boolean;
}

export interface BarLayout {
  tone: BarTone;
  open: boolean;
  overdue: boolean;
  /** Worked time: created → completed (or now while open). */
  actual: Segment | null;
  /** The plan: planned start → due when the step has a planned start (under the worked part),
   * else still to go: now → due, for an open task due later than now. */
  planned: Segment | null;
  /** Past the deadline: due → completed (or now). */
  late: Segment | null;
  /** x of the deadline marker, when there is a deadline inside the window. */
  due: number | null;
  /** Everything drawn (segments and marker); null when none of it is inside the window. */
  extent: { left: number; width: number } | null;
  /** How long after its deadline it was (or still is) worked on, in milliseconds. */
  lateMs: number;
}

/** A span of fractional days clamped to the window, in pixels; null when wholly outside. */
export function clampSegment(window: GanttWindow, from: number, to: number, dayWidth: number): Segment | null {
  const a = Math.min(from, to);
  const b = Math.max(from, to);
  if (b < 0 || a > window.days) return null;
  const left = Math.max(a, 0);
  const right = Math.min(b, window.days);
  return { left: left * dayWidth, width: (right - left) * dayWidth, clippedStart: a < 0, clippedEnd: b > window.days };
}

/** Where a task's bar and deadline sit in the window, and how it is coloured. */
export function barLayout(task: BarInput, window: GanttWindow, now: Date, dayWidth: number): BarLayout {
  const open = OPEN_STATUSES.includes(task.status);
  const created = parseInstant(task.created_at) ?? now;
  const finished = open ? now : (parseInstant(task.completed_at) ?? now);
  const end = finished < created ? created : finished;
  const due = parseInstant(task.due_at);
  const lateMs = due && end > due ? end.getTime() - due.getTime() : 0;
  const overdue = Boolean(task.overdue) || lateMs > 0;
  const tone: BarTone = task.status === "rejected" ? "rejected" : open ? (overdue ? "overdue" : "open") : overdue ? "late" : "done";
  const at = (instant: Date) => dayOffset(window, instant);

  const actual = clampSegment(window, at(created), at(end), dayWidth);
  const plannedStart = parsePlannedStart(task.planned_start);
  const planned = plannedStart && due && plannedStart < due
    ? clampSegment(window, at(plannedStart), at(due), dayWidth)
    : open && due && due > now ? clampSegment(window, at(now), at(due), dayWidth) : null;
  const late = due && lateMs > 0 ? clampSegment(window, Math.max(at(due), at(created)), at(end), dayWidth) : null;
  const dueX = due && contains(window, due) ? at(due) * dayWidth : null;

  const edges: Array<[number, number]> = [];
  for (const segment of [actual, planned, late]) if (segment) edges.push([segment.left, segment.left + segment.width]);
  if (dueX !== null) edges.push([dueX, dueX]);
  const extent = edges.length
    ? { left: Math.min(...edges.map(([a]) => a)), width: Math.max(...edges.map(([, b]) => b)) - Math.min(...edges.map(([a]) => a)) }
    : null;
  return { tone, open, overdue, actual, planned, late, due: dueX, extent, lateMs };
}

/** The span covering several bars (a request's summary line), or null. */
export function unionExtent(extents: Array<{ left: number; width: number } | null>): { left: number; width: number } | null {
  const present = extents.filter((extent): extent is { left: number; width: number } => extent !== null);
  if (!present.length) return null;
  const left = Math.min(...present.map((extent) => extent.left));
  const right = Math.max(...present.map((extent) => extent.left + extent.width));
  return { left, width: right - left };
}

/**
 * A clickable area of at least `minWidth` pixels around a drawn extent, kept inside the
 * track (a task of a few minutes is a sliver; its link must still be easy to hit).
 */
export function hitArea(extent: { left: number; width: number }, trackWidth: number, minWidth: number): { left: number; width: number } {
  const width = Math.min(Math.max(extent.width, minWidth), trackWidth);
  const centred = extent.left + extent.width / 2 - width / 2;
  return { left: Math.min(Math.max(centred, 0), trackWidth - width), width };
}

// --- Rows ---------------------------------------------------------------------------------

export interface RequestGroup<T extends { request: { id: number } }> {
  request: T["request"];
  tasks: T[];
}

/** Tasks grouped under their request, in the order requests first appear (the API's order). */
export function groupByRequest<T extends { request: { id: number } }>(tasks: readonly T[]): Array<RequestGroup<T>> {
  const groups = new Map<number, RequestGroup<T>>();
  for (const task of tasks) {
    const group = groups.get(task.request.id);
    if (group) group.tasks.push(task);
    else groups.set(task.request.id, { request: task.request, tasks: [task] });
  }
  return [...groups.values()];
}

// --- Words for the locale -----------------------------------------------------------------

/** An Intl locale for the UI language ("zh-Hans" and "en" are both valid tags). */
export function intlLocale(language: string | undefined): string {
  return language === "en" ? "en" : "zh-Hans";
}

/**
 * "12月" / "December", with the year ("2026年12月" / "December 2026") when asked or not
 * `now`'s; `compact` ("12月" / "Dec", no year) for a month with only a day or two shown.
 */
export function monthLabel(date: Date, locale: string, now: Date, withYear = false, compact = false): string {
  // Chinese "short" months are "12月" ("long" ones are "十二月", rare in software).
  const options: Intl.DateTimeFormatOptions = { month: locale.startsWith("zh") || compact ? "short" : "long" };
  if (!compact && (withYear || date.getFullYear() !== now.getFullYear())) options.year = "numeric";
  return new Intl.DateTimeFormat(locale, options).format(date);
}

export function weekdayLabel(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: "narrow" }).format(date);
}

/** "12月10日 18:00" / "Dec 10, 18:00", with the year when it is not `now`'s. */
export function formatDateTime(instant: Date, locale: string, now: Date): string {
  const options: Intl.DateTimeFormatOptions = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  if (instant.getFullYear() !== now.getFullYear()) options.year = "numeric";
  return new Intl.DateTimeFormat(locale, options).format(instant);
}

/** "12月7日" / "Dec 7", with the year when it is not `now`'s. */
export function formatDay(day: Date, locale: string, now: Date): string {
  const options: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" };
  if (day.getFullYear() !== now.getFullYear()) options.year = "numeric";
  return new Intl.DateTimeFormat(locale, options).format(day);
}

/** "2026年12月1日 – 12月31日" / "Dec 1 – Dec 31, 2026" (Intl's formatRange falls back to numbers in Chinese). */
export function formatWindow(window: GanttWindow, locale: string): string {
  const day = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" });
  const full = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" });
  const chinese = locale.startsWith("zh");
  if (window.start.getFullYear() !== window.end.getFullYear()) return `${full.format(window.start)} – ${full.format(window.end)}`;
  return chinese
    ? `${full.format(window.start)} – ${day.format(window.end)}`
    : `${day.format(window.start)} – ${full.format(window.end)}`;
}
