// Server state of the app portal: favourites (optimistic), drafts, recently used apps.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { components } from "../../api/schema";
import { toggleFavorite, type RecentRequest } from "./lib/portal";

export type RequestDraft = components["schemas"]["RequestDraft"];
export type RequestDraftBrief = components["schemas"]["RequestDraftBrief"];

const FAVORITES = ["portal", "favorites"] as const;
export const DRAFTS = ["portal", "drafts"] as const;
export const draftKey = (appKey: string) => ["portal", "drafts", appKey] as const;

/** GET /api/v1/favorites/: the keys of the caller's favourite apps. */
export function useFavorites() {
  return useQuery({
    queryKey: FAVORITES,
    queryFn: async () => (await unwrap(api.GET("/api/v1/favorites/"))).apps,
  });
}

/** Star or unstar an app: the list changes at once and rolls back if the server refuses. */
export function useToggleFavorite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ key, on }: { key: string; on: boolean }) => {
      const path = { params: { path: { app_key: key } } };
      if (on) await unwrap(api.PUT("/api/v1/favorites/{app_key}/", path));
      else await unwrap(api.DELETE("/api/v1/favorites/{app_key}/", path));
    },
    onMutate: async ({ key, on }) => {
      await client.cancelQueries({ queryKey: FAVORITES });
      const previous = client.getQueryData<string[]>(FAVORITES);
      client.setQueryData<string[]>(FAVORITES, (keys) => toggleFavorite(keys ?? [], key, on));
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) client.setQueryData(FAVORITES, context.previous);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: FAVORITES }),
  });
}

/** GET /api/v1/drafts/: the caller's drafts, newest first. */
export function useDrafts() {
  return useQuery({
    queryKey: DRAFTS,
    queryFn: () => unwrap(api.GET("/api/v1/drafts/")),
  });
}

/** The caller's requests, newest first (for "recently used"); no error state of its own. */
export function useRecentRequests() {
  return useQuery({
    queryKey: ["portal", "recent"],
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/instances/", { params: { query: { box: "started", page_size: 20 } as never } }),
      );
      return (page as unknown as { results: RecentRequest[] }).results;
    },
  });
}

/** GET /api/v1/drafts/<key>/: the caller's draft of one app, or null when there is none. */
export function useRequestDraft(appKey: string) {
  return useQuery({
    queryKey: draftKey(appKey),
    queryFn: async () => {
      // The list (no form data) says whether there is one: no 404 in the console for every new form.
      const mine = (await unwrap(api.GET("/api/v1/drafts/"))) as unknown as Array<{ app: { key: string } }>;
      if (!mine.some((draft) => draft.app.key === appKey)) return null;
      try {
        return await unwrap(api.GET("/api/v1/drafts/{app_key}/", { params: { path: { app_key: appKey } } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
}

/** PUT /api/v1/drafts/<key>/: save (create or replace) the draft. */
export function useSaveDraft(appKey: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { data: Record<string, unknown>; urgent: boolean; picks: Record<string, string[]> }) =>
      unwrap(api.PUT("/api/v1/drafts/{app_key}/", { params: { path: { app_key: appKey } }, body })),
    onSuccess: (draft) => {
      client.setQueryData(draftKey(appKey), draft);
      void client.invalidateQueries({ queryKey: DRAFTS, exact: true });
    },
  });
}

/** DELETE /api/v1/drafts/<key>/ (idempotent: 204 when there was none). */
/** Forget a draft the server deleted itself (submitting a request deletes its draft in the same transaction). */
export function useForgetDraft() {
  const client = useQueryClient();
  return (appKey: string) => {
    client.setQueryData(draftKey(appKey), null);
    void client.invalidateQueries({ queryKey: DRAFTS, exact: true });
  };
}

export function useDeleteDraft() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (appKey: string) =>
      unwrap(api.DELETE("/api/v1/drafts/{app_key}/", { params: { path: { app_key: appKey } } })),
    onMutate: async (appKey) => {
      await client.cancelQueries({ queryKey: DRAFTS, exact: true });
      const previous = client.getQueryData<RequestDraftBrief[]>(DRAFTS);
      client.setQueryData<RequestDraftBrief[]>(DRAFTS, (drafts) => drafts?.filter((draft) => draft.app.key !== appKey));
      return { previous };
    },
    onError: (_error, _appKey, context) => {
      if (context?.previous) client.setQueryData(DRAFTS, context.previous);
    },
    onSettled: (_data, _error, appKey) => {
      client.setQueryData(draftKey(appKey), null);
      void client.invalidateQueries({ queryKey: DRAFTS, exact: true });
    },
  });
}
