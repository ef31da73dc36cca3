// Server state of the dictionary page (react-query). Every key starts with "dictionary", so
// one invalidation also refreshes what the form designer caches (["dictionary", "options", key]).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { DictionaryEntry, DictionaryEntryDetail, DictionaryOption, DictionaryUsage } from "../../api/types";
import { applyOrder } from "./lib/order";

export type EntryKind = "flat" | "tree";

const ALL = ["dictionary"] as const;
const entryKey = (key: string) => ["dictionary", "entry", key] as const;

export function useEntries(search: string) {
  return useQuery({
    queryKey: ["dictionary", "entries", search],
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/dictionary/entries/", {
          params: { query: { search: search || undefined, page_size: 500, ordering: "key" } },
        }),
      );
      return { entries: page.results as DictionaryEntry[], total: page.count };
    },
    placeholderData: keepPreviousData,
  });
}

export function useEntry(key: string | undefined) {
  return useQuery({
    queryKey: entryKey(key ?? ""),
    queryFn: () =>
      unwrap(api.GET("/api/v1/dictionary/entries/{key}/", { params: { path: { key: key ?? "" } } })) as Promise<DictionaryEntryDetail>,
    enabled: Boolean(key),
    retry: (count, error) => count < 2 && !(error instanceof Error && "status" in error && (error as { status: number }).status === 404),
  });
}

export function fetchUsage(key: string, code?: string): Promise<DictionaryUsage> {
  return unwrap(
    api.GET("/api/v1/dictionary/entries/{key}/usage/", { params: { path: { key }, query: code ? { code } : {} } }),
  ) as Promise<DictionaryUsage>;
}

export function useUsage(key: string | undefined) {
  return useQuery({
    queryKey: ["dictionary", "usage", key ?? ""],
    queryFn: () => fetchUsage(key ?? ""),
    enabled: Boolean(key),
  });
}

export interface EntryInput {
  key?: string;
  name?: string;
  name_en?: string;
  description?: string;
  kind?: EntryKind;
  enabled?: boolean;
}

export interface OptionInput {
  code?: string;
  label?: string;
  label_en?: string;
  enabled?: boolean;
  parent?: string | null;
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ALL });
}

export function useCreateEntry() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: EntryInput & { key: string; name: string }) =>
      unwrap(api.POST("/api/v1/dictionary/entries/", { body: input })) as Promise<DictionaryEntryDetail>,
    onSettled: invalidate,
  });
}

export function useUpdateEntry(key: string) {
  const client = useQueryClient();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: EntryInput) =>
      unwrap(api.PATCH("/api/v1/dictionary/entries/{key}/", { params: { path: { key } }, body: input })) as Promise<DictionaryEntryDetail>,
    onSuccess: (entry) => client.setQueryData(entryKey(key), entry),
    onSettled: invalidate,
  });
}

export function useDeleteEntry() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => unwrap(api.DELETE("/api/v1/dictionary/entries/{key}/", { params: { path: { key } } })),
    onSuccess: (_data, key) => client.removeQueries({ queryKey: entryKey(key) }),
    onSettled: () => client.invalidateQueries({ queryKey: ["dictionary", "entries"] }),
  });
}

export function useCreateOption(key: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: OptionInput & { code: string; label: string }) =>
      unwrap(
        api.POST("/api/v1/dictionary/entries/{entry_key}/options/", { params: { path: { entry_key: key } }, body: input }),
      ) as Promise<DictionaryOption>,
    onSettled: invalidate,
  });
}

export function useUpdateOption(key: string) {
  const client = useQueryClient();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ code, ...input }: OptionInput & { code: string }) =>
      unwrap(
        api.PATCH("/api/v1/dictionary/entries/{entry_key}/options/{code}/", {
          params: { path: { entry_key: key, code } },
          body: input,
        }),
      ) as Promise<DictionaryOption>,
    onSuccess: (option) =>
      client.setQueryData<DictionaryEntryDetail>(entryKey(key), (entry) =>
        entry ? { ...entry, options: entry.options.map((item) => (item.code === option.code ? option : item)) } : entry,
      ),
    onSettled: invalidate,
  });
}

export function useDeleteOption(key: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (code: string) =>
      unwrap(api.DELETE("/api/v1/dictionary/entries/{entry_key}/options/{code}/", { params: { path: { entry_key: key, code } } })),
    onSettled: invalidate,
  });
}

/** Reorder one level; the table shows the new order at once and rolls back if the server refuses. */
export function useReorderOptions(key: string) {
  const client = useQueryClient();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (codes: string[]) =>
      unwrap(
        api.POST("/api/v1/dictionary/entries/{entry_key}/options/reorder/", {
          params: { path: { entry_key: key } },
          body: { codes },
        }),
      ) as Promise<DictionaryOption[]>,
    onMutate: async (codes) => {
      await client.cancelQueries({ queryKey: entryKey(key) });
      const before = client.getQueryData<DictionaryEntryDetail>(entryKey(key));
      if (before) client.setQueryData(entryKey(key), { ...before, options: applyOrder(before.options, codes) });
      return { before };
    },
    onError: (_error, _codes, context) => {
      if (context?.before) client.setQueryData(entryKey(key), context.before);
    },
    onSettled: invalidate,
  });
}
