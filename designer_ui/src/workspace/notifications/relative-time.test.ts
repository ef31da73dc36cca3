import dayjs from "dayjs";

import { absoluteTimeText, relativeTimeText } from "./relative-time";

const now = dayjs("2026-03-10T12:00:00");

describe("relativeTimeText", () => {
  it("says just now for the last minute and for a clock slightly ahead", () => {
    expect(relativeTimeText("2026-03-10T11:59:30", { language: "zh-Hans", justNow: "刚刚", now })).toBe("刚刚");
    expect(relativeTimeText("2026-03-10T12:00:20", { language: "en", justNow: "just now", now })).toBe("just now");
  });

  it("counts minutes, hours and days in the UI language", () => {
    expect(relativeTimeText("2026-03-10T11:55:00", { language: "zh-Hans", justNow: "刚刚", now })).toBe("5 分钟前");
    expect(relativeTimeText("2026-03-10T09:00:00", { language: "en", justNow: "just now", now })).toBe("3 hours ago");
    expect(relativeTimeText("2026-03-07T12:00:00", { language: "zh-Hans", justNow: "刚刚", now })).toBe("3 天前");
  });

  it("shows a date after a week", () => {
    expect(relativeTimeText("2026-02-01T08:05:00", { language: "zh-Hans", justNow: "刚刚", now })).toBe("02-01 08:05");
    expect(relativeTimeText("2025-12-31T08:05:00", { language: "en", justNow: "just now", now })).toBe("2025-12-31");
  });

  it("gives nothing for a missing or broken time", () => {
    expect(relativeTimeText(null, { language: "en", justNow: "just now", now })).toBe("");
    expect(relativeTimeText("nonsense", { language: "en", justNow: "just now", now })).toBe("");
    expect(absoluteTimeText("2026-02-01T08:05:00")).toBe("2026-02-01 08:05");
  });
});
