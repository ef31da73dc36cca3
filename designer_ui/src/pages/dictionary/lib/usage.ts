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
