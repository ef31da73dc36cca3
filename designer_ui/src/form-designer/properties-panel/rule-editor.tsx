import { QueryBuilderAntD } from "@react-querybuilder/antd";
import { Alert, Button, Input, Modal, Segmented, Space, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatQuery, QueryBuilder, type RuleGroupType } from "react-querybuilder";
import { parseJsonLogic } from "react-querybuilder/parseJsonLogic";
import "react-querybuilder/dist/query-builder.css";

import { checkRule } from "../../lib/rules";
import type { JsonLogic } from "../../schema/form";
import { useDictionarySnapshot } from "../use-dictionary-snapshot";
import type { DesignerModel } from "../model";
import { conditionFields, multiValuedPaths } from "./rule-fields";
import { toBuilderRule, toEngineRule } from "./rule-transform";
import { describeRule } from "./rule-summary";

const EMPTY: RuleGroupType = { combinator: "and", rules: [] };

function toQuery(rule: JsonLogic, multi: ReadonlySet<string>): RuleGroupType | null {
  if (rule === undefined || rule === null) return EMPTY;
  try {
    const parsed = parseJsonLogic(toBuilderRule(rule, multi) as never);
    return parsed.rules.length ? parsed : null;
  } catch {
    return null;
  }
}

/** A condition (x-visible-if / x-required-if): a summary and a button opening the builder. */
export function RuleEditor({
  title,
  value,
  onChange,
  model,
  fieldKey,
  testId,
}: {
  title: string;
  value: JsonLogic | undefined;
  onChange: (rule: JsonLogic | undefined) => void;
  model: DesignerModel;
  fieldKey: string | null;
  testId: string;
}) {
  const { t } = useTranslation("designer");
  const [open, setOpen] = useState(false);
  const summary = describeRule(value, model, t);
  return (
    <div className="fd-rule">
      <div className="fd-rule-summary">
        {value === undefined ? <Typography.Text type="secondary">{t("rules.none")}</Typography.Text> : <span>{summary}</span>}
      </div>
      <Space size={4}>
        <Button size="small" onClick={() => setOpen(true)} data-testid={`${testId}-edit`}>
          {value === undefined ? t("rules.add") : t("rules.edit")}
        </Button>
        {value !== undefined && (
          <Button size="small" type="text" danger onClick={() => onChange(undefined)}>
            {t("rules.clear")}
          </Button>
        )}
      </Space>
      {open && (
        <RuleModal
          title={title}
          value={value}
          model={model}
          fieldKey={fieldKey}
          onCancel={() => setOpen(false)}
          onSave={(rule) => {
            onChange(rule);
            setOpen(false);
          }}
        />
      )}
    </div>
  );
}

function RuleModal({
  title,
  value,
  model,
  fieldKey,
  onCancel,
  onSave,
}: {
  title: string;
  value: JsonLogic | undefined;
  model: DesignerModel;
  fieldKey: string | null;
  onCancel: () => void;
  onSave: (rule: JsonLogic | undefined) => void;
}) {
  const { t } = useTranslation("designer");
  const dictionary = useDictionarySnapshot(model);
  const fields = useMemo(() => conditionFields(model, fieldKey, dictionary), [model, fieldKey, dictionary]);
  const multi = useMemo(() => multiValuedPaths(model), [model]);
  const initial = toQuery(value, multi);
  // Numbers only for number inputs: option codes such as "007" stay text.
  const format = (built: RuleGroupType) =>
    toEngineRule(formatQuery(built, { format: "jsonlogic", parseNumbers: "strict-limited", fields }), multi) as JsonLogic;
  const [mode, setMode] = useState<"builder" | "json">(initial ? "builder" : "json");
  const [query, setQuery] = useState<RuleGroupType>(initial ?? EMPTY);
  const [json, setJson] = useState(value === undefined ? "" : JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    let rule: JsonLogic | undefined;
    if (mode === "builder") {
      if (!query.rules.length) return onSave(undefined);
      rule = format(query);
    } else {
      if (!json.trim()) return onSave(undefined);
      try {
        rule = JSON.parse(json) as JsonLogic;
      } catch {
        setError(t("rules.badJson"));
        return;
      }
    }
    const problems = checkRule(rule);
    if (problems.length) {
      setError(problems.map((problem) => problem.message).join("; "));
      return;
    }
    onSave(rule);
  };

  return (
    <Modal open title={title} width={760} onCancel={onCancel} onOk={save} okText={t("rules.save")} cancelText={t("rules.cancel")} destroyOnHidden>
      <Space orientation="vertical" style={{ width: "100%" }} size={12}>
        <Segmented
          value={mode}
          onChange={(next) => {
            if (next === "json" && mode === "builder") {
              setJson(query.rules.length ? JSON.stringify(format(query), null, 2) : "");
            }
            if (next === "builder" && mode === "json") {
              try {
                const parsed = json.trim() ? toQuery(JSON.parse(json), multi) : EMPTY;
                if (!parsed) {
                  setError(t("rules.notBuildable"));
                  return;
                }
                setQuery(parsed);
              } catch {
                setError(t("rules.badJson"));
                return;
              }
            }
            setError(null);
            setMode(next as "builder" | "json");
          }}
          options={[
            { label: t("rules.builder"), value: "builder" },
            { label: t("rules.json"), value: "json" },
          ]}
        />
        {mode === "builder" ? (
          fields.length === 0 ? (
            <Alert type="info" showIcon title={t("rules.noFields")} />
          ) : (
            <div className="fd-querybuilder" data-testid="rule-builder">
              <QueryBuilderAntD>
                <QueryBuilder
                  fields={fields}
                  query={query}
                  onQueryChange={setQuery}
                  controlClassnames={{ queryBuilder: "queryBuilder-branches" }}
                  translations={{
                    addRule: { label: t("rules.addRule"), title: t("rules.addRule") },
                    addGroup: { label: t("rules.addGroup"), title: t("rules.addGroup") },
                    removeRule: { label: "×", title: t("rules.remove") },
                    removeGroup: { label: "×", title: t("rules.remove") },
                  }}
                  combinators={[
                    { name: "and", value: "and", label: t("rules.and") },
                    { name: "or", value: "or", label: t("rules.or") },
                  ]}
                  resetOnFieldChange
                />
              </QueryBuilderAntD>
            </div>
          )
        ) : (
          <Input.TextArea
            value={json}
            onChange={(event) => setJson(event.target.value)}
            autoSize={{ minRows: 6, maxRows: 16 }}
            spellCheck={false}
            className="fd-mono"
            aria-label={t("rules.json")}
            placeholder='{"==": [{"var": "form.expense_type"}, "air"]}'
          />
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
