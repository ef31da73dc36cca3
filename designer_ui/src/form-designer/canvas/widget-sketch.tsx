import { CalendarOutlined, DownOutlined, PaperClipOutlined, PictureOutlined, UserOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { FieldSchema, FieldUi } from "../../schema/form";

/** A light drawing of the field's input on the canvas (the preview uses the real renderer). */
export function WidgetSketch({ field, ui }: { field: FieldSchema; ui: FieldUi | undefined }) {
  const { t } = useTranslation("designer");
  const type = field["x-type"];
  const choosing = ["select", "multi_select", "user", "department", "date", "datetime"].includes(type);
  const placeholder = localized(ui?.placeholder) || (choosing ? t("canvas.choose") : t("canvas.placeholder"));
  if (type === "description") {
    return <div className="fd-sketch-text">{localized(field["x-content"])}</div>;
  }
  if (type === "radio" || (type === "checkbox" && field["x-options"])) {
    const options = field["x-options"] ?? [];
    return (
      <div className="fd-sketch-options">
        {options.slice(0, 4).map((option) => (
          <span key={option.code} className="fd-sketch-option">
            <span className={type === "radio" ? "fd-sketch-radio" : "fd-sketch-check"} />
            {localized(option.label) || option.code}
          </span>
        ))}
        {field["x-dictionary"] && <span className="fd-sketch-muted">{t("canvas.fromDictionary")}</span>}
      </div>
    );
  }
  if (type === "checkbox") {
    return (
      <div className="fd-sketch-options">
        <span className="fd-sketch-option">
          <span className="fd-sketch-check" />
          {localized(field["x-label"])}
        </span>
      </div>
    );
  }
  const suffix =
    type === "select" || type === "multi_select" ? <DownOutlined /> :
    type === "date" || type === "datetime" || type === "date_range" ? <CalendarOutlined /> :
    type === "user" || type === "department" ? <UserOutlined /> :
    type === "attachment" ? <PaperClipOutlined /> :
    type === "image" ? <PictureOutlined /> : null;
  const text =
    type === "date_range" ? t("canvas.dateRange") :
    type === "computed" ? t("canvas.computed") :
    type === "signature" ? t("canvas.signature") :
    type === "attachment" || type === "image" ? t("canvas.upload") :
    type === "money" ? `¥ ${placeholder}` : placeholder;
  return (
    <div className={type === "textarea" ? "fd-sketch fd-sketch-tall" : "fd-sketch"} aria-hidden="true">
      <span className="fd-sketch-muted">{text}</span>
      {suffix}
    </div>
  );
}
