import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { DictionarySnapshot, FormDocument } from "../../schema/form";
import type { InstanceDetail } from "../lib";

/** The detail as the server sends it; `form` and `dictionary` are the version the request started on. */
export type InstanceView = InstanceDetail & { form?: FormDocument; dictionary?: DictionarySnapshot };

export function useInstance(id: number) {
  return useQuery({
    queryKey: ["instance", id],
    queryFn: () => unwrap(api.GET("/api/v1/instances/{id}/", { params: { path: { id } } })) as Promise<InstanceView>,
    enabled: Number.isFinite(id) && id > 0,
  });
}

/** Fallback for servers that do not send the pinned form: the app's published form. */
export function usePublishedForm(key: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["apps", key, "published"],
    queryFn: () => unwrap(api.GET("/api/v1/apps/{key}/published/", { params: { path: { key: key ?? "" } } })) as Promise<{ form: FormDocument; dictionary: DictionarySnapshot }>,
    enabled: Boolean(key) && enabled,
    staleTime: 60_000,
  });
}

export type ActionName = "approve" | "reject" | "return" | "transfer" | "add_signer" | "comment";

/** One call per action; the caller supplies request_id (idempotent retries) and expected_version. */
export function useInstanceAction(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input:
      | { kind: "task"; taskId: number; body: Record<string, unknown> }
      | { kind: "instance"; path: "withdraw" | "resubmit" | "urge" | "comment" | "cc"; body: Record<string, unknown> }) => {
      if (input.kind === "task") {
        return unwrap(api.POST("/api/v1/tasks/{id}/act/", { params: { path: { id: input.taskId } }, body: input.body as never })) as Promise<InstanceView>;
      }
      const path = `/api/v1/instances/{id}/${input.path}/` as "/api/v1/instances/{id}/withdraw/";
      return unwrap(api.POST(path, { params: { path: { id } }, body: input.body as never })) as Promise<InstanceView>;
    },
    onSuccess: (view) => {
      client.setQueryData<InstanceView>(["instance", id], (old) => ({ ...view, form: view.form ?? old?.form, dictionary: view.dictionary ?? old?.dictionary }));
      void client.invalidateQueries({ queryKey: ["instance", id] });
      void client.invalidateQueries({ queryKey: ["inbox"] });
    },
  });
}
