// Field keys: ASCII identifiers, because rules address fields as form.<key> (docs/forms.md).
export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const KEY_MAX = 64;

export type KeyProblem = "empty" | "pattern" | "too_long" | "taken";

export function keyProblem(key: string, taken: Set<string>, current?: string): KeyProblem | null {
  if (!key) return "empty";
  if (key.length > KEY_MAX) return "too_long";
  if (!KEY_PATTERN.test(key)) return "pattern";
  if (key !== current && taken.has(key)) return "taken";
  return null;
}

/** snake_case ASCII from an English label: "Trip dates" → "trip_dates"; "" when nothing is left. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 48);
  if (!slug) return "";
  return /^[0-9]/.test(slug) ? `f_${slug}` : slug;
}

/** A free key: the slug of the English label if any, else "<type>_<n>"; "_2", "_3"... on clashes. */
export function suggestKey(englishLabel: string | undefined, type: string, taken: Set<string>): string {
  const base = slugify(englishLabel ?? "") || type;
  if (englishLabel && slugify(englishLabel) && !taken.has(base)) return base;
  for (let n = englishLabel && slugify(englishLabel) ? 2 : 1; ; n += 1) {
    const candidate = `${base}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
