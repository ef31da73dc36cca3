// "刚刚", "5 分钟前", "3 天前", then a date: how long ago a notification came, in the UI language.
import dayjs, { type Dayjs } from "dayjs";
import "dayjs/locale/zh-cn";
import relativeTime from "dayjs/plugin/relativeTime";

dayjs.extend(relativeTime);

export function dayjsLocale(language: string): string {
  return language === "en" ? "en" : "zh-cn";
}

/** A short relative time; "" for a missing or invalid time. */
export function relativeTimeText(
  value: string | null | undefined,
  { language, justNow, now = dayjs() }: { language: string; justNow: string; now?: Dayjs },
): string {
  if (!value) return "";
  const time = dayjs(value);
  if (!time.isValid()) return "";
  const locale = dayjsLocale(language);
  const seconds = now.diff(time, "second");
  if (seconds < 60) return justNow; // also a clock slightly ahead of ours
  if (seconds < 7 * 24 * 3600) return time.locale(locale).from(now.locale(locale));
  if (time.year() === now.year()) return time.format("MM-DD HH:mm");
  return time.format("YYYY-MM-DD");
}

/** The full time, for a tooltip / title. */
export function absoluteTimeText(value: string | null | undefined): string {
  if (!value) return "";
  const time = dayjs(value);
  return time.isValid() ? time.format("YYYY-MM-DD HH:mm") : "";
}
