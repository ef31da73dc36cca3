// The modal that edits one condition: react-querybuilder over the form's fields, or the
// raw JsonLogic (checked like the server) when the builder cannot show the rule.
import { QueryBuilderAntD } from "@react-querybuilder/antd";
import { Alert, Input, Modal, Segmented, Space } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryBuilder, type RuleGroupType } from "react-querybuilder";
import "react-querybuilder/dist/query-builder.css";

import type { DesignerModel } from "../../form-designer/model";
import { useDictionarySnapshot } from "../../form-designer/use-dictionary-snapshot";
import type { DictionarySnapshot, JsonLogic } from "../../schema/form";
import { checkRule } from "../rules";
import { conditionFields, multiValuedPaths } from "./fields";
import { incompleteRules, queryToRule, ruleProblem, ruleToQuery } from "./query";
import "./condition-modal.css";

const EMPTY: RuleGroupType = { combinator: "and", rules: [] };

export interface ConditionModalProps {
  title: string;
  /** The stored rule (undefined: none yet). */
  value: JsonLogic | undefined;
  /** The form whose fields the condition reads. */
  model: DesignerModel;
  /** A field the condition may not read (a field's own rules), or null. */
  fieldKey: string | null;
  onCancel: () => void;
  /** The new rule, or undefined when the condition was emptied. */
  onSave: (rule: JsonLogic | undefined) => void;
  /** Dictionary options to offer; by default the current options of the form's dictionaries. */
  dictionary?: DictionarySnapshot;
  /** Prefix of the data-testid values: `<testId>-builder`, `-json`, `-mode`, `-error`. */
  testId?: string;
}

export function ConditionModal({ title, value, model, fieldKey, onCancel, onSave, dictionary, testId = "rule" }: ConditionModalProps) {
  const { t, i18n } = useTranslation("designer");
  const fetched = useDictionarySnapshot(model);
  const snapshot = dictionary ?? fetched;
  const language = i18n.language;
  const fields = useMemo(
    () => conditionFields(model, fieldKey, snapshot, i18n.getFixedT(language, "designer")),
    [model, fieldKey, snapshot, i18n, language],
  );
  const multi = useMemo(() => multiValuedPaths(model), [model]);
  const [initial] = useState(() => ruleToQuery(value, multi, fields));
  const [mode, setMode] = useState<"builder" | "json">(initial ? "builder" : "json");
  const [query, setQuery] = useState<RuleGroupType>(initial ?? EMPTY);
  const [json, setJson] = useState(value === undefined ? "" : JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | null>(null);

  /** The builder's rule, or an error message when a rule is not complete. */
  const fromBuilder = (): { rule: JsonLogic | null } | { error: string } => {
    const incomplete = incompleteRules(query, fields);
    if (incomplete.length) {
      const first = incomplete[0];
      const problem = first ? ruleProblem(first, fields.find((field) => field.name === first.field)) : "value";
      return { error: t(problem === "number" ? "rules.notNumber" : "rules.incomplete") };
    }
    return { rule: queryToRule(query, multi, fields) };
  };

  const save = () => {
    let rule: JsonLogic | undefined;
    if (mode === "builder") {
      const built = fromBuilder();
      if ("error" in built) return setError(built.error);
      if (built.rule === null) return onSave(undefined);
      rule = built.rule;
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

  const switchMode = (next: "builder" | "json") => {
    if (next === "json" && mode === "builder") {
      const built = fromBuilder();
      if ("error" in built) return setError(built.error);
      setJson(built.rule === null ? "" : JSON.stringify(built.rule, null, 2));
    }
    if (next === "builder" && mode === "json") {
      let parsed: RuleGroupType | null;
      try {
        parsed = json.trim() ? ruleToQuery(JSON.parse(json) as JsonLogic, multi, fields) : EMPTY;
      } catch {
        setError(t("rules.badJson"));
        return;
      }
      if (!parsed) {
        setError(t("rules.notBuildable"));
        return;
      }
      setQuery(parsed);
    }
    setError(null);
    setMode(next);
  };

  return (
    <Modal open title={title} width={760} onCancel={onCancel} onOk={save} okText={t("rules.save")} cancelText={t("rules.cancel")} destroyOnHidden>
      <Space orientation="vertical" style={{ width: "100%" }} size={12}>
        <Segmented
          data-testid={`${testId}-mode`}
          value={mode}
          onChange={(next) => switchMode(next as "builder" | "json")}
          options={[
            { label: t("rules.builder"), value: "builder" },
            { label: t("rules.json"), value: "json" },
          ]}
        />
        {mode === "builder" ? (
          fields.length === 0 ? (
            <Alert type="info" showIcon title={t("rules.noFields")} />
          ) : (
            <div className="cond-querybuilder" data-testid={`${testId}-builder`}>
              <QueryBuilderAntD>
                <QueryBuilder
                  fields={fields}
                  query={query}
                  onQueryChange={setQuery}
                  listsAsArrays
                  showNotToggle
                  controlClassnames={{ queryBuilder: "queryBuilder-branches" }}
                  translations={{
                    addRule: { label: t("rules.addRule"), title: t("rules.addRule") },
                    addGroup: { label: t("rules.addGroup"), title: t("rules.addGroup") },
                    removeRule: { label: "×", title: t("rules.remove") },
                    removeGroup: { label: "×", title: t("rules.remove") },
                    notToggle: { label: t("rules.not"), title: t("rules.not") },
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
            data-testid={`${testId}-json`}
            value={json}
            onChange={(event) => setJson(event.target.value)}
            autoSize={{ minRows: 6, maxRows: 16 }}
            spellCheck={false}
            className="cond-mono"
            aria-label={t("rules.json")}
            placeholder='{"==": [{"var": "form.expense_type"}, "air"]}'
          />
        )}
        {error && <Alert type="error" showIcon title={error} data-testid={`${testId}-error`} />}
      </Space>
    </Modal>
  );
}
