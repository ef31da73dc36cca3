import { useQueries } from "@tanstack/react-query";

import { api, unwrap } from "../api/client";
import type { DictionaryOption } from "../api/types";
import type { DictionarySnapshot } from "../schema/form";
import type { DesignerModel } from "./model";
import { columnsOf } from "./model";

/** The current options of every dictionary entry the form uses, in the pinned-snapshot shape. */
export function useDictionarySnapshot(model: DesignerModel): DictionarySnapshot {
  const all = Object.values(model.fields).flatMap((field) => [field, ...Object.values(columnsOf(field))]);
  const keys = [...new Set(all.map((field) => field["x-dictionary"]).filter((key): key is string => Boolean(key)))];
  const results = useQueries({
    queries: keys.map((key) => ({
      queryKey: ["dictionary", "options", key],
      queryFn: async () => {
        const data = await unwrap(
          api.GET("/api/v1/dictionary/entries/{entry_key}/options/", { params: { path: { entry_key: key }, query: { page_size: 200 } as never } }),
        );
        return (Array.isArray(data) ? data : ((data as { results?: DictionaryOption[] }).results ?? [])) as DictionaryOption[];
      },
      staleTime: 60_000,
    })),
  });
  const snapshot: DictionarySnapshot = {};
  keys.forEach((key, index) => {
    snapshot[key] = {
      options: (results[index]?.data ?? []).map((option) => ({
        code: option.code,
        label: { zh: option.label, en: option.label_en || option.label },
        enabled: option.enabled !== false,
        parent: option.parent ?? null,
      })),
    };
  });
  return snapshot;
}

