import { useTranslation } from "react-i18next";

import { APP_ICONS, AppIcon } from "../../../components/app-icon";

/** The app icon as a radio group of the fixed icon names (keyboard: Tab to the group, arrows to move). */
export function IconPicker({
  value,
  onChange,
  name,
  disabled = false,
}: {
  value?: string;
  onChange?: (value: string) => void;
  name: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation("apps");
  const names = Object.keys(APP_ICONS);
  const current = value && names.includes(value) ? value : "app";
  const move = (delta: number) => {
    const index = names.indexOf(current);
    const next = names[(index + delta + names.length) % names.length];
    if (next) onChange?.(next);
  };
  return (
    <div
      role="radiogroup"
      aria-label={t("fields.icon")}
      className="qb-apps-icon-picker"
      aria-disabled={disabled}
      onKeyDown={(event) => {
        if (disabled) return;
        if (event.key === "ArrowRight" || event.key === "ArrowDown") {
          event.preventDefault();
          move(1);
        } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
          event.preventDefault();
          move(-1);
        }
      }}
    >
      {names.map((icon) => {
        const checked = icon === current;
        return (
          <button
            key={icon}
            type="button"
            role="radio"
            aria-checked={checked}
            aria-label={t(`icons.${icon}`, { defaultValue: icon })}
            title={t(`icons.${icon}`, { defaultValue: icon })}
            tabIndex={checked ? 0 : -1}
            className={checked ? "qb-apps-icon-option is-checked" : "qb-apps-icon-option"}
            disabled={disabled}
            onClick={() => onChange?.(icon)}
            ref={(element) => {
              if (checked && element && element.ownerDocument.activeElement?.closest(".qb-apps-icon-picker")) element.focus();
            }}
            data-icon={icon}
          >
            <AppIcon icon={icon} name={name || icon} size={32} />
          </button>
        );
      })}
    </div>
  );
}
