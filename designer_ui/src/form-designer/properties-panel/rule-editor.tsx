import { Button, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ConditionModal, describeRule } from "../../lib/conditions";
import type { JsonLogic } from "../../schema/form";
import type { DesignerModel } from "../model";
import { useDictionarySnapshot } from "../use-dictionary-snapshot";

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
  const dictionary = useDictionarySnapshot(model);
  const summary = describeRule(value, model, t, dictionary);
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
        <ConditionModal
          title={title}
          value={value}
          model={model}
          fieldKey={fieldKey}
          dictionary={dictionary}
          testId="rule"
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
