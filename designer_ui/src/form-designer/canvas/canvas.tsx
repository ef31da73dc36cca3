import { useDroppable } from "@dnd-kit/core";
import { rectSortingStrategy, SortableContext } from "@dnd-kit/sortable";
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Segmented, Tooltip } from "antd";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import { addSection, moveSection, removeSection, updateSection } from "../commands";
import { useDesigner, useDesignerEnv } from "../context";
import { fieldId, sectionId, type DropData } from "../dnd";
import { fieldTypeUi } from "../field-types";
import type { SectionModel } from "../model";
import { FieldCard } from "./field-card";
import "./canvas.css";

function SectionBlock({ section, index, count, phone }: { section: SectionModel; index: number; count: number; phone: boolean }) {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const fields = useDesigner((state) => state.model.fields);
  const selected = useDesigner((state) => state.selection?.kind === "section" && state.selection.id === section.id);
  const data: DropData = { kind: "section", sectionId: section.id };
  const { setNodeRef, isOver } = useDroppable({ id: sectionId(section.id), data });
  const columns = phone ? 1 : section.columns;
  const title = localized(section.title);
  return (
    <section
      className={["fd-section", selected ? "fd-selected" : "", isOver ? "fd-over" : ""].join(" ")}
      aria-label={title || t("canvas.untitledSection")}
      data-testid={`section-${index}`}
    >
      <header
        className="fd-section-head"
        onClick={(event) => {
          event.stopPropagation();
          store.getState().select({ kind: "section", id: section.id });
        }}
      >
        <button type="button" className={title ? "fd-section-title" : "fd-section-title fd-muted"}>
          {title || t("canvas.untitledSection")}
        </button>
        <Segmented
          size="small"
          value={section.columns}
          onChange={(value) => store.getState().run("columns", (model) => updateSection(model, section.id, { columns: value as 1 | 2 | 3 }))}
          options={[
            { label: t("canvas.columns", { count: 1 }), value: 1 },
            { label: t("canvas.columns", { count: 2 }), value: 2 },
            { label: t("canvas.columns", { count: 3 }), value: 3 },
          ]}
          aria-label={t("canvas.columnsLabel")}
        />
        <span className="fd-section-actions">
          <Tooltip title={t("canvas.sectionUp")}>
            <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t("canvas.sectionUp")}
              onClick={(event) => { event.stopPropagation(); store.getState().run("move section", (model) => moveSection(model, section.id, -1)); }} />
          </Tooltip>
          <Tooltip title={t("canvas.sectionDown")}>
            <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === count - 1} aria-label={t("canvas.sectionDown")}
              onClick={(event) => { event.stopPropagation(); store.getState().run("move section", (model) => moveSection(model, section.id, 1)); }} />
          </Tooltip>
          <Tooltip title={t("canvas.sectionDelete")}>
            <Button size="small" type="text" danger icon={<DeleteOutlined />} disabled={count <= 1} aria-label={t("canvas.sectionDelete")}
              onClick={(event) => { event.stopPropagation(); store.getState().run("delete section", (model) => removeSection(model, section.id), { select: null }); }} />
          </Tooltip>
        </span>
      </header>
      <div ref={setNodeRef} className="fd-section-body" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
        <SortableContext items={section.fields.map(fieldId)} strategy={rectSortingStrategy}>
          {section.fields.map((key) => {
            const field = fields[key];
            const wide = field ? fieldTypeUi(field["x-type"]).wide : false;
            return <FieldCard key={key} fieldKey={key} sectionKey={section.id} span={wide ? columns : 1} />;
          })}
        </SortableContext>
        {section.fields.length === 0 && (
          <div className="fd-section-empty" style={{ gridColumn: `span ${columns}` }}>
            {t("canvas.dropHere")}
          </div>
        )}
      </div>
    </section>
  );
}

export function Canvas({ phone = false }: { phone?: boolean }) {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const sections = useDesigner((state) => state.model.sections);
  const title = useDesigner((state) => state.model.title);
  const formSelected = useDesigner((state) => state.selection?.kind === "form");
  const fieldCount = useDesigner((state) => Object.keys(state.model.fields).length);
  return (
    <div className="fd-canvas" onClick={() => store.getState().select(null)} data-testid="canvas">
      <div className="fd-paper">
        <button
          type="button"
          className={formSelected ? "fd-form-title fd-selected" : "fd-form-title"}
          onClick={(event) => {
            event.stopPropagation();
            store.getState().select({ kind: "form" });
          }}
        >
          {localized(title) || t("canvas.untitledForm")}
        </button>
        {fieldCount === 0 && <p className="fd-canvas-hint">{t("canvas.emptyHint")}</p>}
        {sections.map((section, index) => (
          <SectionBlock key={section.id} section={section} index={index} count={sections.length} phone={phone} />
        ))}
        <Button
          type="dashed"
          block
          icon={<PlusOutlined />}
          className="fd-add-section"
          onClick={(event) => {
            event.stopPropagation();
            let id = "";
            store.getState().run("add section", (model) => {
              const result = addSection(model, { zh: t("canvas.newSectionZh"), en: t("canvas.newSectionEn") });
              id = result.id;
              return result.model;
            });
            store.getState().select({ kind: "section", id });
          }}
        >
          {t("canvas.addSection")}
        </Button>
      </div>
    </div>
  );
}
