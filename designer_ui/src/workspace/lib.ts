// Small shared pieces of the workspace: status words, due badges, time formats.
import dayjs from "dayjs";

import type { components } from "../api/schema";

export type InstanceRow = components["schemas"]["InstanceList"];
export type InstanceDetail = components["schemas"]["InstanceDetail"];
export type TaskInfo = components["schemas"]["Task"];
export type TimelineEntry = components["schemas"]["TimelineEntry"];

export type Box = "todo" | "done" | "started" | "cc";
export const BOXES: Box[] = ["todo", "done", "started", "cc"];

/** One word for where a request stands, and its tag colour. */
export function statusOf(row: Pick<InstanceRow, "status" | "outcome">): { key: string; color: string } {
  if (row.status === "completed") return row.outcome === "rejected" ? { key: "rejected", color: "error" } : { key: "approved", color: "success" };
  if (row.status === "withdrawn") return { key: "withdrawn", color: "default" };
  if (row.status === "returned") return { key: "returned", color: "warning" };
  if (row.status === "blocked" || row.status === "error") return { key: "problem", color: "error" };
  return { key: "running", color: "processing" };
}

/** "overdue" past the due time, "soon" within 24 hours, else null. */
export function dueState(dueAt: string | null | undefined, now: dayjs.Dayjs = dayjs()): "overdue" | "soon" | null {
  if (!dueAt) return null;
  const due = dayjs(dueAt);
  if (!due.isValid()) return null;
  if (due.isBefore(now)) return "overdue";
  if (due.diff(now, "hour", true) <= 24) return "soon";
  return null;
}

export function shortTime(value: string | null | undefined, now: dayjs.Dayjs = dayjs()): string {
  if (!value) return "";
  const time = dayjs(value);
  if (!time.isValid()) return "";
  if (time.isSame(now, "day")) return time.format("HH:mm");
  if (time.isSame(now, "year")) return time.format("MM-DD HH:mm");
  return time.format("YYYY-MM-DD");
}

export function fullTime(value: string | null | undefined): string {
  if (!value) return "";
  const time = dayjs(value);
  return time.isValid() ? time.format("YYYY-MM-DD HH:mm") : "";
}

/** "2 小时 5 分" / "2 h 5 min" from seconds. */
export function duration(seconds: number | null | undefined, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (seconds == null) return "";
  const minutes = Math.max(0, Math.round(seconds / 60));
  if (minutes < 1) return t("time.lessThanMinute");
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days ? t("time.days", { count: days }) : "", hours ? t("time.hours", { count: hours }) : "", !days && rest ? t("time.minutes", { count: rest }) : ""]
    .filter(Boolean)
    .join(" ");
}
