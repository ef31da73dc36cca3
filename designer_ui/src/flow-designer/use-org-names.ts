// Names for the ids a flow stores: roles and positions (by code), users (by id) and form
// fields (by key), in the current language. Unknown ids show as themselves.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../api/client";
import type { DesignerModel } from "../form-designer/model";
import { localized } from "../i18n";
import { useRoles, useUsersById } from "../pages/apps/use-apps";
import type { FlowDocument } from "../schema/flow";
import type { Names } from "./lib/summary";

export function usePositions() {
  return useQuery({
    queryKey: ["org", "positions"],
    staleTime: 5 * 60_000,
    queryFn: async () => (await unwrap(api.GET("/api/v1/positions/", { params: { query: { page_size: 200 } as never } }))).results,
  });
}

/** Every user id the flow names (user rules, dynamic candidates, fallback admins). */
export function userIdsOf(doc: FlowDocument): number[] {
  const ids = new Set<number>();
  for (const node of doc.nodes) {
    const config = node.config as { assignees?: unknown[]; recipients?: unknown[]; admin?: string };
    for (const rule of [...(config.assignees ?? []), ...(config.recipients ?? [])] as Array<{ users?: string[]; candidates?: string[] }>) {
      for (const id of [...(rule.users ?? []), ...(rule.candidates ?? [])]) if (/^\d+$/.test(id)) ids.add(Number(id));
    }
    if (config.admin && /^\d+$/.test(config.admin)) ids.add(Number(config.admin));
  }
  return [...ids].sort((a, b) => a - b);
}

export function useOrgNames(doc: FlowDocument, form: DesignerModel): Names {
  const { i18n } = useTranslation();
  const english = i18n.language === "en";
  const roles = useRoles();
  const positions = usePositions();
  const ids = useMemo(() => userIdsOf(doc), [doc]);
  const users = useUsersById(ids);
  const userNames = users.map((result) => result.data?.name ?? "").join("|");
  return useMemo<Names>(() => {
    const roleMap = new Map((roles.data ?? []).map((role) => [role.code, english && role.name_en ? role.name_en : role.name]));
    const positionMap = new Map((positions.data ?? []).map((position) => [position.code, english && position.name_en ? position.name_en : position.name]));
    const names = userNames.split("|");
    const userMap = new Map(ids.map((id, index) => [String(id), names[index] || `#${id}`]));
    return {
      role: (code) => roleMap.get(code) ?? code,
      position: (code) => positionMap.get(code) ?? code,
      user: (id) => userMap.get(id) ?? id,
      field: (key) => localized(form.fields[key]?.["x-label"]) || key,
    };
  }, [roles.data, positions.data, userNames, ids, english, form]);
}
