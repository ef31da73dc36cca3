// The settings form ⇄ the API's preferences ("HH:MM" strings; quiet hours both or neither).
import dayjs, { type Dayjs } from "dayjs";
import customParseFormat from "dayjs/plugin/customParseFormat";

import type { DigestMode, NotificationPreferences, NotificationPreferencesUpdate } from "./use-notifications";

dayjs.extend(customParseFormat);

export const TIME_FORMAT = "HH:mm";
export const DEFAULT_DIGEST_TIME = "09:00";

export interface PreferencesFormValues {
  email_enabled: boolean;
  im_enabled: boolean;
  quiet_start: Dayjs | null;
  quiet_end: Dayjs | null;
  digest: DigestMode;
  digest_time: Dayjs | null;
}

/** "22:00" (or "22:00:00") → a Dayjs today at that time; null for empty or unreadable. */
export function parseTime(value: string | null | undefined): Dayjs | null {
  if (!value) return null;
  const time = dayjs(value.slice(0, 5), TIME_FORMAT, true);
  return time.isValid() ? time : null;
}

export function formatTime(value: Dayjs | null | undefined): string | null {
  return value && value.isValid() ? value.format(TIME_FORMAT) : null;
}

export function preferencesToForm(preferences: NotificationPreferences): PreferencesFormValues {
  return {
    email_enabled: preferences.email_enabled ?? true,
    im_enabled: preferences.im_enabled ?? true,
    quiet_start: parseTime(preferences.quiet_start),
    quiet_end: parseTime(preferences.quiet_end),
    digest: preferences.digest ?? "off",
    digest_time: parseTime(preferences.digest_time ?? DEFAULT_DIGEST_TIME),
  };
}

/** The missing end of half-set quiet hours, or null when both or neither are set. */
export function quietHoursMissing(values: Pick<PreferencesFormValues, "quiet_start" | "quiet_end">): "quiet_start" | "quiet_end" | null {
  const start = formatTime(values.quiet_start);
  const end = formatTime(values.quiet_end);
  if (start && !end) return "quiet_end";
  if (end && !start) return "quiet_start";
  return null;
}

/** The PUT body. The digest time is only sent for a daily digest (hourly runs on the full hour). */
export function formToPreferences(values: PreferencesFormValues): NotificationPreferencesUpdate {
  const body: NotificationPreferencesUpdate = {
    email_enabled: values.email_enabled,
    im_enabled: values.im_enabled,
    quiet_start: formatTime(values.quiet_start),
    quiet_end: formatTime(values.quiet_end),
    digest: values.digest,
  };
  if (values.digest === "daily") body.digest_time = formatTime(values.digest_time) ?? DEFAULT_DIGEST_TIME;
  return body;
}
