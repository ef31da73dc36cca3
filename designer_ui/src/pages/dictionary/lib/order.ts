// Reordering one level of options: the server takes every code of the level in the new order.

/** The codes with the item at `from` moved to `to` (indexes clamped); the same array when nothing moves. */
export function moveIndex<T>(items: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= items.length) return [...items];
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (target === from) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item as T);
  return next;
}

/** Move `code` by `delta` places (−1 up, +1 down); null when it cannot move that way. */
export function moveBy(codes: readonly string[], code: string, delta: number): string[] | null {
  const from = codes.indexOf(code);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= codes.length || delta === 0) return null;
  return moveIndex(codes, from, to);
}

/** Drop `active` where `over` is (dnd-kit's arrayMove semantics); null when either is missing or they are equal. */
export function moveOnto(codes: readonly string[], active: string, over: string): string[] | null {
  const from = codes.indexOf(active);
  const to = codes.indexOf(over);
  if (from < 0 || to < 0 || from === to) return null;
  return moveIndex(codes, from, to);
}

/**
 * The options with one level put in the new order (their `order` renumbered 0, 1, ...), for an
 * optimistic update before the server answers. Options of other levels are untouched.
 */
export function applyOrder<T extends { code: string; order?: number }>(options: readonly T[], codes: readonly string[]): T[] {
  const position = new Map(codes.map((code, index) => [code, index]));
  return options.map((option) => {
    const order = position.get(option.code);
    return order === undefined ? option : { ...option, order };
  });
}
