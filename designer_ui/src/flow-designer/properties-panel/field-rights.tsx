// The field permission matrix of a node: every form field × editable / read-only / hidden,
// with shortcuts for all fields. Fields not listed keep the default (editable at the start
// node, read-only elsewhere); the matrix shows the effective right.
import { Button, Radio, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { FieldRight, FieldRights } from "../../schema/flow";
import { useFlowEnv } from "../context";

const RIGHTS: FieldRight[] = ["editable", "read_only", "hidden"];
const NO_VALUE = new Set(["description"]);

export function FieldRightsEditor({ value, onChange, start }: { value: FieldRights; onChange: (rights: FieldRights) => void; start: boolean }) {
  const { t } = useTranslation("flow");
  const { form } = useFlowEnv();
  const keys = form.sections.flatMap((section) => section.fields).filter((key) => {
    const field = form.fields[key];
    return field !== undefined && !NO_VALUE.has(field["x-type"]);
  });
  const fallback: FieldRight = start ? "editable" : "read_only";
  const all = (right: FieldRight) => onChange(Object.fromEntries(keys.map((key) => [key, right])));
  if (!keys.length) return <div className="fl-empty-hint">{t("rights.noFields")}</div>;
  return (
    <div className="fl-rights" data-testid="field-rights">
      <Typography.Paragraph type="secondary" className="fl-rights-hint">
        {start ? t("rights.hintStart") : t("rights.hintTask")}
      </Typography.Paragraph>
      <Space wrap size={4} className="fl-rights-shortcuts">
        {RIGHTS.map((right) => (
          <Button key={right} size="small" onClick={() => all(right)} data-testid={`rights-all-${right}`}>
            {t(`rights.all.${right}`)}
          </Button>
        ))}
        <Button size="small" type="link" onClick={() => onChange({})}>{t("rights.reset")}</Button>
      </Space>
      <table className="fl-rights-table">
        <thead>
          <tr>
            <th>{t("rights.field")}</th>
            {RIGHTS.map((right) => <th key={right}>{t(`rights.${right}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const effective = value[key] ?? fallback;
            const label = localized(form.fields[key]?.["x-label"]) || key;
            return (
              <tr key={key} data-testid={`rights-row-${key}`} className={value[key] ? "fl-rights-set" : undefined}>
                <td className="fl-rights-label" title={label}>{label}</td>
                {RIGHTS.map((right) => (
                  <td key={right} data-testid={`rights-${key}-${right}`} data-checked={effective === right ? "true" : "false"}>
                    <Radio checked={effective === right} onChange={() => onChange({ ...value, [key]: right })}
                      name={`rights-${key}`} aria-label={`${label}: ${t(`rights.${right}`)}`} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
