// The server's rules for entry keys and option codes (platform_core/dictionary/services.py,
// docs/dictionary.md), checked in the browser first so the form says what to fix at once.
export const ENTRY_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const OPTION_CODE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
/** Shadowed by the options/reorder/ route. */
export const RESERVED_CODES = new Set(["reorder"]);
export const KEY_MAX = 64;

export type KeyProblem = "empty" | "pattern" | "taken";
export type CodeProblem = "empty" | "pattern" | "reserved" | "taken";

/** Why an entry key would be refused (null: accepted). `taken` lists the keys in use. */
export function entryKeyProblem(key: string, taken: Iterable<string> = []): KeyProblem | null {
  if (!key) return "empty";
  if (!ENTRY_KEY_PATTERN.test(key)) return "pattern";
  if (new Set(taken).has(key)) return "taken";
  return null;
}

/** Why an option code would be refused (null: accepted). `taken` lists the codes of the entry. */
export function optionCodeProblem(code: string, taken: Iterable<string> = []): CodeProblem | null {
  if (!code) return "empty";
  if (!OPTION_CODE_PATTERN.test(code)) return "pattern";
  if (RESERVED_CODES.has(code)) return "reserved";
  if (new Set(taken).has(code)) return "taken";
  return null;
}

/** Lower-case ASCII words joined by "_" ("Expense type" → "expense_type"); "" when nothing is left. */
function words(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** An entry key suggested from the English name (the server's rule; "" if none fits). */
export function suggestEntryKey(nameEn: string): string {
  let key = words(nameEn);
  if (key && !/^[a-z]/.test(key)) key = `d_${key}`;
  return key.slice(0, KEY_MAX).replace(/_+$/, "");
}

/** An option code suggested from the English label ("Air ticket" → "air_ticket"; "" if none fits). */
export function suggestOptionCode(labelEn: string, taken: Iterable<string> = []): string {
  const base = words(labelEn).slice(0, KEY_MAX).replace(/_+$/, "");
  if (!base || RESERVED_CODES.has(base)) return "";
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; n < 1000; n += 1) {
    const candidate = `${base.slice(0, KEY_MAX - String(n).length - 1)}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
  return "";
}
