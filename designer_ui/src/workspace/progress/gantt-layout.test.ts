import {
  addDays,
  barLayout,
  calendarDays,
  clampSegment,
  contains,
  dayColumns,
  dayOffset,
  formatDateTime,
  formatWindow,
  groupByRequest,
  hitArea,
  isZoom,
  monthLabel,
  monthSpans,
  parseInstant,
  parseIsoDate,
  shiftAnchor,
  toIsoDate,
  unionExtent,
  windowBetween,
  windowFor,
  type BarInput,
} from "./gantt-layout";

// Days are the browser's local days, so every test pins the time zone (Node reads TZ anew
// whenever it changes) and builds local dates after setting it.
function useTimeZone(zone: string) {
  beforeEach(() => {
    vi.stubEnv("TZ", zone);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}

const W = 10; // pixels per day: offsets in days are easy to read as tens
const local = (year: number, month: number, day: number, hour = 0, minute = 0) => new Date(year, month - 1, day, hour, minute);
const iso = (date: Date) => date.toISOString();

function task(overrides: Partial<BarInput>): BarInput {
  return { status: "pending", created_at: iso(local(2026, 12, 2)), completed_at: null, due_at: null, overdue: false, ...overrides };
}

describe("windows", () => {
  useTimeZone("Asia/Shanghai");

  it("a month is the anchor's calendar month", () => {
    const range = windowFor("month", local(2026, 12, 17, 15));
    expect([toIsoDate(range.start), toIsoDate(range.end), range.days]).toEqual(["2026-12-01", "2026-12-31", 31]);
    expect(windowFor("month", local(2028, 2, 29)).days).toBe(29);
    expect(windowFor("month", local(2027, 2, 3)).days).toBe(28);
  });

  it("two weeks start on the Monday of the anchor's week", () => {
    for (const anchor of [local(2026, 12, 7), local(2026, 12, 9, 23, 59), local(2026, 12, 13)]) {
      const range = windowFor("weeks", anchor);
      expect([toIsoDate(range.start), toIsoDate(range.end), range.days]).toEqual(["2026-12-07", "2026-12-20", 14]);
    }
  });

  it("a quarter is the anchor's calendar quarter", () => {
    const range = windowFor("quarter", local(2026, 11, 15));
    expect([toIsoDate(range.start), toIsoDate(range.end), range.days]).toEqual(["2026-10-01", "2026-12-31", 92]);
    expect(toIsoDate(windowFor("quarter", local(2027, 1, 1)).start)).toBe("2027-01-01");
    // At most 92 days: far below the API's 366-day limit.
    expect(windowFor("quarter", local(2027, 8, 1)).days).toBe(92);
  });

  it("moves one window length back or forward", () => {
    expect(toIsoDate(shiftAnchor("weeks", local(2026, 12, 7), 1))).toBe("2026-12-21");
    expect(toIsoDate(shiftAnchor("weeks", local(2026, 12, 7), -1))).toBe("2026-11-23");
    // From 31 January, one month on is February (not 3 March).
    expect(toIsoDate(shiftAnchor("month", local(2027, 1, 31), 1))).toBe("2027-02-01");
    expect(toIsoDate(shiftAnchor("month", local(2027, 1, 31), -1))).toBe("2026-12-01");
    expect(toIsoDate(shiftAnchor("quarter", local(2027, 1, 15), -1))).toBe("2026-10-01");
    expect(toIsoDate(shiftAnchor("quarter", local(2026, 11, 15), 1))).toBe("2027-02-01");
    expect(toIsoDate(windowFor("quarter", shiftAnchor("quarter", local(2026, 11, 15), 1)).start)).toBe("2027-01-01");
  });

  it("reads and writes YYYY-MM-DD days and refuses impossible ones", () => {
    expect(toIsoDate(parseIsoDate("2026-02-28") ?? new Date(0))).toBe("2026-02-28");
    expect(parseIsoDate("2026-02-30")).toBeNull();
    expect(parseIsoDate("2026-13-01")).toBeNull();
    expect(parseIsoDate("12/10/2026")).toBeNull();
    expect(parseIsoDate(null)).toBeNull();
    expect(parseInstant("not a date")).toBeNull();
    expect(parseInstant(undefined)).toBeNull();
    expect(isZoom("month") && isZoom("weeks") && isZoom("quarter")).toBe(true);
    expect(isZoom("year")).toBe(false);
  });

  it("windowBetween covers the days of an API answer", () => {
    const range = windowBetween("month", local(2026, 11, 30), local(2026, 12, 13));
    expect([toIsoDate(range.start), range.days]).toEqual(["2026-11-30", 14]);
    expect(windowBetween("month", local(2026, 12, 5), local(2026, 12, 1)).days).toBe(1);
  });
});

describe("day columns", () => {
  useTimeZone("Asia/Shanghai");

  it("marks weekends, week and month starts, and today", () => {
    const range = windowFor("weeks", local(2026, 11, 30));
    const columns = dayColumns(range, local(2026, 12, 3, 9, 30));
    expect(columns).toHaveLength(14);
    expect(columns.map((column) => column.day)).toEqual([30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(columns.filter((column) => column.weekend).map((column) => column.iso)).toEqual(["2026-12-05", "2026-12-06", "2026-12-12", "2026-12-13"]);
    expect(columns.filter((column) => column.today).map((column) => column.iso)).toEqual(["2026-12-03"]);
    expect(columns.filter((column) => column.monthStart).map((column) => column.iso)).toEqual(["2026-12-01"]);
    expect(columns.filter((column) => column.weekStart).map((column) => column.index)).toEqual([0, 7]);
  });

  it("groups the columns into months for the header", () => {
    const columns = dayColumns(windowFor("weeks", local(2026, 11, 30)), local(2026, 12, 3));
    expect(monthSpans(columns).map((span) => [span.date.getMonth() + 1, span.start, span.length])).toEqual([[11, 0, 1], [12, 1, 13]]);
    const quarter = dayColumns(windowFor("quarter", local(2026, 11, 1)), local(2026, 12, 3));
    expect(monthSpans(quarter).map((span) => span.length)).toEqual([31, 30, 31]);
    const yearEnd = dayColumns(windowBetween("weeks", local(2026, 12, 28), local(2027, 1, 10)), local(2026, 12, 3));
    expect(monthSpans(yearEnd).map((span) => [span.date.getFullYear(), span.length])).toEqual([[2026, 4], [2027, 10]]);
  });

  it("has no today column when today is outside the window", () => {
    expect(dayColumns(windowFor("month", local(2026, 11, 1)), local(2026, 12, 3)).some((column) => column.today)).toBe(false);
  });
});

describe("bars", () => {
  useTimeZone("Asia/Shanghai");
  const december = () => windowFor("month", local(2026, 12, 1));
  const now = () => local(2026, 12, 6, 12);

  it("an open task in time: blue up to now, lighter up to the due time, a marker at the deadline", () => {
    const bar = barLayout(task({ created_at: iso(local(2026, 12, 2)), due_at: iso(local(2026, 12, 10, 18)) }), december(), now(), W);
    expect(bar.tone).toBe("open");
    expect(bar.open).toBe(true);
    expect(bar.overdue).toBe(false);
    expect(bar.actual).toEqual({ left: 10, width: 45, clippedStart: false, clippedEnd: false });
    expect(bar.planned?.left).toBeCloseTo(55);
    expect(bar.planned?.width).toBeCloseTo(42.5);
    expect(bar.late).toBeNull();
    expect(bar.due).toBeCloseTo(97.5);
    expect(bar.extent?.left).toBe(10);
    expect(bar.extent?.width).toBeCloseTo(87.5);
    expect(bar.lateMs).toBe(0);
  });

  it("an open task past its due time: red, with the late part from the deadline to now", () => {
    const bar = barLayout(task({ due_at: iso(local(2026, 12, 10, 18)) }), december(), local(2026, 12, 12, 12), W);
    expect(bar.tone).toBe("overdue");
    expect(bar.overdue).toBe(true);
    expect(bar.planned).toBeNull();
    expect(bar.actual?.left).toBe(10);
    expect(bar.actual?.width).toBeCloseTo(105);
    expect(bar.late?.left).toBeCloseTo(97.5);
    expect(bar.late?.width).toBeCloseTo(17.5);
    expect(bar.lateMs).toBe(42 * 3_600_000);
  });

  it("the server's overdue flag counts even if the clocks disagree by a little", () => {
    const bar = barLayout(task({ due_at: iso(local(2026, 12, 6, 12, 1)), overdue: true }), december(), now(), W);
    expect(bar.tone).toBe("overdue");
  });

  it("a task done in time: green, ending at completion, no planned part even with a later deadline", () => {
    const bar = barLayout(
      task({ status: "approved", completed_at: iso(local(2026, 12, 4, 6)), due_at: iso(local(2026, 12, 10, 18)) }),
      december(), now(), W,
    );
    expect(bar.tone).toBe("done");
    expect(bar.open).toBe(false);
    expect(bar.actual?.width).toBeCloseTo(22.5);
    expect(bar.planned).toBeNull();
    expect(bar.late).toBeNull();
    expect(bar.due).toBeCloseTo(97.5);
    expect(barLayout(task({ status: "done", completed_at: iso(local(2026, 12, 4)) }), december(), now(), W).tone).toBe("done");
  });

  it("a planned start draws the plan from that day to the due time, under the worked part, open or done", () => {
    // W px a day: 1 Dec is x 0, so 7 Dec 00:00 is 6 W and 10 Dec 18:00 is 9.75 W.
    const planned = { created_at: iso(local(2026, 12, 2)), due_at: iso(local(2026, 12, 10, 18)), planned_start: "2026-12-07" };
    const open = barLayout(task(planned), december(), now(), W);
    expect(open.planned?.left).toBeCloseTo(6 * W);
    expect(open.planned?.width).toBeCloseTo(3.75 * W);
    expect(open.actual?.left).toBe(W);
    const done = barLayout(task({ ...planned, status: "done", completed_at: iso(local(2026, 12, 4)) }), december(), now(), W);
    expect(done.planned?.left).toBeCloseTo(6 * W);
    // A timestamp works too; a start after the due time, or none, falls back to "now → due" for open tasks.
    expect(barLayout(task({ ...planned, planned_start: iso(local(2026, 12, 8, 12)) }), december(), now(), W).planned?.left)
      .toBeCloseTo(7.5 * W);
    const backwards = barLayout(task({ ...planned, planned_start: "2026-12-20" }), december(), now(), W);
    expect(backwards.planned?.left).toBeCloseTo(5.5 * W);
    expect(barLayout(task({ ...planned, planned_start: "not a day" }), december(), now(), W).planned?.left).toBeCloseTo(5.5 * W);
  });

  it("a task done after its deadline: green with a late part", () => {
    const bar = barLayout(
      task({ status: "done", completed_at: iso(local(2026, 12, 5)), due_at: iso(local(2026, 12, 4)), overdue: true }),
      december(), now(), W,
    );
    expect(bar.tone).toBe("late");
    expect(bar.late).toEqual({ left: 30, width: 10, clippedStart: false, clippedEnd: false });
    expect(bar.lateMs).toBe(86_400_000);
  });

  it("a rejected task is its own tone", () => {
    const bar = barLayout(task({ status: "rejected", completed_at: iso(local(2026, 12, 3)) }), december(), now(), W);
    expect(bar.tone).toBe("rejected");
    expect(bar.actual?.width).toBe(10);
  });

  it("a task without a due date: no marker, no planned or late part", () => {
    const open = barLayout(task({ due_at: null }), december(), now(), W);
    expect([open.tone, open.due, open.planned, open.late, open.overdue]).toEqual(["open", null, null, null, false]);
    expect(open.extent).toEqual({ left: 10, width: 45 });
    const done = barLayout(task({ status: "approved", completed_at: iso(local(2026, 12, 3)), due_at: undefined }), december(), now(), W);
    expect([done.tone, done.due]).toEqual(["done", null]);
  });

  it("clamps at the window's start and marks the cut", () => {
    const bar = barLayout(task({ created_at: iso(local(2026, 11, 20)), due_at: iso(local(2026, 11, 25)) }), december(), now(), W);
    expect(bar.actual).toEqual({ left: 0, width: 55, clippedStart: true, clippedEnd: false });
    expect(bar.late).toEqual({ left: 0, width: 55, clippedStart: true, clippedEnd: false });
    expect(bar.due).toBeNull(); // the deadline was in November
    expect(bar.tone).toBe("overdue");
  });

  it("clamps at the window's end (a deadline next month)", () => {
    const range = december();
    const bar = barLayout(task({ created_at: iso(local(2026, 12, 20)), due_at: iso(local(2027, 1, 15)) }), range, local(2026, 12, 28), W);
    expect(bar.planned?.left).toBe(270);
    expect(bar.planned?.width).toBe(40);
    expect(bar.planned?.clippedEnd).toBe(true);
    expect((bar.planned?.left ?? 0) + (bar.planned?.width ?? 0)).toBe(range.days * W);
    expect(bar.due).toBeNull();
  });

  it("an open task seen in a past window runs to the window's end", () => {
    const november = windowFor("month", local(2026, 11, 1));
    const bar = barLayout(task({ created_at: iso(local(2026, 11, 28)) }), november, now(), W);
    expect(bar.actual).toEqual({ left: 270, width: 30, clippedStart: false, clippedEnd: true });
  });

  it("an open task seen in a future window shows only its planned part", () => {
    const january = windowFor("month", local(2027, 1, 1));
    const bar = barLayout(task({ due_at: iso(local(2027, 1, 3, 12)) }), january, now(), W);
    expect(bar.actual).toBeNull();
    expect(bar.planned).toEqual({ left: 0, width: 25, clippedStart: true, clippedEnd: false });
    expect(bar.due).toBe(25);
  });

  it("draws nothing for a task wholly outside the window", () => {
    const bar = barLayout(task({ status: "done", created_at: iso(local(2026, 11, 2)), completed_at: iso(local(2026, 11, 3)) }), december(), now(), W);
    expect([bar.actual, bar.planned, bar.late, bar.due, bar.extent]).toEqual([null, null, null, null, null]);
  });

  it("never draws a negative width, whatever the timestamps", () => {
    const bar = barLayout(task({ status: "done", created_at: iso(local(2026, 12, 5)), completed_at: iso(local(2026, 12, 4)) }), december(), now(), W);
    expect(bar.actual).toEqual({ left: 40, width: 0, clippedStart: false, clippedEnd: false });
    expect(clampSegment(december(), 5, 3, W)).toEqual({ left: 30, width: 20, clippedStart: false, clippedEnd: false });
  });

  it("unions extents for a request's summary and widens small bars to a 40 px target inside the track", () => {
    expect(unionExtent([{ left: 10, width: 5 }, null, { left: 40, width: 20 }])).toEqual({ left: 10, width: 50 });
    expect(unionExtent([null])).toBeNull();
    expect(hitArea({ left: 100, width: 2 }, 310, 40)).toEqual({ left: 81, width: 40 });
    expect(hitArea({ left: 0, width: 2 }, 310, 40)).toEqual({ left: 0, width: 40 });
    expect(hitArea({ left: 309, width: 1 }, 310, 40)).toEqual({ left: 270, width: 40 });
    expect(hitArea({ left: 50, width: 120 }, 310, 40)).toEqual({ left: 50, width: 120 });
    expect(hitArea({ left: 0, width: 10 }, 20, 40)).toEqual({ left: 0, width: 20 });
  });
});

describe("rows", () => {
  it("groups tasks under their request in the order requests first appear", () => {
    const row = (id: number, request: number) => ({ id, request: { id: request, title: `R${request}` } });
    const groups = groupByRequest([row(1, 7), row(2, 7), row(3, 9), row(4, 7), row(5, 8)]);
    expect(groups.map((group) => [group.request.id, group.tasks.map((item) => item.id)])).toEqual([[7, [1, 2, 4]], [9, [3]], [8, [5]]]);
    expect(groupByRequest([])).toEqual([]);
  });
});

describe("time zones", () => {
  describe("in Shanghai (UTC+8)", () => {
    useTimeZone("Asia/Shanghai");

    it("an evening UTC time is the next local day", () => {
      const range = windowFor("month", local(2026, 12, 1));
      expect(toIsoDate(new Date("2026-12-09T20:00:00Z"))).toBe("2026-12-10");
      expect(dayOffset(range, new Date("2026-12-09T20:00:00Z"))).toBeCloseTo(9 + 4 / 24);
      expect(dayOffset(range, new Date("2026-12-10T18:00:00+08:00"))).toBeCloseTo(9.75);
      expect(range.start.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    });
  });

  describe("in New York (UTC-5, daylight saving until 1 November 2026)", () => {
    useTimeZone("America/New_York");

    it("the same instant is still the previous day", () => {
      const range = windowFor("month", local(2026, 12, 1));
      expect(toIsoDate(new Date("2026-12-09T20:00:00Z"))).toBe("2026-12-09");
      expect(dayOffset(range, new Date("2026-12-09T20:00:00Z"))).toBeCloseTo(8 + 15 / 24);
      expect(range.start.toISOString()).toBe("2026-12-01T05:00:00.000Z");
    });

    it("a window across the clock change still has whole calendar days", () => {
      const november = windowFor("month", local(2026, 11, 15));
      expect(november.days).toBe(30);
      const columns = dayColumns(november, local(2026, 11, 15));
      expect(columns.map((column) => column.day)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
      // Local midnight of 2 November (EST) is one day in, though 25 hours have passed.
      expect(dayOffset(november, new Date("2026-11-02T05:00:00Z"))).toBe(1);
      expect(dayOffset(november, new Date("2026-11-01T04:00:00Z"))).toBe(0);
      expect(calendarDays(local(2026, 11, 1), local(2026, 11, 2))).toBe(1);
      expect(toIsoDate(addDays(local(2026, 10, 31, 12), 2))).toBe("2026-11-02");
      // Spring forward (14 March 2027): still 14 distinct days.
      const march = dayColumns(windowFor("weeks", local(2027, 3, 10)), local(2027, 3, 10));
      expect(new Set(march.map((column) => column.iso)).size).toBe(14);
      expect(march[0]?.iso).toBe("2027-03-08");
      expect(march[13]?.iso).toBe("2027-03-21");
    });

    it("bars follow local days too", () => {
      const range = windowFor("month", local(2026, 12, 1));
      const bar = barLayout(
        { status: "pending", created_at: "2026-12-02T05:00:00Z", due_at: "2026-12-10T23:00:00Z" },
        range, new Date("2026-12-06T17:00:00Z"), W,
      );
      expect(bar.actual).toEqual({ left: 10, width: 45, clippedStart: false, clippedEnd: false });
      expect(bar.due).toBeCloseTo(97.5);
      expect(contains(range, new Date("2026-12-01T04:59:00Z"))).toBe(false);
      expect(contains(range, new Date("2026-12-01T05:00:00Z"))).toBe(true);
    });
  });
});

describe("words", () => {
  useTimeZone("Asia/Shanghai");
  const now = () => local(2026, 12, 6);

  it("formats the window, months and times for the locale", () => {
    expect(formatWindow(windowFor("month", local(2026, 12, 1)), "zh-Hans")).toBe("2026年12月1日 – 12月31日");
    expect(formatWindow(windowFor("month", local(2026, 12, 1)), "en")).toBe("Dec 1 – Dec 31, 2026");
    expect(formatWindow(windowBetween("weeks", local(2026, 12, 28), local(2027, 1, 10)), "en")).toBe("Dec 28, 2026 – Jan 10, 2027");
    expect(monthLabel(local(2026, 12, 1), "zh-Hans", now())).toBe("12月");
    expect(monthLabel(local(2026, 12, 1), "zh-Hans", now(), true)).toBe("2026年12月");
    expect(monthLabel(local(2027, 1, 1), "en", now())).toBe("January 2027");
    expect(monthLabel(local(2027, 1, 1), "en", now(), true, true)).toBe("Jan");
    expect(monthLabel(local(2026, 11, 30), "zh-Hans", now(), true, true)).toBe("11月");
    expect(formatDateTime(local(2026, 12, 10, 18), "zh-Hans", now())).toBe("12月10日 18:00");
    expect(formatDateTime(local(2026, 12, 10, 18), "en", now())).toBe("Dec 10, 18:00");
    expect(formatDateTime(local(2027, 1, 2, 9, 5), "zh-Hans", now())).toBe("2027年1月2日 09:05");
  });
});
