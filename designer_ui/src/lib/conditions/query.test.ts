import { prepareRuleGroup, type RuleGroupType, type RuleGroupTypeAny, type RuleType } from "react-querybuilder";

import { initI18n } from "../../i18n";
import { evaluateRule, truthy } from "../rules";
import { DICTIONARY, testModel } from "./conditions.fixture";
import { conditionFields, multiValuedPaths, OPERATORS_BY_KIND, type ConditionKind } from "./fields";
import { incompleteRules, queryToRule, ruleToQuery } from "./query";

initI18n("zh-Hans");

const model = testModel();
const MULTI = multiValuedPaths(model);
const FIELDS = conditionFields(model, null, DICTIONARY);

interface Case {
  field: string;
  operator: string;
  /** What the value editor gives. */
  value?: unknown;
  /** The value ruleToQuery gives back (default: value). */
  parsed?: unknown;
  rule: unknown;
  yes: Record<string, unknown>[];
  no: Record<string, unknown>[];
}

const v = (key: string) => ({ var: `form.${key}` });

function numberCases(key: string): Case[] {
  return [
    { field: key, operator: "=", value: "5000", parsed: 5000, rule: { "==": [v(key), 5000] }, yes: [{ [key]: 5000 }], no: [{ [key]: 4999 }, {}] },
    { field: key, operator: "!=", value: "5000", parsed: 5000, rule: { "!=": [v(key), 5000] }, yes: [{ [key]: 1 }], no: [{ [key]: 5000 }] },
    { field: key, operator: "<", value: "5000", parsed: 5000, rule: { "<": [v(key), 5000] }, yes: [{ [key]: 4999.99 }], no: [{ [key]: 5000 }, {}] },
    { field: key, operator: "<=", value: "5000", parsed: 5000, rule: { "<=": [v(key), 5000] }, yes: [{ [key]: 5000 }], no: [{ [key]: 5000.01 }] },
    { field: key, operator: ">", value: "5000", parsed: 5000, rule: { ">": [v(key), 5000] }, yes: [{ [key]: 5001 }], no: [{ [key]: 5000 }, {}] },
    { field: key, operator: ">=", value: "99.5", parsed: 99.5, rule: { ">=": [v(key), 99.5] }, yes: [{ [key]: 99.5 }], no: [{ [key]: 99.49 }] },
    {
      field: key,
      operator: "between",
      value: ["1000", "5000"],
      parsed: [1000, 5000],
      rule: { "<=": [1000, v(key), 5000] },
      yes: [{ [key]: 1000 }, { [key]: 3000 }, { [key]: 5000 }],
      no: [{ [key]: 999 }, { [key]: 5001 }, {}],
    },
    { field: key, operator: "null", value: null, rule: { missing: [`form.${key}`] }, yes: [{}, { [key]: null }], no: [{ [key]: 0 }, { [key]: 5 }] },
    { field: key, operator: "notNull", value: null, rule: { "!": { missing: [`form.${key}`] } }, yes: [{ [key]: 0 }], no: [{}, { [key]: null }] },
  ];
}

function textCases(key: string, sample: string): Case[] {
  return [
    { field: key, operator: "=", value: sample, rule: { "==": [v(key), sample] }, yes: [{ [key]: sample }], no: [{ [key]: `${sample}x` }, {}] },
    { field: key, operator: "!=", value: sample, rule: { "!=": [v(key), sample] }, yes: [{ [key]: "other" }], no: [{ [key]: sample }] },
    { field: key, operator: "contains", value: "采购", rule: { in: ["采购", v(key)] }, yes: [{ [key]: "办公采购单" }], no: [{ [key]: "报销" }] },
    { field: key, operator: "doesNotContain", value: "采购", rule: { "!": { in: ["采购", v(key)] } }, yes: [{ [key]: "报销" }], no: [{ [key]: "采购" }] },
    { field: key, operator: "null", value: null, rule: { missing: [`form.${key}`] }, yes: [{}, { [key]: "" }, { [key]: null }], no: [{ [key]: "a" }] },
    { field: key, operator: "notNull", value: null, rule: { "!": { missing: [`form.${key}`] } }, yes: [{ [key]: "a" }], no: [{}, { [key]: "" }] },
  ];
}

function choiceCases(key: string, a: string, b: string, other: string): Case[] {
  return [
    { field: key, operator: "=", value: a, rule: { "==": [v(key), a] }, yes: [{ [key]: a }], no: [{ [key]: b }, {}] },
    { field: key, operator: "!=", value: a, rule: { "!=": [v(key), a] }, yes: [{ [key]: b }], no: [{ [key]: a }] },
    { field: key, operator: "in", value: [a, b], rule: { in: [v(key), [a, b]] }, yes: [{ [key]: a }, { [key]: b }], no: [{ [key]: other }] },
    { field: key, operator: "notIn", value: [a, b], rule: { "!": { in: [v(key), [a, b]] } }, yes: [{ [key]: other }], no: [{ [key]: a }] },
    { field: key, operator: "null", value: null, rule: { missing: [`form.${key}`] }, yes: [{}, { [key]: "" }], no: [{ [key]: a }] },
    { field: key, operator: "notNull", value: null, rule: { "!": { missing: [`form.${key}`] } }, yes: [{ [key]: a }], no: [{}] },
  ];
}

function multiCases(key: string, a: string, b: string, other: string): Case[] {
  const some = (codes: string[]) => ({ some: [v(key), { in: [{ var: "" }, codes] }] });
  return [
    { field: key, operator: "in", value: [a, b], rule: some([a, b]), yes: [{ [key]: [b, other] }, { [key]: [a] }], no: [{ [key]: [other] }, { [key]: [] }] },
    { field: key, operator: "notIn", value: [a], rule: { "!": some([a]) }, yes: [{ [key]: [other] }, { [key]: [] }], no: [{ [key]: [other, a] }] },
    { field: key, operator: "null", value: null, rule: { "!": { var: [`form.${key}`, null] } }, yes: [{}, { [key]: [] }, { [key]: null }], no: [{ [key]: [a] }] },
    { field: key, operator: "notNull", value: null, rule: { "!!": { var: [`form.${key}`, null] } }, yes: [{ [key]: [a] }], no: [{}, { [key]: [] }] },
  ];
}

function dateCases(key: string): Case[] {
  const d = "2025-10-01";
  return [
    { field: key, operator: "=", value: d, rule: { "==": [v(key), d] }, yes: [{ [key]: d }], no: [{ [key]: "2025-10-02" }] },
    { field: key, operator: "!=", value: d, rule: { "!=": [v(key), d] }, yes: [{ [key]: "2025-10-02" }], no: [{ [key]: d }] },
    { field: key, operator: "<", value: d, rule: { "<": [v(key), d] }, yes: [{ [key]: "2025-09-30" }], no: [{ [key]: d }, {}] },
    { field: key, operator: "<=", value: d, rule: { "<=": [v(key), d] }, yes: [{ [key]: d }], no: [{ [key]: "2025-10-02" }] },
    { field: key, operator: ">", value: d, rule: { ">": [v(key), d] }, yes: [{ [key]: "2025-12-31" }], no: [{ [key]: d }] },
    { field: key, operator: ">=", value: d, rule: { ">=": [v(key), d] }, yes: [{ [key]: d }], no: [{ [key]: "2025-09-30" }] },
    {
      field: key,
      operator: "between",
      value: ["2025-10-01", "2025-10-07"],
      rule: { "<=": ["2025-10-01", v(key), "2025-10-07"] },
      yes: [{ [key]: "2025-10-01" }, { [key]: "2025-10-07" }],
      no: [{ [key]: "2025-09-30" }, { [key]: "2025-10-08" }],
    },
    { field: key, operator: "null", value: null, rule: { missing: [`form.${key}`] }, yes: [{}], no: [{ [key]: d }] },
    { field: key, operator: "notNull", value: null, rule: { "!": { missing: [`form.${key}`] } }, yes: [{ [key]: d }], no: [{}] },
  ];
}

function presenceCases(key: string, filled: unknown, empty: unknown, multi: boolean): Case[] {
  return [
    {
      field: key,
      operator: "null",
      value: null,
      rule: multi ? { "!": { var: [`form.${key}`, null] } } : { missing: [`form.${key}`] },
      yes: [{}, { [key]: empty }],
      no: [{ [key]: filled }],
    },
    {
      field: key,
      operator: "notNull",
      value: null,
      rule: multi ? { "!!": { var: [`form.${key}`, null] } } : { "!": { missing: [`form.${key}`] } },
      yes: [{ [key]: filled }],
      no: [{}, { [key]: empty }],
    },
  ];
}

const CASES: Case[] = [
  ...textCases("title", "123"), // digits in a text field stay text
  ...textCases("note", "备忘"),
  ...textCases("owner", "u_1001"),
  ...numberCases("amount"),
  ...numberCases("fee"),
  ...numberCases("total"),
  ...dateCases("day"),
  ...choiceCases("level", "007", "B", "A"), // the code "007" stays text
  ...choiceCases("channel", "web", "phone", "mail"),
  ...choiceCases("city", "bj", "sh", "gz"),
  ...multiCases("tags", "air", "hotel", "taxi"),
  ...multiCases("extras", "wifi", "meal", "spa"),
  { field: "urgent", operator: "=", value: true, rule: { "==": [v("urgent"), true] }, yes: [{ urgent: true }], no: [{ urgent: false }] },
  { field: "urgent", operator: "=", value: false, rule: { "==": [v("urgent"), false] }, yes: [{ urgent: false }], no: [{ urgent: true }] },
  ...presenceCases("trip", { start: "2025-10-01", end: "2025-10-03" }, "", false),
  ...presenceCases("members", ["u1"], [], true),
];

const KINDS: Record<string, ConditionKind> = {
  title: "text",
  note: "text",
  amount: "number",
  fee: "number",
  total: "number",
  day: "date",
  level: "choice",
  channel: "choice",
  city: "choice",
  tags: "multi",
  extras: "multi",
  urgent: "boolean",
  trip: "presence",
  owner: "text",
  members: "presence",
};

/** The query without the ids the builder adds. */
function stripIds(group: RuleGroupTypeAny): unknown {
  return JSON.parse(JSON.stringify(group, (key, value: unknown) => (key === "id" || key === "path" ? undefined : value)));
}

function single(rule: Omit<RuleType, "id">): RuleGroupType {
  // As the builder holds it: with generated ids.
  return prepareRuleGroup({ combinator: "and", rules: [rule] }) as RuleGroupType;
}

function holds(rule: unknown, form: Record<string, unknown>): boolean {
  return truthy(evaluateRule(rule, { form }));
}

describe("the builder's fields", () => {
  it("offers every kind of field, with the operators of its kind, in display order", () => {
    expect(FIELDS.map((field) => field.name)).toEqual(Object.keys(KINDS).map((key) => `form.${key}`));
    for (const field of FIELDS) {
      const kind = KINDS[field.name.slice(5)] as ConditionKind;
      expect((field.operators as { name: string }[]).map((operator) => operator.name)).toEqual(OPERATORS_BY_KIND[kind]);
    }
  });

  it("has a test case for every operator of every field", () => {
    const offered = FIELDS.flatMap((field) => (field.operators as { name: string }[]).map((operator) => `${field.name.slice(5)} ${operator.name}`));
    const tested = new Set(CASES.map((c) => `${c.field} ${c.operator}`));
    expect(offered.filter((pair) => !tested.has(pair))).toEqual([]);
  });

  it("takes choices from the options or the dictionary, and leaves the field itself out", () => {
    const city = FIELDS.find((field) => field.name === "form.city");
    expect(city?.values).toEqual([
      { name: "bj", value: "bj", label: "北京" },
      { name: "sh", value: "sh", label: "上海" },
    ]);
    expect(FIELDS.find((field) => field.name === "form.level")?.values?.map((o) => (o as { label: string }).label)).toEqual(["重要", "普通", "特殊"]);
    expect(conditionFields(model, "amount", DICTIONARY).some((field) => field.name === "form.amount")).toBe(false);
    expect(MULTI).toEqual(new Set(["form.tags", "form.extras", "form.members"]));
  });
});

describe.each(CASES)("$field $operator $value", (c) => {
  const query = single({ field: `form.${c.field}`, operator: c.operator, value: c.value });
  const rule = queryToRule(query, MULTI, FIELDS);

  it("stores what the server expects", () => {
    expect(rule).toEqual(c.rule);
    expect(incompleteRules(query, FIELDS)).toEqual([]);
  });

  it("opens again in the builder", () => {
    const back = ruleToQuery(rule, MULTI, FIELDS);
    expect(back).not.toBeNull();
    expect(stripIds(back as RuleGroupType)).toEqual({
      combinator: "and",
      rules: [{ field: `form.${c.field}`, operator: c.operator, value: "parsed" in c ? c.parsed : c.value }],
    });
    expect(queryToRule(back as RuleGroupType, MULTI, FIELDS)).toEqual(c.rule);
  });

  it("evaluates as meant (the server's semantics)", () => {
    for (const form of c.yes) expect([form, holds(rule, form)]).toEqual([form, true]);
    for (const form of c.no) expect([form, holds(rule, form)]).toEqual([form, false]);
  });
});

describe("groups", () => {
  const amountOver = { field: "form.amount", operator: ">", value: "5000" };
  const levelA = { field: "form.level", operator: "=", value: "A" };
  const air = { field: "form.tags", operator: "in", value: ["air"] };

  it("nests an or inside an and", () => {
    const query = prepareRuleGroup({ combinator: "and", rules: [amountOver, { combinator: "or", rules: [levelA, air] }] }) as RuleGroupType;
    const rule = queryToRule(query, MULTI, FIELDS);
    expect(rule).toEqual({
      and: [
        { ">": [v("amount"), 5000] },
        { or: [{ "==": [v("level"), "A"] }, { some: [v("tags"), { in: [{ var: "" }, ["air"]] }] }] },
      ],
    });
    expect(holds(rule, { amount: 6000, level: "B", tags: ["air"] })).toBe(true);
    expect(holds(rule, { amount: 6000, level: "A", tags: [] })).toBe(true);
    expect(holds(rule, { amount: 6000, level: "B", tags: ["taxi"] })).toBe(false);
    expect(holds(rule, { amount: 100, level: "A", tags: ["air"] })).toBe(false);
    const back = ruleToQuery(rule, MULTI, FIELDS) as RuleGroupType;
    expect(stripIds(back)).toEqual({
      combinator: "and",
      rules: [
        { ...amountOver, value: 5000 },
        { combinator: "or", rules: [levelA, air] },
      ],
    });
    expect(queryToRule(back, MULTI, FIELDS)).toEqual(rule);
  });

  it("negates a group", () => {
    const query = prepareRuleGroup({ combinator: "or", not: true, rules: [amountOver, { field: "form.urgent", operator: "=", value: true }] }) as RuleGroupType;
    const rule = queryToRule(query, MULTI, FIELDS);
    expect(rule).toEqual({ "!": { or: [{ ">": [v("amount"), 5000] }, { "==": [v("urgent"), true] }] } });
    expect(holds(rule, { amount: 10, urgent: false })).toBe(true);
    expect(holds(rule, { amount: 10, urgent: true })).toBe(false);
    const back = ruleToQuery(rule, MULTI, FIELDS) as RuleGroupType;
    expect(back.not).toBe(true);
    expect(queryToRule(back, MULTI, FIELDS)).toEqual(rule);
  });

  it("negates a nested group and a single rule", () => {
    const query = prepareRuleGroup({ combinator: "and", rules: [levelA, { combinator: "and", not: true, rules: [air] }] }) as RuleGroupType;
    const rule = queryToRule(query, MULTI, FIELDS);
    expect(rule).toEqual({ and: [{ "==": [v("level"), "A"] }, { "!": { and: [{ some: [v("tags"), { in: [{ var: "" }, ["air"]] }] }] } }] });
    expect(holds(rule, { level: "A", tags: ["taxi"] })).toBe(true);
    expect(holds(rule, { level: "A", tags: ["air"] })).toBe(false);
    expect(queryToRule(ruleToQuery(rule, MULTI, FIELDS) as RuleGroupType, MULTI, FIELDS)).toEqual(rule);
    const negated = queryToRule(single({ ...levelA, operator: "=" }) && ({ combinator: "and", not: true, rules: [levelA] } as RuleGroupType), MULTI, FIELDS);
    expect(negated).toEqual({ "!": { and: [{ "==": [v("level"), "A"] }] } });
    expect(ruleToQuery(negated, MULTI, FIELDS)?.not).toBe(true);
  });

  it("stores nothing for an empty group, and skips empty sub-groups", () => {
    expect(queryToRule({ combinator: "and", rules: [] }, MULTI, FIELDS)).toBeNull();
    expect(queryToRule({ combinator: "and", rules: [{ combinator: "or", rules: [] }] }, MULTI, FIELDS)).toBeNull();
    expect(queryToRule({ combinator: "and", rules: [amountOver, { combinator: "or", rules: [] }] }, MULTI, FIELDS)).toEqual({ ">": [v("amount"), 5000] });
  });

  it("opens no rule as an empty group", () => {
    expect(ruleToQuery(undefined, MULTI)).toEqual({ combinator: "and", rules: [] });
    expect(ruleToQuery(null, MULTI)).toEqual({ combinator: "and", rules: [] });
  });
});

describe("numbers", () => {
  it("stores numbers typed as text as numbers for number fields only", () => {
    const query = prepareRuleGroup({
      combinator: "and",
      rules: [
        { field: "form.amount", operator: ">", value: "5000" },
        { field: "form.fee", operator: "between", value: ["0.5", "10"] },
        { field: "form.title", operator: "=", value: "5000" },
        { field: "form.level", operator: "in", value: ["007", "1"] },
      ],
    }) as RuleGroupType;
    expect(queryToRule(query, MULTI, FIELDS)).toEqual({
      and: [
        { ">": [v("amount"), 5000] },
        { "<=": [0.5, v("fee"), 10] },
        { "==": [v("title"), "5000"] },
        { in: [v("level"), ["007", "1"]] },
      ],
    });
  });

  it("needs the fields to know which values are numbers", () => {
    expect(queryToRule(single({ field: "form.amount", operator: ">", value: "5000" }), MULTI)).toEqual({ ">": [v("amount"), "5000"] });
  });

  it("reports rules that cannot be saved yet", () => {
    const query = prepareRuleGroup({
      combinator: "and",
      rules: [
        { field: "form.amount", operator: "between", value: ["1000", ""] },
        { field: "form.level", operator: "in", value: [] },
        { field: "form.title", operator: "=", value: "" },
        { field: "form.amount", operator: ">", value: "abc" },
        { field: "form.amount", operator: ">", value: "12" },
        { field: "form.amount", operator: "null", value: null },
        { field: "form.urgent", operator: "=", value: false },
      ],
    }) as RuleGroupType;
    expect(incompleteRules(query, FIELDS).map((rule) => [rule.field, rule.operator, rule.value])).toEqual([
      ["form.amount", "between", ["1000", ""]],
      ["form.level", "in", []],
      ["form.title", "=", ""],
      ["form.amount", ">", "abc"],
    ]);
  });
});

describe("rules the builder cannot show", () => {
  const cases: [string, unknown][] = [
    ["arithmetic", { "+": [1, 2] }],
    ["arithmetic on a field", { ">": [{ "+": [v("amount"), v("fee")] }, 100] }],
    ["a bare var", { var: "form.urgent" }],
    ["a var with a default", { ">": [{ var: ["form.amount", 0] }, 5000] }],
    ["strict equality (the builder would write ==)", { "===": [v("amount"), 5000] }],
    ["a field that is in a text (not 'contains')", { in: [v("title"), "采购申请"] }],
    ["a part the parser drops", { and: [{ ">": [v("amount"), 1] }, { "+": [1, 2] }] }],
    ["a three-argument <", { "<": [1000, v("amount"), 5000] }],
    ["two fields compared", { "==": [v("amount"), v("fee")] }],
    ["days between", { "<=": [{ days_between: [v("day"), v("day")] }, 3] }],
    ["a literal", true],
    ["a text", "form.amount"],
    ["an array", [1, 2]],
    ["an empty and", { and: [] }],
    ["a multi-valued field compared as a whole", { in: [v("tags"), ["air"]] }],
  ];
  it.each(cases)("%s", (_name, rule) => {
    expect(ruleToQuery(rule, MULTI, FIELDS)).toBeNull();
  });

  it("refuses fields and operators the builder does not offer, when given its fields", () => {
    expect(ruleToQuery({ "<": [v("level"), "B"] }, MULTI, FIELDS)).toBeNull();
    expect(ruleToQuery({ "<": [v("level"), "B"] }, MULTI)).not.toBeNull();
    expect(ruleToQuery({ "==": [v("sheet"), "x"] }, MULTI, FIELDS)).toBeNull();
    expect(ruleToQuery({ "==": [v("amount"), 1] }, MULTI, conditionFields(model, "amount", DICTIONARY))).toBeNull();
  });

  it("opens rules written by the earlier builder (one-rule groups, == null)", () => {
    const wrapped = { and: [{ "==": [v("level"), "A"] }] };
    expect(queryToRule(ruleToQuery(wrapped, MULTI, FIELDS) as RuleGroupType, MULTI, FIELDS)).toEqual({ "==": [v("level"), "A"] });
    const legacy = { "==": [v("title"), null] };
    const back = ruleToQuery(legacy, MULTI, FIELDS) as RuleGroupType;
    expect(stripIds(back)).toEqual({ combinator: "and", rules: [{ field: "form.title", operator: "null", value: null }] });
    expect(queryToRule(back, MULTI, FIELDS)).toEqual({ missing: ["form.title"] });
  });

  it("reads the seed rules of docs/rules.md", () => {
    expect(ruleToQuery({ ">": [v("amount"), 5000] }, MULTI, FIELDS)).not.toBeNull();
    expect(ruleToQuery({ in: [v("level"), ["A", "B"]] }, MULTI, FIELDS)).not.toBeNull();
    expect(ruleToQuery({ "<=": [1, v("amount"), 3] }, MULTI, FIELDS)).not.toBeNull();
  });
});
