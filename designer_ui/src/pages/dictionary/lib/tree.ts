// Options arrive flat, in display order (tree entries depth first), each naming its parent
// by code. These helpers turn them into rows for one table: a tree with depth, the visible
// rows under the expanded nodes, sibling groups (a reorder is one level) and the parents an
// option may move under (never itself or one of its descendants).
export interface OptionLike {
  code: string;
  parent?: string | null;
  order?: number;
}

export interface OptionNode<T extends OptionLike> {
  option: T;
  depth: number;
  children: OptionNode<T>[];
}

export interface OptionRow<T extends OptionLike> {
  option: T;
  depth: number;
  childCount: number;
  /** Position among its siblings and how many siblings there are (for move up/down). */
  index: number;
  siblings: number;
}

function byOrder<T extends OptionLike>(nodes: OptionNode<T>[]): void {
  // Stable: equal orders keep the server's order.
  nodes.sort((a, b) => (a.option.order ?? 0) - (b.option.order ?? 0));
  for (const node of nodes) byOrder(node.children);
}

function setDepth<T extends OptionLike>(nodes: OptionNode<T>[], depth: number): void {
  for (const node of nodes) {
    node.depth = depth;
    setDepth(node.children, depth + 1);
  }
}

/** The options as a forest; an option whose parent is missing (or in a cycle) becomes a root. */
export function buildTree<T extends OptionLike>(options: readonly T[]): OptionNode<T>[] {
  const nodes = new Map<string, OptionNode<T>>();
  for (const option of options) nodes.set(option.code, { option, depth: 0, children: [] });
  const roots: OptionNode<T>[] = [];
  for (const option of options) {
    const node = nodes.get(option.code);
    if (!node) continue;
    const parent = option.parent ? nodes.get(option.parent) : undefined;
    if (parent && parent !== node && !isAncestor(nodes, option.code, option.parent ?? "")) parent.children.push(node);
    else roots.push(node);
  }
  byOrder(roots);
  setDepth(roots, 0);
  return roots;
}

/** Whether `code` is an ancestor of (or equal to) `start`, following parent links. */
function isAncestor<T extends OptionLike>(nodes: Map<string, OptionNode<T>>, code: string, start: string): boolean {
  const seen = new Set<string>();
  let current: string | null | undefined = start;
  while (current && !seen.has(current)) {
    if (current === code) return true;
    seen.add(current);
    current = nodes.get(current)?.option.parent;
  }
  return false;
}

/** Depth-first rows; children of a node are included only when `expanded(code)` says so. */
export function visibleRows<T extends OptionLike>(
  roots: readonly OptionNode<T>[],
  expanded: (code: string) => boolean = () => true,
): OptionRow<T>[] {
  const rows: OptionRow<T>[] = [];
  const walk = (nodes: readonly OptionNode<T>[]) => {
    nodes.forEach((node, index) => {
      rows.push({ option: node.option, depth: node.depth, childCount: node.children.length, index, siblings: nodes.length });
      if (node.children.length > 0 && expanded(node.option.code)) walk(node.children);
    });
  };
  walk(roots);
  return rows;
}

/** The codes of one level in display order: the top level (parent null) or the children of `parent`. */
export function siblingCodes<T extends OptionLike>(options: readonly T[], parent: string | null): string[] {
  const find = (nodes: readonly OptionNode<T>[]): OptionNode<T>[] | null => {
    for (const node of nodes) {
      if (node.option.code === parent) return node.children;
      const found = find(node.children);
      if (found) return found;
    }
    return null;
  };
  const roots = buildTree(options);
  const level = parent === null ? roots : (find(roots) ?? []);
  return level.map((node) => node.option.code);
}

/** The parent of an option as the tree sees it (null at the top level or when the parent is missing). */
export function parentOf<T extends OptionLike>(options: readonly T[], code: string): string | null {
  const codes = new Set(options.map((option) => option.code));
  const parent = options.find((option) => option.code === code)?.parent ?? null;
  return parent && codes.has(parent) && parent !== code ? parent : null;
}

/** `code` and every option below it. */
export function descendantsOf<T extends OptionLike>(options: readonly T[], code: string): Set<string> {
  const result = new Set<string>([code]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const option of options) {
      if (option.parent && result.has(option.parent) && !result.has(option.code)) {
        result.add(option.code);
        grew = true;
      }
    }
  }
  return result;
}

/** The options `code` may be placed under (all of them for a new option: code null). */
export function parentChoices<T extends OptionLike>(options: readonly T[], code: string | null): OptionRow<T>[] {
  const excluded = code === null ? new Set<string>() : descendantsOf(options, code);
  return visibleRows(buildTree(options)).filter((row) => !excluded.has(row.option.code));
}
