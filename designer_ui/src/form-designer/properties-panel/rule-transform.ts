// The condition builder (react-querybuilder) writes "X in [codes]" for every choice field.
// For a multi-valued field (多选, 复选框组) that would ask whether the whole array is one of
// the codes — always false — so such rules are stored as "some chosen code is in [codes]",
// and turned back into the builder's form when the builder opens them again.
type Rule = unknown;

function isVarOf(node: unknown, fields: ReadonlySet<string>): string | null {
  if (!node || typeof node !== "object" || Array.isArray(node)) return null;
  const ref = (node as Record<string, unknown>).var;
  const path = Array.isArray(ref) ? ref[0] : ref;
  return typeof path === "string" && fields.has(path) ? path : null;
}

/** Builder output → the rule the engine evaluates. */
export function toEngineRule(rule: Rule, multiFields: ReadonlySet<string>): Rule {
  if (Array.isArray(rule)) return rule.map((item) => toEngineRule(item, multiFields));
  if (!rule || typeof rule !== "object") return rule;
  const [op, args] = Object.entries(rule as Record<string, unknown>)[0] ?? [];
  if (op === "in" && Array.isArray(args) && args.length === 2 && Array.isArray(args[1])) {
    const path = isVarOf(args[0], multiFields);
    if (path) return { some: [{ var: path }, { in: [{ var: "" }, args[1]] }] };
  }
  return Object.fromEntries(Object.entries(rule as Record<string, unknown>).map(([key, value]) => [key, toEngineRule(value, multiFields)]));
}

/** A stored rule → what the builder can show (the inverse of toEngineRule). */
export function toBuilderRule(rule: Rule, multiFields: ReadonlySet<string>): Rule {
  if (Array.isArray(rule)) return rule.map((item) => toBuilderRule(item, multiFields));
  if (!rule || typeof rule !== "object") return rule;
  const [op, args] = Object.entries(rule as Record<string, unknown>)[0] ?? [];
  if (op === "some" && Array.isArray(args) && args.length === 2) {
    const path = isVarOf(args[0], multiFields);
    const test = args[1] as Record<string, unknown> | null;
    const inner = test && typeof test === "object" ? (test.in as unknown[] | undefined) : undefined;
    if (path && Array.isArray(inner) && inner.length === 2 && Array.isArray(inner[1])) {
      const item = inner[0] as Record<string, unknown> | null;
      if (item && typeof item === "object" && item.var === "") return { in: [{ var: path }, inner[1]] };
    }
  }
  return Object.fromEntries(Object.entries(rule as Record<string, unknown>).map(([key, value]) => [key, toBuilderRule(value, multiFields)]));
}
