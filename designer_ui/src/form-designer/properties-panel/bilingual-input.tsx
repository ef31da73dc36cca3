import { Input } from "antd";
import { useTranslation } from "react-i18next";

import type { Label } from "../../schema/form";

/** Two inputs, 中文 and English, for one text of the form. */
export function BilingualInput({
  value,
  onChange,
  multiline = false,
  idPrefix,
  maxLength = 200,
}: {
  value: Label | undefined;
  onChange: (value: Label) => void;
  multiline?: boolean;
  idPrefix: string;
  maxLength?: number;
}) {
  const { t } = useTranslation("designer");
  const current = value ?? {};
  const Field = multiline ? Input.TextArea : Input;
  return (
    <div className="fd-bilingual">
      <Field
        id={`${idPrefix}-zh`}
        value={current.zh ?? ""}
        maxLength={maxLength}
        placeholder={t("props.chinese")}
        onChange={(event) => onChange({ ...current, zh: event.target.value })}
        addonBefore={multiline ? undefined : "中"}
        aria-label={t("props.chinese")}
        {...(multiline ? { autoSize: { minRows: 2, maxRows: 6 } } : {})}
      />
      <Field
        id={`${idPrefix}-en`}
        value={current.en ?? ""}
        maxLength={maxLength}
        placeholder={t("props.english")}
        onChange={(event) => onChange({ ...current, en: event.target.value })}
        addonBefore={multiline ? undefined : "EN"}
        aria-label={t("props.english")}
        {...(multiline ? { autoSize: { minRows: 2, maxRows: 6 } } : {})}
      />
    </div>
  );
}
