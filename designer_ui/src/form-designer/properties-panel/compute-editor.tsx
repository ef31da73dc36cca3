import { Alert, Button, Input, Select, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import { checkRule, ruleVariables } from "../../lib/rules";
import type { JsonLogic } from "../../schema/form";
import { columnsOf, type DesignerModel } from "../model";

const TEMPLATES: { key: string; rule: (a: string, b: string) => JsonLogic }[] = [
  { key: "sum", rule: (a, b) => ({ "+": [{ var: a }, { var: b }] }) },
  { key: "product", rule: (a, b) => ({ "*": [{ var: a }, { var: b }] }) },
  { key: "days", rule: (a) => ({ days_between: [{ var: `${a}.start` }, { var: `${a}.end` }] }) },
  { key: "tableSum", rule: (a, b) => ({ sum: [{ var: a }, b.split(".").pop() ?? ""] }) },
  { key: "count", rule: (a) => ({ count: [{ var: a }] }) },
];

/** The formula of a computed field: JSON-logic text, checked as you type, with helpers. */
export function ComputeEditor({
  value,
  onChange,
  model,
  fieldKey,
}: {
  value: JsonLogic | undefined;
  onChange: (rule: JsonLogic) => void;
  model: DesignerModel;
  fieldKey: string;
}) {
  const { t } = useTranslation("designer");
  const [text, setText] = useState(value === undefined ? "" : JSON.stringify(value));
  const [error, setError] = useState<string | null>(null);
  const [first, setFirst] = useState<string | undefined>();
  const [second, setSecond] = useState<string | undefined>();
  // Follow changes made elsewhere (undo, a template button), but never rewrite what is being
  // typed: only when the text no longer says the stored formula.
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        // half-typed text: replaced only when the stored formula changed under it
      }
      return value === undefined ? "" : JSON.stringify(value);
    });
  }, [value]);

  const variables: { value: string; label: string }[] = [];
  for (const [key, field] of Object.entries(model.fields)) {
    if (key === fieldKey || field["x-type"] === "description") continue;
    variables.push({ value: `form.${key}`, label: `${localized(field["x-label"]) || key} · form.${key}` });
    for (const [column, columnField] of Object.entries(columnsOf(field))) {
      variables.push({ value: `form.${key}.${column}`, label: `${localized(field["x-label"])}.${localized(columnField["x-label"]) || column}` });
    }
  }

  const apply = (next: string) => {
    setText(next);
    let rule: JsonLogic;
    try {
      rule = JSON.parse(next) as JsonLogic;
    } catch {
      setError(t("rules.badJson"));
      return;
    }
    const problems = checkRule(rule);
    if (problems.length) {
      setError(problems[0]?.message ?? "");
      return;
    }
    setError(null);
    onChange(rule);
  };

  let reads: string[] = [];
  try {
    reads = value === undefined ? [] : ruleVariables(value);
  } catch {
    reads = [];
  }

  return (
    <Space orientation="vertical" size={8} style={{ width: "100%" }}>
      <Input.TextArea
        value={text}
        onChange={(event) => apply(event.target.value)}
        autoSize={{ minRows: 3, maxRows: 10 }}
        spellCheck={false}
        className="fd-mono"
        status={error ? "error" : undefined}
        aria-label={t("props.compute.formula")}
        data-testid="compute-formula"
      />
      {error && <Alert type="error" showIcon title={error} />}
      {reads.length > 0 && (
        <div>
          <Typography.Text type="secondary">{t("props.compute.reads")}</Typography.Text>{" "}
          {reads.map((path) => (
            <Tag key={path}>{path}</Tag>
          ))}
        </div>
      )}
      <div className="fd-compute-helper">
        <Select size="small" showSearch allowClear placeholder={t("props.compute.first")} value={first} onChange={setFirst} options={variables}
          optionFilterProp="label" style={{ flex: 1, minWidth: 120 }} />
        <Select size="small" showSearch allowClear placeholder={t("props.compute.second")} value={second} onChange={setSecond} options={variables}
          optionFilterProp="label" style={{ flex: 1, minWidth: 120 }} />
      </div>
      <Space size={4} wrap>
        {TEMPLATES.map((template) => (
          <Button key={template.key} size="small" disabled={!first}
            onClick={() => first && apply(JSON.stringify(template.rule(first, second ?? first)))}>
            {t(`props.compute.templates.${template.key}`)}
          </Button>
        ))}
      </Space>
    </Space>
  );
}
