import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { AppPublic } from "../../api/types";
import type { DictionarySnapshot, FieldRight, FormDocument, Label } from "../../schema/form";

/** A node whose approvers the initiator chooses (runtime/definitions/selectors.py initiator_picks). */
export interface Pick {
  node_id: string;
  name: Label;
  multiple: boolean;
  role: string | null;
}

export interface PublishedForm {
  app: AppPublic;
  version: number;
  form: FormDocument;
  dictionary: DictionarySnapshot;
  field_rights: Record<string, FieldRight>;
  picks: Pick[];
}

/** GET /api/v1/apps/{key}/published/: what filling in an app needs. */
export function usePublishedForm(key: string) {
  return useQuery({
    queryKey: ["apps", key, "published"],
    queryFn: async () => {
      const data = await unwrap(api.GET("/api/v1/apps/{key}/published/", { params: { path: { key } } }));
      return data as unknown as PublishedForm;
    },
    retry: (count, error) => count < 2 && !(error instanceof Error && "status" in error && [403, 404].includes((error as { status: number }).status)),
    staleTime: 30_000,
  });
}
