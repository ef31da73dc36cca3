// A one-line, human reading of a condition for the side panel ("费用类型 = 机票").
import type { TFunction } from "i18next";

import { localized } from "../../i18n";
import type { JsonLogic } from "../../schema/form";
import type { DesignerModel } from "../model";

const SYMBOLS: Record<string, string> = { "==": "=", "===": "=", "!=": "≠", "!==": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", in: "∈" };

function labelOf(path: unknown, model: DesignerModel): string {
  if (typeof path !== "string") return "?";
  const [root, key, ...rest] = path.split(".");
  if (root === "form" && key) {
    const field = model.fields[key];
    const label = localized(field?.["x-label"]) || key;
    return rest.length ? `${label}.${rest.join(".")}` : label;
  }
  return path;
}

function valueOf(value: unknown, model: DesignerModel, path?: unknown): string {
  if (value && typeof value === "object" && "var" in (value as Record<string, unknown>)) {
    const ref = (value as { var: unknown }).var;
    return labelOf(Array.isArray(ref) ? ref[0] : ref, model);
  }
  if (typeof value === "string" && typeof path === "string") {
    const key = path.split(".")[1] ?? "";
    const option = model.fields[key]?.["x-options"]?.find((candidate) => candidate.code === value);
    if (option) return localized(option.label) || value;
  }
  return JSON.stringify(value);
}

export function describeRule(rule: JsonLogic | undefined, model: DesignerModel, t: TFunction): string {
  if (rule === undefined) return "";
  const describe = (node: unknown): string => {
    if (!node || typeof node !== "object" || Array.isArray(node)) return JSON.stringify(node);
    const [op, args] = Object.entries(node as Record<string, unknown>)[0] ?? [];
    if (!op) return "";
    const list = Array.isArray(args) ? args : [args];
    if (op === "and" || op === "or") return list.map(describe).join(op === "and" ? ` ${t("rules.and")} ` : ` ${t("rules.or")} `);
    if (op === "!") return `${t("rules.not")} (${describe(list[0])})`;
    if (op in SYMBOLS && list.length === 2) {
      const left = list[0] as { var?: unknown } | undefined;
      const path = left && typeof left === "object" ? (Array.isArray(left.var) ? left.var[0] : left.var) : undefined;
      return `${valueOf(list[0], model)} ${SYMBOLS[op]} ${valueOf(list[1], model, path)}`;
    }
    if (op === "!!") return `${valueOf(list[0], model)} ${t("rules.notEmpty")}`;
    return JSON.stringify(node);
  };
  const text = describe(rule);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
