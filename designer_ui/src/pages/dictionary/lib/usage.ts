// The usage endpoint answers {"total", "sources": {source: count}}; these turn it into lines to show.
export interface UsageLine {
  source: string;
  count: number;
}

/** Sources with a use, largest first (ties by name), so the panel lists what matters. */
export function usageLines(sources: Record<string, number> | undefined | null): UsageLine[] {
  return Object.entries(sources ?? {})
    .filter(([, count]) => count > 0)
    .map(([source, count]) => ({ source, count }))
    .sort((a, b) => b.count - a.count || a.source.localeCompare(b.source));
}

/** Sources the UI has words for; others are shown by their name. */
export const KNOWN_SOURCES = ["definitions", "records"] as const;

export function isKnownSource(source: string): source is (typeof KNOWN_SOURCES)[number] {
  return (KNOWN_SOURCES as readonly string[]).includes(source);
}

/** One use as the server lists it (for dictionary managers and app designers). */
export interface UsageRow {
  source?: string;
  app?: string;
  app_name?: string;
  version?: number | null;
  fields?: string[];
}

export interface AppUsage {
  app: string;
  appName: string;
  draft: boolean;
  versions: number[];
  fields: string[];
}

/** The uses grouped by app: whether its draft uses it, which versions, through which fields. */
export function usesByApp(rows: readonly UsageRow[] | undefined | null): AppUsage[] {
  const apps = new Map<string, AppUsage>();
  for (const row of rows ?? []) {
    if (!row.app) continue;
    const entry = apps.get(row.app) ?? { app: row.app, appName: row.app_name || row.app, draft: false, versions: [], fields: [] };
    if (row.version === null || row.version === undefined) entry.draft = true;
    else if (!entry.versions.includes(row.version)) entry.versions.push(row.version);
    for (const field of row.fields ?? []) if (!entry.fields.includes(field)) entry.fields.push(field);
    apps.set(row.app, entry);
  }
  for (const entry of apps.values()) entry.versions.sort((a, b) => b - a);
  return [...apps.values()].sort((a, b) => a.appName.localeCompare(b.appName, "zh-Hans-CN"));
}
