// The company's working calendar for rules such as working_days_between (GET
// /api/v1/calendar/rules/), loaded once per page. Until it arrives — or without a server, as in
// the designer's tests — rules count Monday to Friday (lib/rules' default).
import { useEffect, useState } from "react";

import { rawFetch } from "../../api/client";
import { workCalendarFromJson, type WorkCalendar, type WorkCalendarJson } from "../../lib/rules";

let loaded: WorkCalendar | undefined;
let loading: Promise<WorkCalendar | undefined> | undefined;

export function loadRulesCalendar(): Promise<WorkCalendar | undefined> {
  loading ??= rawFetch("/api/v1/calendar/rules/")
    .then(async (response) => {
      loaded = workCalendarFromJson((await response.json()) as WorkCalendarJson);
      return loaded;
    })
    .catch(() => undefined);
  return loading;
}

/** The calendar once loaded (undefined before, and when the server cannot give it). */
export function useRulesCalendar(): WorkCalendar | undefined {
  const [calendar, setCalendar] = useState<WorkCalendar | undefined>(loaded);
  useEffect(() => {
    if (loaded || typeof window === "undefined" || import.meta.env.MODE === "test") return;
    let alive = true;
    void loadRulesCalendar().then((value) => {
      if (alive) setCalendar(value);
    });
    return () => {
      alive = false;
    };
  }, []);
  return calendar;
}
