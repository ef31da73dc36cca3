import dayjs from "dayjs";

import { formToPreferences, parseTime, preferencesToForm, quietHoursMissing } from "./preferences-form";

describe("preferences form", () => {
  it("reads the API's times and writes them back as HH:MM", () => {
    const form = preferencesToForm({
      in_app: true,
      email_enabled: false,
      im_enabled: true,
      quiet_start: "22:00",
      quiet_end: "08:30",
      digest: "daily",
      digest_time: "18:15:00",
      time_zone: "Asia/Shanghai",
    });
    expect(form.quiet_start?.format("HH:mm")).toBe("22:00");
    expect(form.digest_time?.format("HH:mm")).toBe("18:15");
    expect(formToPreferences(form)).toEqual({
      email_enabled: false,
      im_enabled: true,
      quiet_start: "22:00",
      quiet_end: "08:30",
      digest: "daily",
      digest_time: "18:15",
    });
  });

  it("sends no digest time unless the digest is daily, and clears quiet hours as nulls", () => {
    const form = preferencesToForm({ in_app: true, quiet_start: null, quiet_end: null, digest: "hourly", time_zone: "UTC" });
    expect(form.digest_time?.format("HH:mm")).toBe("09:00");
    expect(formToPreferences(form)).toEqual({ email_enabled: true, im_enabled: true, quiet_start: null, quiet_end: null, digest: "hourly" });
  });

  it("names the missing end of half-set quiet hours", () => {
    const ten = dayjs("2026-01-01T22:00:00");
    expect(quietHoursMissing({ quiet_start: ten, quiet_end: null })).toBe("quiet_end");
    expect(quietHoursMissing({ quiet_start: null, quiet_end: ten })).toBe("quiet_start");
    expect(quietHoursMissing({ quiet_start: ten, quiet_end: ten })).toBeNull();
    expect(quietHoursMissing({ quiet_start: null, quiet_end: null })).toBeNull();
    expect(parseTime("nonsense")).toBeNull();
  });
});
