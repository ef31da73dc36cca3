// Pure logic of the app portal (工作台): search, category groups, favourites and recent apps.

/** What the portal needs of an app (AppPublic and the drafts' app both fit). */
export interface PortalApp {
  key: string;
  name: string;
  name_en?: string | null;
  category?: string | null;
  icon?: string | null;
}

export interface CategoryGroup<T extends PortalApp> {
  /** The category as stored; null for apps without one (shown last, under 其他 / Other). */
  category: string | null;
  apps: T[];
}

/** The app's name in the UI language (the Chinese name when there is no English one). */
export function appName(app: PortalApp, language: string): string {
  return language === "en" && app.name_en ? app.name_en : app.name;
}

function normalise(text: string | null | undefined): string {
  return (text ?? "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * True when every word of the query appears in the app's Chinese or English name, its
 * category or its key (case- and width-insensitive: "ｌｅａｖｅ" finds "Leave").
 */
export function matchesSearch(app: PortalApp, query: string): boolean {
  const words = normalise(query).split(" ").filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [app.name, app.name_en, app.category, app.key].map(normalise).join("\n");
  return words.every((word) => haystack.includes(word));
}

/** The apps matching the query, in their order. */
export function searchApps<T extends PortalApp>(apps: readonly T[], query: string): T[] {
  return apps.filter((app) => matchesSearch(app, query));
}

/**
 * Apps grouped by category: categories in alphabetical (pinyin for Chinese) order, apps
 * in their given order inside a group, uncategorised apps last.
 */
export function groupByCategory<T extends PortalApp>(apps: readonly T[], language = "zh-Hans"): CategoryGroup<T>[] {
  const groups = new Map<string, T[]>();
  const other: T[] = [];
  for (const app of apps) {
    const category = (app.category ?? "").trim();
    if (!category) {
      other.push(app);
      continue;
    }
    const list = groups.get(category);
    if (list) list.push(app);
    else groups.set(category, [app]);
  }
  const collator = new Intl.Collator(language === "en" ? "en" : "zh-Hans-CN");
  const result: CategoryGroup<T>[] = [...groups.keys()]
    .sort((a, b) => collator.compare(a, b))
    .map((category) => ({ category, apps: groups.get(category) ?? [] }));
  if (other.length) result.push({ category: null, apps: other });
  return result;
}

/** The favourite apps in the order they were starred, skipping keys of apps that are not startable. */
export function favoriteApps<T extends PortalApp>(keys: readonly string[], apps: readonly T[]): T[] {
  const byKey = new Map(apps.map((app) => [app.key, app]));
  return keys.flatMap((key) => {
    const app = byKey.get(key);
    return app ? [app] : [];
  });
}

/** The favourite keys after starring (appended) or unstarring an app: the optimistic update. */
export function toggleFavorite(keys: readonly string[], key: string, on: boolean): string[] {
  const without = keys.filter((candidate) => candidate !== key);
  return on ? [...without, key] : without;
}

/** A request as far as "recently used" cares (GET /api/v1/instances/ rows). */
export interface RecentRequest {
  app: { key: string };
  created_at: string;
}

/**
 * Distinct apps of the user's recent requests and drafts, most recent first, limited to
 * startable apps and at most ``limit``.
 */
export function recentApps<T extends PortalApp>(
  requests: readonly RecentRequest[],
  drafts: readonly { app: { key: string }; updated_at: string }[],
  apps: readonly T[],
  limit = 8,
): T[] {
  const byKey = new Map(apps.map((app) => [app.key, app]));
  const uses = [
    ...requests.map((request) => ({ key: request.app.key, at: Date.parse(request.created_at) || 0 })),
    ...drafts.map((draft) => ({ key: draft.app.key, at: Date.parse(draft.updated_at) || 0 })),
  ].sort((a, b) => b.at - a.at);
  const seen = new Set<string>();
  const result: T[] = [];
  for (const use of uses) {
    const app = byKey.get(use.key);
    if (!app || seen.has(use.key)) continue;
    seen.add(use.key);
    result.push(app);
    if (result.length >= limit) break;
  }
  return result;
}
