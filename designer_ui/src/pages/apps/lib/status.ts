// Status tags of an app, from the fields the server gives (App serializer).
export type StatusKind = "archived" | "published" | "unpublished-changes" | "never-published";

export interface StatusTag {
  kind: StatusKind;
  /** Published version number, for "published". */
  version?: number;
}

export interface AppStatusInput {
  is_archived?: boolean;
  published_version: { number: number } | null;
  has_unpublished_changes: boolean;
}

/** Tags in display order: archived first, then published vN, then unpublished edits / never published. */
export function statusTags(app: AppStatusInput): StatusTag[] {
  const tags: StatusTag[] = [];
  if (app.is_archived) tags.push({ kind: "archived" });
  if (app.published_version) {
    tags.push({ kind: "published", version: app.published_version.number });
    if (app.has_unpublished_changes) tags.push({ kind: "unpublished-changes" });
  } else {
    tags.push({ kind: "never-published" });
  }
  return tags;
}

/** Distinct non-empty categories, sorted for the current language. */
export function categoriesOf(apps: { category?: string }[], locale = "zh-Hans"): string[] {
  const set = new Set<string>();
  for (const app of apps) {
    const category = app.category?.trim();
    if (category) set.add(category);
  }
  return [...set].sort((a, b) => a.localeCompare(b, locale === "en" ? "en" : "zh-Hans-CN"));
}
