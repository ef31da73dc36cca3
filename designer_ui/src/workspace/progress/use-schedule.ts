import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

export type Schedule = components["schemas"]["Schedule"];
export type ScheduleTask = components["schemas"]["ScheduleTask"];
export type ScheduleScope = "mine" | "visible";

export interface ScheduleQuery {
  scope: ScheduleScope;
  /** YYYY-MM-DD, first and last day (inclusive). */
  start: string;
  end: string;
  app?: string;
}

/** The tasks of the timeline (甘特图) over some days. */
export function useSchedule({ scope, start, end, app }: ScheduleQuery) {
  return useQuery({
    // Under ["inbox"]: the realtime client invalidates that prefix on every inbox frame, so a
    // task approved elsewhere turns green here too.
    queryKey: ["inbox", "schedule", scope, start, end, app ?? ""],
    // Paging to the next window keeps the current bars on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(api.GET("/api/v1/tasks/schedule/", { params: { query: { scope, start, end, ...(app ? { app } : {}) } } })),
  });
}
