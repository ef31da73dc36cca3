import dayjs from "dayjs";

/** "2026-11-28 14:05", or "" for a missing/invalid time. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return "";
  const time = dayjs(value);
  return time.isValid() ? time.format("YYYY-MM-DD HH:mm") : "";
}

/** The app's name in the current language (English name when it has one). */
export function appName(app: { name: string; name_en?: string }, language: string): string {
  return language === "en" && app.name_en ? app.name_en : app.name;
}
