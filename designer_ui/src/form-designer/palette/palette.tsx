import { useDraggable } from "@dnd-kit/core";
import { Typography } from "antd";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { PaletteEntry } from "../commands";
import { paletteId, type DragData } from "../dnd";
import { FIELD_TYPES, fieldTypeUi, PALETTE_GROUPS } from "../field-types";
import { FieldTypeIcon } from "../field-types/icons";

function PaletteItem({ entry, onAdd }: { entry: PaletteEntry; onAdd: (type: string) => void }) {
  const { t } = useTranslation("designer");
  const data: DragData = { kind: "palette", type: entry.type };
  const { setNodeRef, listeners, attributes, isDragging } = useDraggable({ id: paletteId(entry.type), data });
  const label = localized(entry.label);
  return (
    <button
      type="button"
      ref={setNodeRef}
      // Pointer dragging only: Enter/Space on the button adds the field (the keyboard way).
      onPointerDown={listeners?.onPointerDown as React.PointerEventHandler<HTMLButtonElement> | undefined}
      aria-describedby={attributes["aria-describedby"]}
      className={isDragging ? "fd-palette-item fd-dragging" : "fd-palette-item"}
      onClick={() => onAdd(entry.type)}
      title={t("palette.addHint", { label })}
      data-testid={`palette-${entry.type}`}
    >
      <FieldTypeIcon name={fieldTypeUi(entry.type).icon} />
      <span>{label}</span>
    </button>
  );
}

export function Palette({ palette, onAdd }: { palette: PaletteEntry[]; onAdd: (type: string) => void }) {
  const { t } = useTranslation("designer");
  const known = palette.filter((entry) => entry.type in FIELD_TYPES);
  return (
    <nav className="fd-palette" aria-label={t("palette.title")}>
      <Typography.Text type="secondary" className="fd-palette-hint">
        {t("palette.hint")}
      </Typography.Text>
      {PALETTE_GROUPS.map((group) => {
        const entries = known.filter((entry) => fieldTypeUi(entry.type).group === group);
        if (!entries.length) return null;
        return (
          <section key={group} className="fd-palette-group">
            <h3>{t(`palette.groups.${group}`)}</h3>
            <div className="fd-palette-grid">
              {entries.map((entry) => (
                <PaletteItem key={entry.type} entry={entry} onAdd={onAdd} />
              ))}
            </div>
          </section>
        );
      })}
    </nav>
  );
}
