// App keys: the server's rule (runtime/definitions/services.py KEY_RE and RESERVED_KEYS):
// 2–64 of a-z 0-9 "-" "_", starting with a letter; "import" and "new" are reserved.
export const KEY_PATTERN = /^[a-z][a-z0-9_-]{1,63}$/;
export const RESERVED_KEYS = new Set(["import", "new"]);
export const KEY_MAX = 64;

export type KeyProblem = "empty" | "pattern" | "reserved";

/** Why a key would be refused, or null when the server's rule accepts it. */
export function keyProblem(key: string): KeyProblem | null {
  if (!key) return "empty";
  if (!KEY_PATTERN.test(key)) return "pattern";
  if (RESERVED_KEYS.has(key)) return "reserved";
  return null;
}

// Common words of office apps, so "请假申请" suggests "leave-request" without a pinyin library.
// Longer words first so "会议室" wins over "会议".
const WORDS: [string, string][] = (
  [
    ["会议室", "meeting-room"],
    ["请假", "leave"],
    ["休假", "leave"],
    ["采购", "purchase"],
    ["报销", "expense"],
    ["费用", "expense"],
    ["差旅", "travel"],
    ["出差", "travel"],
    ["合同", "contract"],
    ["用车", "car"],
    ["车辆", "car"],
    ["加班", "overtime"],
    ["付款", "payment"],
    ["借款", "loan"],
    ["用印", "seal"],
    ["印章", "seal"],
    ["招聘", "recruit"],
    ["入职", "onboarding"],
    ["离职", "offboarding"],
    ["转正", "confirmation"],
    ["调岗", "transfer"],
    ["培训", "training"],
    ["资产", "asset"],
    ["物品", "supplies"],
    ["领用", "supplies"],
    ["维修", "repair"],
    ["访客", "visitor"],
    ["发票", "invoice"],
    ["客户", "customer"],
    ["项目", "project"],
    ["会议", "meeting"],
    ["预订", "booking"],
    ["外出", "outing"],
    ["考勤", "attendance"],
    ["补卡", "attendance-fix"],
    ["公文", "document"],
    ["文件", "document"],
    ["通知", "notice"],
    ["工单", "ticket"],
    ["审批", "approval"],
    ["申请", "request"],
    ["登记", "register"],
    ["管理", "admin"],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);

/** Lower-case ASCII words of a text, joined by "-" (Chinese office words translated, others dropped). */
export function slugify(text: string): string {
  let rest = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  for (const [word, english] of WORDS) rest = rest.split(word).join(` ${english} `);
  return rest
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

function shortHash(text: string): string {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash.toString(36).slice(0, 5).padStart(4, "0");
}

/** A key the server accepts, suggested from the names (English name first, then the Chinese one). */
export function suggestKey(name: string, nameEn = ""): string {
  let slug = slugify(nameEn) || slugify(name);
  if (slug && !/^[a-z]/.test(slug)) slug = `app-${slug}`;
  if (slug.length > KEY_MAX) slug = slug.slice(0, KEY_MAX).replace(/-+$/, "");
  if (!slug || slug.length < 2 || RESERVED_KEYS.has(slug)) {
    const base = slug && slug.length >= 1 ? slug : "";
    slug = base ? `${base}-app` : name.trim() ? `app-${shortHash(name.trim())}` : "";
  }
  return slug;
}

/** A key for a copy: "<key>-copy", "-copy-2", ... avoiding the keys already taken. */
export function copyKey(key: string, taken: Iterable<string> = []): string {
  const used = new Set(taken);
  const base = key.slice(0, KEY_MAX - 7);
  let candidate = `${base}-copy`;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${base}-copy-${n}`;
  return candidate;
}
