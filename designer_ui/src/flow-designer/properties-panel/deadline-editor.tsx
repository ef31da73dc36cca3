// The deadline of a task node: the form field whose date the task is due at, and an
// optional reminder to the assignee some hours before. The server sets the due time when
// the task opens and tells the assignee and the initiator once it has passed.
import { InputNumber, Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { fieldOrder, type DesignerModel } from "../../form-designer/model";
import { localized } from "../../i18n";
import type { FieldSchema } from "../../schema/form";
import type { Deadline } from "../../schema/flow";
import { useFlowEnv } from "../context";

/** Whether a field's value is a date the server can take a due time from (its value_kind
 * is date, datetime or date_range; a computed field counts by its declared format). */
export function isDeadlineField(field: FieldSchema): boolean {
  switch (field["x-type"]) {
    case "date":
    case "datetime":
    case "date_range":
      return true;
    case "computed":
      return field.type === "string" && (field.format === "date" || field.format === "date-time");
    default:
      return false;
  }
}

/** The top-level fields a deadline may name, in the form's order, as Select options. */
export function deadlineFieldOptions(form: DesignerModel): { value: string; label: string }[] {
  return fieldOrder(form).flatMap((key) => {
    const field = form.fields[key];
    return field && isDeadlineField(field) ? [{ value: key, label: localized(field["x-label"]) || key }] : [];
  });
}

/** The deadline without its unset optional keys (the stored config holds only what was chosen). */
function without(deadline: Deadline): Deadline {
  const { field, remind_before_hours: hours, start_field: start } = deadline;
  return { field, ...(hours ? { remind_before_hours: hours } : {}), ...(start ? { start_field: start } : {}) };
}

export function DeadlineEditor({ value, onChange }: {
  value: Deadline | undefined;
  /** `undefined` removes the deadline; `mergeKey` folds typing into one undo step. */
  onChange: (deadline: Deadline | undefined, mergeKey?: string) => void;
}) {
  const { t } = useTranslation("flow");
  const { form } = useFlowEnv();
  const options = deadlineFieldOptions(form);
  // A field deleted from the form (or changed to another type) stays visible so it can be
  // cleared; the server's verifier reports it on the node.
  if (value?.field && !options.some((option) => option.value === value.field)) {
    options.push({ value: value.field, label: localized(form.fields[value.field]?.["x-label"]) || value.field });
  }
  if (!options.length) {
    return <div className="fl-empty-hint" data-testid="deadline-no-fields">{t("deadline.noFields")}</div>;
  }
  return (
    <Space orientation="vertical" size={8} className="fl-full" data-testid="deadline">
      <Select className="fl-full" allowClear showSearch={{ optionFilterProp: "label" }} value={value?.field || undefined} options={options}
        placeholder={t("deadline.pickField")} aria-label={t("deadline.field")} data-testid="deadline-field"
        onChange={(field: string | undefined) => onChange(field ? { ...value, field } : undefined)} />
      {value?.field && (
        <Space size={8}>
          <span>{t("deadline.remindBefore")}</span>
          <InputNumber min={1} max={24 * 365} value={value.remind_before_hours} placeholder={t("deadline.noReminder")}
            onChange={(hours) => onChange(without({ ...value, remind_before_hours: hours ?? undefined }), "deadline.remind")}
            suffix={t("timer.unitHours")} style={{ width: 150 }} aria-label={t("deadline.remindBeforeHours")} data-testid="deadline-remind" />
        </Space>
      )}
      {value?.field && (
        <Select className="fl-full" allowClear showSearch={{ optionFilterProp: "label" }} value={value.start_field || undefined}
          options={options.filter((option) => option.value !== value.field)} placeholder={t("deadline.pickStart")}
          aria-label={t("deadline.startField")} data-testid="deadline-start"
          onChange={(start: string | undefined) => onChange(without({ ...value, start_field: start }))} />
      )}
      <Typography.Text type="secondary" className="fl-row-hint" data-testid="deadline-hint">{t("deadline.hint")}</Typography.Text>
    </Space>
  );
}
