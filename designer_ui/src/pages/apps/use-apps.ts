// Server state of the app-management pages (react-query; every change invalidates ["apps"]).
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, downloadResponse, rawFetch, unwrap } from "../../api/client";
import type { AppInfo, Diff, Version, VersionBrief } from "../../api/types";
import type { components } from "../../api/schema";

export type AppUpdate = components["schemas"]["PatchedAppUpdateRequest"];
export type AppCreate = components["schemas"]["AppCreateRequest"];
export type ImportResult = components["schemas"]["ImportResult"];
export type DepartmentNode = components["schemas"]["DepartmentTree"];
export type Role = components["schemas"]["Role"];
export type UserInfo = components["schemas"]["User"];

export interface AppListFilters {
  search: string;
  category: string;
  archived: boolean;
  page: number;
  pageSize: number;
}

export function useAppList(filters: AppListFilters, enabled = true) {
  return useQuery({
    queryKey: ["apps", "list", filters],
    enabled,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/apps/", {
          params: {
            query: {
              search: filters.search || undefined,
              category: filters.category || undefined,
              // Archived apps are hidden unless "show archived" is on (then both, tagged).
              archived: filters.archived ? undefined : false,
              page: filters.page,
              page_size: filters.pageSize,
              ordering: "-updated_at",
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Every app (live and archived), for the category filter and free-key checks. */
export function useAllApps(enabled = true) {
  return useQuery({
    queryKey: ["apps", "all"],
    enabled,
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/v1/apps/", { params: { query: { page_size: 200 } } }));
      return page.results;
    },
  });
}

export function useApp(key: string) {
  return useQuery({
    queryKey: ["apps", "detail", key],
    queryFn: () => unwrap(api.GET("/api/v1/apps/{key}/", { params: { path: { key } } })) as Promise<AppInfo>,
  });
}

export function useVersions(key: string, enabled = true) {
  return useQuery({
    queryKey: ["apps", "versions", key],
    enabled,
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/apps/{key}/versions/", { params: { path: { key }, query: { page_size: 200 } } }),
      );
      return page.results as VersionBrief[];
    },
  });
}

export function useVersion(key: string, number: number | null) {
  return useQuery({
    queryKey: ["apps", "version", key, number],
    enabled: number !== null,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/apps/{key}/versions/{number}/", { params: { path: { key, number: number ?? 0 } } }),
      ) as Promise<Version>,
  });
}

export function useDiff(key: string, a: string | null, b: string | null) {
  return useQuery({
    queryKey: ["apps", "diff", key, a, b],
    enabled: a !== null && b !== null,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/apps/{key}/versions/diff/", {
          params: { path: { key }, query: { a: a ?? undefined, b: b ?? undefined } },
        }),
      ) as Promise<Diff>,
  });
}

export function useFieldTypeLabels() {
  return useQuery({
    queryKey: ["field-types"],
    staleTime: Infinity,
    queryFn: async () => {
      const types = await unwrap(api.GET("/api/v1/field-types/"));
      const labels = new Map<string, Record<string, string>>();
      for (const item of types as { type: string; label: Record<string, string> }[]) labels.set(item.type, item.label);
      return labels;
    },
  });
}

function useInvalidateApps() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ["apps"] });
}

export function useCreateApp() {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: (body: AppCreate) => unwrap(api.POST("/api/v1/apps/", { body })) as Promise<AppInfo>,
    onSuccess: invalidate,
  });
}

export function useUpdateApp(key: string) {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: (body: AppUpdate) =>
      unwrap(api.PATCH("/api/v1/apps/{key}/", { params: { path: { key } }, body })) as Promise<AppInfo>,
    onSuccess: invalidate,
  });
}

export function useCopyApp() {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: ({ key, ...body }: { key: string; newKey: string; name: string; name_en: string }) =>
      unwrap(
        api.POST("/api/v1/apps/{key}/copy/", {
          params: { path: { key } },
          body: { key: body.newKey, name: body.name, name_en: body.name_en },
        }),
      ) as Promise<AppInfo>,
    onSuccess: invalidate,
  });
}

export function useArchiveApp() {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: ({ key, archive }: { key: string; archive: boolean }) =>
      archive
        ? (unwrap(api.POST("/api/v1/apps/{key}/archive/", { params: { path: { key } } })) as Promise<AppInfo>)
        : (unwrap(api.POST("/api/v1/apps/{key}/unarchive/", { params: { path: { key } } })) as Promise<AppInfo>),
    onSuccess: invalidate,
  });
}

export function useImportApp() {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: async (file: File) => {
      const body = new FormData();
      body.append("file", file);
      const response = await rawFetch("/api/v1/apps/import/", { method: "POST", body });
      return (await response.json()) as ImportResult;
    },
    onSuccess: invalidate,
  });
}

export type ExportWhich = "draft" | "published";

export async function exportApp(key: string, which: ExportWhich): Promise<void> {
  const response = await rawFetch(`/api/v1/apps/${encodeURIComponent(key)}/export/?version=${which}`);
  await downloadResponse(response, `${key}-${which}.qiaoban.json`);
}

export function useVerify(key: string) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/apps/{key}/verify/", { params: { path: { key } } })),
  });
}

export function usePublish(key: string) {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: (note: string) =>
      unwrap(api.POST("/api/v1/apps/{key}/publish/", { params: { path: { key } }, body: { note } })) as Promise<Version>,
    onSuccess: invalidate,
  });
}

export function useRollback(key: string) {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: ({ number, note }: { number: number; note: string }) =>
      unwrap(
        api.POST("/api/v1/apps/{key}/versions/{number}/rollback/", {
          params: { path: { key, number } },
          body: { note },
        }),
      ) as Promise<Version>,
    onSuccess: invalidate,
  });
}

// -- the organisation, for "who may use the app" ------------------------------------------

export function useDepartmentTree() {
  return useQuery({
    queryKey: ["org", "department-tree"],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const data = (await unwrap(api.GET("/api/v1/departments/tree/"))) as unknown;
      // The tree answers a plain list of roots (the schema says paginated): accept both.
      if (Array.isArray(data)) return data as DepartmentNode[];
      return ((data as { results?: DepartmentNode[] }).results ?? []) as DepartmentNode[];
    },
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ["org", "roles"],
    staleTime: 5 * 60_000,
    queryFn: async () => (await unwrap(api.GET("/api/v1/roles/", { params: { query: { page_size: 200 } } }))).results,
  });
}

export function useUserSearch(search: string) {
  return useQuery({
    queryKey: ["org", "users", search],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      (await unwrap(api.GET("/api/v1/users/", { params: { query: { search: search || undefined, page_size: 20, is_active: true } } })))
        .results,
  });
}

/** The users already chosen (ids), so the select shows their names before any search. */
export function useUsersById(ids: number[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ["org", "user", id],
      staleTime: 5 * 60_000,
      queryFn: () => unwrap(api.GET("/api/v1/users/{id}/", { params: { path: { id } } })) as Promise<UserInfo>,
    })),
  });
}
