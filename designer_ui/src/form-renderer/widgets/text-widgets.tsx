import { Input } from "antd";

import type { WidgetProps } from "./types";
import { usePlaceholder } from "./use-placeholder";

export function TextWidget({ id, field, ui, value, onChange, status, ariaLabel }: WidgetProps) {
  const placeholder = usePlaceholder(ui, "input");
  const max = typeof field.maxLength === "number" ? field.maxLength : undefined;
  return (
    <Input
      id={id}
      value={typeof value === "string" ? value : value === undefined || value === null ? "" : String(value)}
      onChange={(event) => onChange(event.target.value)}
      maxLength={max}
      status={status}
      placeholder={placeholder}
      aria-label={ariaLabel}
      inputMode={field.format === "email" ? "email" : undefined}
      allowClear
    />
  );
}

export function TextAreaWidget({ id, field, ui, value, onChange, status, ariaLabel, compact }: WidgetProps) {
  const placeholder = usePlaceholder(ui, "input");
  const max = typeof field.maxLength === "number" ? field.maxLength : undefined;
  const rows = typeof ui.rows === "number" && ui.rows > 0 ? ui.rows : compact ? 1 : 3;
  return (
    <Input.TextArea
      id={id}
      value={typeof value === "string" ? value : ""}
      onChange={(event) => onChange(event.target.value)}
      maxLength={max}
      showCount={!compact && max !== undefined && max <= 2000}
      status={status}
      placeholder={placeholder}
      aria-label={ariaLabel}
      autoSize={{ minRows: rows, maxRows: Math.max(rows, 12) }}
    />
  );
}
