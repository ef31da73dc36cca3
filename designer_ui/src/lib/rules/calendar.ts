// The work calendar of working_days_between / add_working_days (runtime/workcalendar.py).
//
// The server resolves its calendar (statutory days from `chinesecalendar` plus company
// overrides, which win) into plain lists; the browser only looks days up:
//
//   { "holidays": ["2025-10-01", ...],   // days off that would otherwise be working days
//     "workdays": ["2025-09-28", ...],   // working days that would otherwise be days off (调休)
//     "weekend":  [5, 6] }               // Python weekday numbers (Monday 0 … Sunday 6); default [5, 6]
//
// A day in `workdays` is a working day, else a day in `holidays` is not, else it is a
// working day unless its weekday is in `weekend` (years without statutory data fall
// back to Monday–Friday, as on the server).

import { parseDay, weekday } from "./civil";

export interface WorkCalendarJson {
  holidays?: readonly string[];
  workdays?: readonly string[];
  weekend?: readonly number[];
}

export interface WorkCalendar {
  /** Whether the epoch day (days since 1970-01-01) is a working day. */
  isWorkday(epochDay: number): boolean;
}

function daySet(texts: readonly string[] | undefined, field: string): Set<number> {
  const out = new Set<number>();
  for (const text of texts ?? []) {
    const day = typeof text === "string" ? parseDay(text) : undefined;
    if (day === undefined) throw new TypeError(`work calendar: ${field} holds a value that is not a YYYY-MM-DD date`);
    out.add(day);
  }
  return out;
}

/** A WorkCalendar from the JSON the server sends (see the format above). */
export function workCalendarFromJson(json: WorkCalendarJson): WorkCalendar {
  const holidays = daySet(json.holidays, "holidays");
  const workdays = daySet(json.workdays, "workdays");
  for (const day of holidays) {
    if (workdays.has(day)) throw new TypeError("work calendar: a date cannot be both a holiday and a working day");
  }
  const weekend = new Set(json.weekend ?? [5, 6]);
  for (const d of weekend) {
    if (!Number.isInteger(d) || d < 0 || d > 6) throw new TypeError("work calendar: weekend days are 0 (Monday) to 6");
  }
  return {
    isWorkday(epochDay: number): boolean {
      if (workdays.has(epochDay)) return true;
      if (holidays.has(epochDay)) return false;
      return !weekend.has(weekday(epochDay));
    },
  };
}

/** Monday–Friday without holidays: used when no calendar is given (the server's
 * default also knows the statutory holidays, so pass the served calendar for parity). */
export const WEEKDAY_CALENDAR: WorkCalendar = workCalendarFromJson({});
