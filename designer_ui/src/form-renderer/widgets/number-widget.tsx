import { InputNumber } from "antd";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import { currencySymbol, decimalPlaces } from "../lib/fields";
import type { WidgetProps } from "./types";
import { usePlaceholder } from "./use-placeholder";

/** number (x-precision, x-unit) and money (currency prefix, 2 decimals). */
export function NumberWidget({ id, field, ui, value, onChange, status, ariaLabel }: WidgetProps) {
  const { i18n } = useTranslation();
  const placeholder = usePlaceholder(ui, "input");
  const money = field["x-type"] === "money";
  const places = decimalPlaces(field);
  const unit = localized(field["x-unit"], i18n.language);
  return (
    <InputNumber<number>
      id={id}
      className="qb-fr-number"
      value={typeof value === "number" ? value : null}
      onChange={(next) => onChange(typeof next === "number" && Number.isFinite(next) ? next : undefined)}
      precision={places ?? undefined}
      prefix={money ? currencySymbol(field["x-currency"] ?? "CNY") : undefined}
      suffix={!money && unit ? unit : undefined}
      status={status}
      placeholder={placeholder}
      aria-label={ariaLabel}
      inputMode="decimal"
      keyboard
      controls={false}
    />
  );
}
