import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { Box, InstanceRow } from "../lib";

/** Orders besides each box's default (待办: urgent first, then newest; 已办: recently handled). */
export const SORTS = ["due", "newest", "oldest", "updated"] as const;
export type InboxSort = (typeof SORTS)[number];

export interface InboxFilters {
  search?: string;
  app?: string;
  status?: string;
  urgent?: boolean;
  overdue?: boolean;
  createdFrom?: string; // YYYY-MM-DD, submitted on or after
  createdTo?: string;
  sort?: InboxSort;
}

export const PAGE_SIZE = 20;

export function useCounts() {
  return useQuery({
    queryKey: ["inbox", "counts"],
    queryFn: () => unwrap(api.GET("/api/v1/instances/counts/")) as Promise<Record<Box, number>>,
    staleTime: 10_000,
  });
}

export function useInbox(box: Box, filters: InboxFilters, page: number) {
  return useQuery({
    queryKey: ["inbox", "list", box, filters, page],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const query: Record<string, unknown> = { box, page, page_size: PAGE_SIZE };
      if (filters.search) query.search = filters.search;
      if (filters.app) query.app = filters.app;
      if (filters.status) query.status = filters.status;
      if (filters.urgent) query.urgent = true;
      if (filters.overdue) query.overdue = true;
      if (filters.createdFrom) query.created_from = filters.createdFrom;
      if (filters.createdTo) query.created_to = filters.createdTo;
      if (filters.sort) query.sort = filters.sort;
      const data = await unwrap(api.GET("/api/v1/instances/", { params: { query: query as never } }));
      return data as unknown as { count: number; results: InstanceRow[] };
    },
  });
}

export interface BatchResult {
  task_id: number;
  ok: boolean;
  error?: { code: string; message: string };
}

export function useBatchApprove() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { task_ids: number[]; comment: string; request_id: string }) =>
      (await unwrap(api.POST("/api/v1/tasks/batch-approve/", { body: body as never }))) as unknown as BatchResult[],
    onSettled: () => void client.invalidateQueries({ queryKey: ["inbox"] }),
  });
}
