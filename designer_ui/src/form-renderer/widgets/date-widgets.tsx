import { DatePicker } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";

import { isRecord } from "../lib/fields";
import { isDate, isDateTime } from "../lib/validate";
import type { WidgetProps } from "./types";
import { usePlaceholder } from "./use-placeholder";

const DATE_FORMAT = "YYYY-MM-DD";

function parseDate(value: unknown): Dayjs | null {
  return typeof value === "string" && isDate(value) ? dayjs(value, DATE_FORMAT) : null;
}

/** "YYYY-MM-DD" strings. */
export function DateWidget({ id, ui, value, onChange, status, ariaLabel, device }: WidgetProps) {
  const placeholder = usePlaceholder(ui, "date");
  return (
    <DatePicker
      id={id}
      className="qb-fr-picker"
      value={parseDate(value)}
      onChange={(date) => onChange(date ? date.format(DATE_FORMAT) : undefined)}
      format={DATE_FORMAT}
      status={status}
      placeholder={placeholder}
      aria-label={ariaLabel}
      inputReadOnly={device === "phone"}
    />
  );
}

/** RFC 3339 with the browser's offset: "2026-11-28T10:00:00+08:00". */
export function DateTimeWidget({ id, ui, value, onChange, status, ariaLabel, device }: WidgetProps) {
  const placeholder = usePlaceholder(ui, "datetime");
  const current = typeof value === "string" && isDateTime(value) ? dayjs(value) : null;
  return (
    <DatePicker
      id={id}
      className="qb-fr-picker"
      showTime={{ format: "HH:mm" }}
      format="YYYY-MM-DD HH:mm"
      value={current}
      onChange={(date) => onChange(date ? date.second(0).millisecond(0).format("YYYY-MM-DDTHH:mm:ssZ") : undefined)}
      status={status}
      placeholder={placeholder}
      aria-label={ariaLabel}
      inputReadOnly={device === "phone"}
    />
  );
}

/** {start, end} of "YYYY-MM-DD" strings. */
export function DateRangeWidget({ id, value, onChange, status, ariaLabel, device }: WidgetProps) {
  const { t } = useTranslation("renderer");
  const range = isRecord(value) ? value : {};
  const start = parseDate(range.start);
  const end = parseDate(range.end);
  if (device === "phone") {
    // Two one-month pickers: the two-month range panel is wider than a phone.
    const set = (part: "start" | "end", date: Dayjs | null) => {
      const next: Record<string, string> = {};
      const other = part === "start" ? end : start;
      if (date) next[part] = date.format(DATE_FORMAT);
      if (other) next[part === "start" ? "end" : "start"] = other.format(DATE_FORMAT);
      onChange(Object.keys(next).length ? next : undefined);
    };
    return (
      <div className="qb-fr-range-phone" role="group" aria-label={ariaLabel}>
        <DatePicker
          id={id}
          className="qb-fr-picker"
          value={start}
          onChange={(date) => set("start", date)}
          format={DATE_FORMAT}
          status={status}
          placeholder={t("placeholder.start")}
          inputReadOnly
          maxDate={end ?? undefined}
        />
        <span className="qb-fr-range-sep" aria-hidden>
          ~
        </span>
        <DatePicker
          id={`${id}-end`}
          className="qb-fr-picker"
          value={end}
          onChange={(date) => set("end", date)}
          format={DATE_FORMAT}
          status={status}
          placeholder={t("placeholder.end")}
          inputReadOnly
          minDate={start ?? undefined}
        />
      </div>
    );
  }
  return (
    <DatePicker.RangePicker
      id={{ start: id, end: `${id}-end` }}
      className="qb-fr-picker qb-fr-range"
      value={start || end ? [start, end] : null}
      onChange={(dates) => {
        const [a, b] = dates ?? [null, null];
        if (!a && !b) return onChange(undefined);
        const next: Record<string, string> = {};
        if (a) next.start = a.format(DATE_FORMAT);
        if (b) next.end = b.format(DATE_FORMAT);
        onChange(next);
      }}
      format={DATE_FORMAT}
      status={status}
      placeholder={[t("placeholder.start"), t("placeholder.end")]}
      aria-label={ariaLabel}
    />
  );
}
