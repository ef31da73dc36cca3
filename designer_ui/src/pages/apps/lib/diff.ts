// Turning the server's diff (runtime/definitions/diff.py) into rows a person can read.
export type Label = Record<string, unknown> | string | null | undefined;

export interface FromTo {
  from: unknown;
  to: unknown;
}

export interface ChangeListLike {
  added: Record<string, unknown>[];
  removed: Record<string, unknown>[];
  changed: Record<string, unknown>[];
}

export interface DiffLike {
  fields: ChangeListLike;
  nodes: ChangeListLike;
  edges: ChangeListLike;
  form_layout_changed: boolean;
  flow_layout_changed: boolean;
}

export type Section = "fields" | "nodes" | "edges";
export type ChangeKind = "added" | "removed" | "changed";

/** One changed property: a dotted path like "required", "rules.x-visible-if", "config.assignees". */
export interface PropertyChange {
  path: string[];
  from: unknown;
  to: unknown;
}

export interface DiffRow {
  section: Section;
  kind: ChangeKind;
  id: string;
  /** The item's label/name ({zh, en}) when it has one. */
  label: Label;
  type: string | null;
  source?: string;
  target?: string;
  changes: PropertyChange[];
}

function isFromTo(value: unknown): value is FromTo {
  return !!value && typeof value === "object" && "from" in value && "to" in value && Object.keys(value).length === 2;
}

/** Flatten {a: {from, to}, rules: {x: {from, to}}} into a list of path + from/to. */
export function flattenChanges(changes: unknown, prefix: string[] = []): PropertyChange[] {
  if (!changes || typeof changes !== "object") return [];
  return Object.entries(changes as Record<string, unknown>).flatMap(([key, value]) => {
    const path = [...prefix, key];
    if (isFromTo(value)) return [{ path, from: value.from, to: value.to }];
    return flattenChanges(value, path);
  });
}

function text(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}

export function diffRows(diff: DiffLike): DiffRow[] {
  const rows: DiffRow[] = [];
  const sections: Section[] = ["fields", "nodes", "edges"];
  for (const section of sections) {
    const list = diff[section];
    for (const kind of ["added", "removed", "changed"] as ChangeKind[]) {
      for (const item of list[kind] ?? []) {
        rows.push({
          section,
          kind,
          id: String(item.key ?? item.id ?? ""),
          label: (section === "fields" ? item.label : item.name) as Label,
          type: text(item.type),
          source: section === "edges" ? String(item.source ?? "") : undefined,
          target: section === "edges" ? String(item.target ?? "") : undefined,
          changes: kind === "changed" ? flattenChanges(item.changes) : [],
        });
      }
    }
  }
  return rows;
}

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  total: number;
}

export function diffCounts(diff: DiffLike): Record<Section, DiffCounts> & { layout: boolean; empty: boolean } {
  const count = (list: ChangeListLike): DiffCounts => {
    const added = list.added?.length ?? 0;
    const removed = list.removed?.length ?? 0;
    const changed = list.changed?.length ?? 0;
    return { added, removed, changed, total: added + removed + changed };
  };
  const fields = count(diff.fields);
  const nodes = count(diff.nodes);
  const edges = count(diff.edges);
  const layout = diff.form_layout_changed || diff.flow_layout_changed;
  return { fields, nodes, edges, layout, empty: !layout && fields.total + nodes.total + edges.total === 0 };
}

/** Names of nodes that appear in the diff, for showing edges as "A → B" rather than ids. */
export function nodeNames(diff: DiffLike): Map<string, Label> {
  const names = new Map<string, Label>();
  for (const kind of ["added", "removed", "changed"] as ChangeKind[]) {
    for (const node of diff.nodes[kind] ?? []) {
      if (typeof node.id === "string" && node.name) names.set(node.id, node.name as Label);
    }
  }
  return names;
}

const MAX_VALUE = 120;

/** A short readable value: "—" for empty, labels by language, JSON for the rest (cut at 120 characters). */
export function formatValue(
  value: unknown,
  options: { language?: string; yes?: string; no?: string; none?: string } = {},
): string {
  const { language = "zh-Hans", yes = "是", no = "否", none = "—" } = options;
  if (value === null || value === undefined || value === "") return none;
  if (typeof value === "boolean") return value ? yes : no;
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 0) return none;
    if (keys.every((key) => key === "zh" || key === "en")) {
      const primary = language === "en" ? record.en : record.zh;
      const secondary = language === "en" ? record.zh : record.en;
      return String(primary || secondary || none);
    }
  }
  const json = JSON.stringify(value);
  return json.length > MAX_VALUE ? json.slice(0, MAX_VALUE - 1) + "…" : json;
}
