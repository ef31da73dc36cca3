import { Checkbox, Radio, Select } from "antd";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { OptionDef } from "../../schema/form";
import { fieldOptions, isArrayField } from "../lib/fields";
import type { WidgetProps } from "./types";
import { usePlaceholder } from "./use-placeholder";

interface Choice {
  value: string;
  label: string;
  disabled?: boolean;
}

/** Options offered: enabled ones, plus disabled or unknown codes that are already the value. */
export function useChoices(props: Pick<WidgetProps, "field" | "dictionary" | "value">): Choice[] {
  const { t, i18n } = useTranslation("renderer");
  const options: OptionDef[] = fieldOptions(props.field, props.dictionary) ?? [];
  const chosen = new Set(
    Array.isArray(props.value) ? props.value.filter((v): v is string => typeof v === "string") : typeof props.value === "string" ? [props.value] : [],
  );
  const out: Choice[] = [];
  for (const option of options) {
    const label = localized(option.label, i18n.language) || option.code;
    if (option.enabled === false) {
      if (chosen.has(option.code)) out.push({ value: option.code, label: t("field.disabledOption", { label }) });
      continue;
    }
    out.push({ value: option.code, label });
  }
  const known = new Set(options.map((o) => o.code));
  for (const code of chosen) if (!known.has(code)) out.push({ value: code, label: t("field.unknownOption", { code }) });
  return out;
}

/** The label of a code (read-only display). */
export function choiceLabel(props: Pick<WidgetProps, "field" | "dictionary">, code: string, language: string): string {
  const option = (fieldOptions(props.field, props.dictionary) ?? []).find((o) => o.code === code);
  return option ? localized(option.label, language) || code : code;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function SelectWidget(props: WidgetProps) {
  const { id, ui, value, onChange, status, ariaLabel, field, device } = props;
  const placeholder = usePlaceholder(ui, "select");
  const choices = useChoices(props);
  const multiple = field["x-type"] === "multi_select";
  const direction = ui.direction === "horizontal" ? "horizontal" : ui.direction === "vertical" ? "vertical" : undefined;
  if (field["x-type"] === "radio" || ui.widget === "radio") {
    return (
      <Radio.Group
        id={id}
        aria-label={ariaLabel}
        className={`qb-fr-choices${(direction ?? (device === "phone" ? "vertical" : "horizontal")) === "vertical" ? " is-vertical" : ""}`}
        value={typeof value === "string" ? value : undefined}
        onChange={(event) => onChange(event.target.value as string)}
        options={choices}
      />
    );
  }
  return (
    <Select
      id={id}
      className="qb-fr-select"
      mode={multiple ? "multiple" : undefined}
      value={multiple ? stringList(value) : typeof value === "string" ? value : undefined}
      onChange={(next: string | string[] | undefined) => onChange(next)}
      options={choices}
      status={status}
      placeholder={placeholder}
      aria-label={ariaLabel}
      allowClear
      showSearch={{ optionFilterProp: "label" }}
      maxTagCount={device === "phone" ? "responsive" : undefined}
    />
  );
}

export function CheckboxWidget(props: WidgetProps) {
  const { id, value, onChange, field, ariaLabel, ui, device } = props;
  const { t } = useTranslation("renderer");
  const choices = useChoices(props);
  if (!isArrayField(field)) {
    return (
      <Checkbox id={id} aria-label={ariaLabel} checked={value === true} onChange={(event) => onChange(event.target.checked ? true : false)}>
        {t("field.yes")}
      </Checkbox>
    );
  }
  const vertical = ui.direction === "vertical" || (ui.direction === undefined && device === "phone");
  return (
    <Checkbox.Group
      aria-label={ariaLabel}
      className={`qb-fr-choices${vertical ? " is-vertical" : ""}`}
      value={stringList(value)}
      onChange={(next) => onChange(next as string[])}
      options={choices}
    />
  );
}
