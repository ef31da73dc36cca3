// The builder's JsonLogic ⇄ the JsonLogic the engine evaluates.
//
// react-querybuilder writes "X in [codes]" for every choice field. For a multi-valued field
// (多选, 复选框组, several users) that would ask whether the whole array is one of the codes
// (always false), so such rules are stored as "some chosen code is in [codes]".
//
// "Is empty" is written by the builder as `X == null`, which is false for "" and, on a flow
// edge, fails with rule_missing_data exactly when the field is empty (docs/rules.md: the
// engine never routes on missing data unless the rule says so). It is stored as
// `{"missing": ["form.x"]}` (null, "" or absent; reads inside `missing` are checked by the
// rule itself), and for a multi-valued field as `{"!": {"var": ["form.x", null]}}` (an empty
// list is "present" for `missing`; a var default is not a required read).
//
// Each rewrite has an exact inverse in toBuilderRule, so a stored rule opens in the builder.
type Rule = unknown;

export function isObject(node: unknown): node is Record<string, unknown> {
  return !!node && typeof node === "object" && !Array.isArray(node);
}

/** The single operator of a JsonLogic node and its argument list (`{"!": x}` → ["!", [x]]). */
export function operation(node: unknown): [string, unknown[]] | null {
  if (!isObject(node)) return null;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] === undefined) return null;
  const raw = node[keys[0]];
  return [keys[0], Array.isArray(raw) ? raw : [raw]];
}

/** The path of `{"var": "p"}` / `{"var": ["p"]}` (no default), else null. */
function plainVar(node: unknown): string | null {
  const found = operation(node);
  if (!found || found[0] !== "var" || found[1].length !== 1) return null;
  return typeof found[1][0] === "string" ? found[1][0] : null;
}

/** The path of `{"var": ["p", null]}`, else null. */
function varWithNullDefault(node: unknown): string | null {
  const found = operation(node);
  if (!found || found[0] !== "var" || found[1].length !== 2 || found[1][1] !== null) return null;
  return typeof found[1][0] === "string" ? found[1][0] : null;
}

/** The path of `{"missing": ["p"]}` / `{"missing": "p"}` (one name), else null. */
function missingOne(node: unknown): string | null {
  const found = operation(node);
  if (!found || found[0] !== "missing") return null;
  const names = found[1].length === 1 && Array.isArray(found[1][0]) ? (found[1][0] as unknown[]) : found[1];
  return names.length === 1 && typeof names[0] === "string" ? names[0] : null;
}

function isEmptyRule(path: string, multi: ReadonlySet<string>): Rule {
  return multi.has(path) ? { "!": { var: [path, null] } } : { missing: [path] };
}

function isFilledRule(path: string, multi: ReadonlySet<string>): Rule {
  return multi.has(path) ? { "!!": { var: [path, null] } } : { "!": { missing: [path] } };
}

/** Builder output → the rule the engine evaluates. */
export function toEngineRule(rule: Rule, multi: ReadonlySet<string>): Rule {
  return rewrite(rule, multi, true);
}

/** Only the "is empty" rewrite: how a rule the earlier builder stored (`X == null`) is read
 * now; a multi-valued `in` keeps its (always false) meaning. */
export function upgradeEmptyChecks(rule: Rule, multi: ReadonlySet<string>): Rule {
  return rewrite(rule, multi, false);
}

function rewrite(rule: Rule, multi: ReadonlySet<string>, lists: boolean): Rule {
  if (Array.isArray(rule)) return rule.map((item) => rewrite(item, multi, lists));
  if (!isObject(rule)) return rule;
  const found = operation(rule);
  if (found) {
    const [op, args] = found;
    if (lists && op === "in" && args.length === 2 && Array.isArray(args[1])) {
      const path = plainVar(args[0]);
      if (path && multi.has(path)) return { some: [{ var: path }, { in: [{ var: "" }, args[1]] }] };
    }
    if ((op === "==" || op === "!=") && args.length === 2 && args[1] === null) {
      const path = plainVar(args[0]);
      if (path) return op === "==" ? isEmptyRule(path, multi) : isFilledRule(path, multi);
    }
  }
  return Object.fromEntries(Object.entries(rule).map(([key, value]) => [key, rewrite(value, multi, lists)]));
}

/** A stored rule → what react-querybuilder's parser understands (the inverse of toEngineRule). */
export function toBuilderRule(rule: Rule, multi: ReadonlySet<string>): Rule {
  if (Array.isArray(rule)) return rule.map((item) => toBuilderRule(item, multi));
  if (!isObject(rule)) return rule;
  const found = operation(rule);
  if (found) {
    const [op, args] = found;
    if (op === "some" && args.length === 2) {
      const path = plainVar(args[0]);
      const test = operation(args[1]);
      if (path && multi.has(path) && test?.[0] === "in" && test[1].length === 2 && Array.isArray(test[1][1]) && plainVar(test[1][0]) === "") {
        return { in: [{ var: path }, test[1][1]] };
      }
    }
    const missing = missingOne(rule);
    if (missing && !multi.has(missing)) return { "==": [{ var: missing }, null] };
    if ((op === "!" || op === "!!") && args.length === 1) {
      const inner = missingOne(args[0]);
      if (op === "!" && inner && !multi.has(inner)) return { "!=": [{ var: inner }, null] };
      const path = varWithNullDefault(args[0]);
      if (path && multi.has(path)) return { [op === "!" ? "==" : "!="]: [{ var: path }, null] };
    }
  }
  return Object.fromEntries(Object.entries(rule).map(([key, value]) => [key, toBuilderRule(value, multi)]));
}
