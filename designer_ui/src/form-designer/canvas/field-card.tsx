import { useDroppable } from "@dnd-kit/core";
import { horizontalListSortingStrategy, SortableContext, useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import {
  ArrowDownOutlined,
  BookOutlined,
  ArrowUpOutlined,
  CopyOutlined,
  DeleteOutlined,
  EyeInvisibleOutlined,
  FunctionOutlined,
  HolderOutlined,
  PlusOutlined,
} from "@ant-design/icons";
import { App as AntApp, Button, Dropdown, Tooltip } from "antd";
import type { KeyboardEvent, MouseEvent } from "react";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { FieldSchema } from "../../schema/form";
import { addColumn, duplicateField, moveField, removeField } from "../commands";
import { paletteEntry, useDesigner, useDesignerEnv } from "../context";
import { columnId, fieldId, tableId, type DragData, type DropData } from "../dnd";
import { fieldTypeUi } from "../field-types";
import { FieldTypeIcon } from "../field-types/icons";
import { columnsOf, isRequired, refPath, sectionOf, type FieldRef } from "../model";
import { fieldsReading } from "../references";
import { WidgetSketch } from "./widget-sketch";

function stop(event: MouseEvent | KeyboardEvent) {
  event.stopPropagation();
}

function FieldBadges({ field }: { field: FieldSchema }) {
  const { t } = useTranslation("designer");
  return (
    <span className="fd-badges">
      {field["x-visible-if"] !== undefined && (
        <Tooltip title={t("canvas.hasVisibleIf")}>
          <EyeInvisibleOutlined aria-label={t("canvas.hasVisibleIf")} />
        </Tooltip>
      )}
      {field["x-required-if"] !== undefined && (
        <Tooltip title={t("canvas.hasRequiredIf")}>
          <span className="fd-badge-text" aria-label={t("canvas.hasRequiredIf")}>
            *?
          </span>
        </Tooltip>
      )}
      {field["x-compute"] !== undefined && field["x-type"] !== "computed" && (
        <Tooltip title={t("canvas.hasCompute")}>
          <FunctionOutlined aria-label={t("canvas.hasCompute")} />
        </Tooltip>
      )}
      {field["x-dictionary"] && (
        <Tooltip title={t("canvas.dictionary", { key: field["x-dictionary"] })}>
          <BookOutlined className="fd-dict-icon" aria-label={t("canvas.dictionary", { key: field["x-dictionary"] })} />
        </Tooltip>
      )}
    </span>
  );
}

function ColumnChip({ table, column, field }: { table: string; column: string; field: FieldSchema }) {
  const { t } = useTranslation("designer");
  const { store, issues } = useDesignerEnv();
  const selection = useDesigner((state) => state.selection);
  const required = useDesigner((state) => isRequired(state.model, { key: table, column }));
  const data: DragData & DropData = { kind: "column", table, column };
  const { setNodeRef, listeners, transform, transition, isDragging } = useSortable({ id: columnId(table, column), data });
  const selected = selection?.kind === "field" && selection.ref.key === table && selection.ref.column === column;
  const problems = issues.get(`${table}.${column}`) ?? [];
  return (
    <div
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={["fd-column", selected ? "fd-selected" : "", isDragging ? "fd-dragging" : "", problems.length ? "fd-has-issue" : ""].join(" ")}
      role="button"
      tabIndex={0}
      aria-label={t("canvas.columnLabel", { label: localized(field["x-label"]) || column })}
      onClick={(event) => {
        stop(event);
        store.getState().select({ kind: "field", ref: { key: table, column } });
      }}
      onKeyDown={(event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          stop(event);
          store.getState().select({ kind: "field", ref: { key: table, column } });
        }
      }}
      data-testid={`column-${table}-${column}`}
    >
      {/* The chip itself is the button (select; the column's arrows in the panel move it), so the
          handle is only a pointer grip: no role or tabindex of its own, or it would be a control
          nested in a control. */}
      <span className="fd-drag-handle" {...listeners} aria-hidden="true">
        <HolderOutlined />
      </span>
      <FieldTypeIcon name={fieldTypeUi(field["x-type"]).icon} />
      <span className="fd-column-label">
        {required && <span className="fd-required">*</span>}
        {localized(field["x-label"]) || column}
      </span>
      {problems[0] && <span className="fd-issue-text">{problems[0].message}</span>}
    </div>
  );
}

function TableColumns({ table, field }: { table: string; field: FieldSchema }) {
  const { t } = useTranslation("designer");
  const { store, palette } = useDesignerEnv();
  const columns = Object.entries(columnsOf(field));
  const data: DropData = { kind: "table", table };
  const { setNodeRef, isOver } = useDroppable({ id: tableId(table), data });
  const addable = palette.filter((entry) => entry.capabilities.column_allowed);
  return (
    <div ref={setNodeRef} className={isOver ? "fd-table-columns fd-over" : "fd-table-columns"} data-testid={`table-drop-${table}`}>
      <SortableContext items={columns.map(([column]) => columnId(table, column))} strategy={horizontalListSortingStrategy}>
        {columns.map(([column, columnField]) => (
          <ColumnChip key={column} table={table} column={column} field={columnField} />
        ))}
      </SortableContext>
      {columns.length === 0 && <span className="fd-table-empty">{t("canvas.tableEmpty")}</span>}
      <Dropdown
        trigger={["click"]}
        menu={{
          style: { maxHeight: 360, overflowY: "auto" },
          items: addable.map((entry) => ({
            key: entry.type,
            icon: <FieldTypeIcon name={fieldTypeUi(entry.type).icon} />,
            label: localized(entry.label),
            onClick: ({ domEvent }) => {
              domEvent.stopPropagation();
              const type = paletteEntry(palette, entry.type);
              if (!type) return;
              let column = "";
              store.getState().run("add column", (model) => {
                const result = addColumn(model, table, type);
                column = result.column;
                return result.model;
              });
              store.getState().select({ kind: "field", ref: { key: table, column } });
            },
          })),
        }}
      >
        <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={stop} data-testid={`add-column-${table}`}>
          {t("canvas.addColumn")}
        </Button>
      </Dropdown>
    </div>
  );
}

export function FieldCard({ fieldKey, sectionKey, span }: { fieldKey: string; sectionKey: string; span: number }) {
  const { t } = useTranslation("designer");
  const { message } = AntApp.useApp();
  const { store, issues } = useDesignerEnv();
  const field = useDesigner((state) => state.model.fields[fieldKey]);
  const ui = useDesigner((state) => state.model.ui[fieldKey]);
  const required = useDesigner((state) => state.model.required.includes(fieldKey));
  const selection = useDesigner((state) => state.selection);
  const data: DragData & DropData = { kind: "field", key: fieldKey, sectionId: sectionKey };
  const { setNodeRef, attributes, listeners, transform, transition, isDragging } = useSortable({ id: fieldId(fieldKey), data });
  if (!field) return null;
  const ref: FieldRef = { key: fieldKey };
  const selected = selection?.kind === "field" && selection.ref.key === fieldKey && !selection.ref.column;
  const problems = issues.get(refPath(ref)) ?? [];
  const label = localized(field["x-label"]) || fieldKey;
  const select = () => store.getState().select({ kind: "field", ref });
  const move = (delta: -1 | 1) => {
    store.getState().run("move", (model) => {
      const section = sectionOf(model, fieldKey);
      if (!section) return model;
      const index = section.fields.indexOf(fieldKey);
      const sectionIndex = model.sections.indexOf(section);
      if (delta === -1 && index === 0) {
        const previous = model.sections[sectionIndex - 1];
        return previous ? moveField(model, fieldKey, { sectionId: previous.id, index: previous.fields.length }) : model;
      }
      if (delta === 1 && index === section.fields.length - 1) {
        const following = model.sections[sectionIndex + 1];
        return following ? moveField(model, fieldKey, { sectionId: following.id, index: 0 }) : model;
      }
      return moveField(model, fieldKey, { sectionId: section.id, index: index + (delta === 1 ? 2 : -1) });
    });
  };
  return (
    <div
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition, gridColumn: `span ${span}` }}
      className={["fd-field", selected ? "fd-selected" : "", isDragging ? "fd-dragging" : "", problems.length ? "fd-has-issue" : ""].join(" ")}
      onClick={(event) => {
        stop(event);
        select();
      }}
      data-testid={`field-${fieldKey}`}
      data-field-key={fieldKey}
    >
      <div className="fd-field-head">
        <span className="fd-drag-handle" {...attributes} {...listeners} aria-label={t("canvas.dragHandle", { label })}>
          <HolderOutlined />
        </span>
        <button
          type="button"
          className="fd-field-label"
          onClick={(event) => {
            stop(event);
            select();
          }}
        >
          {required && <span className="fd-required">*</span>}
          {label}
        </button>
        <FieldBadges field={field} />
        <span className="fd-field-key">{fieldKey}</span>
        <span className="fd-field-actions">
          <Tooltip title={t("canvas.moveUp")}>
            <Button size="small" type="text" icon={<ArrowUpOutlined />} aria-label={t("canvas.moveUp")} onClick={(event) => { stop(event); move(-1); }} />
          </Tooltip>
          <Tooltip title={t("canvas.moveDown")}>
            <Button size="small" type="text" icon={<ArrowDownOutlined />} aria-label={t("canvas.moveDown")} onClick={(event) => { stop(event); move(1); }} />
          </Tooltip>
          <Tooltip title={t("canvas.copy")}>
            <Button
              size="small"
              type="text"
              icon={<CopyOutlined />}
              aria-label={t("canvas.copy")}
              onClick={(event) => {
                stop(event);
                let next: FieldRef = ref;
                store.getState().run("copy", (model) => {
                  const result = duplicateField(model, ref);
                  next = result.ref;
                  return result.model;
                });
                store.getState().select({ kind: "field", ref: next });
              }}
            />
          </Tooltip>
          <Tooltip title={t("canvas.delete")}>
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t("canvas.delete")}
              onClick={(event) => {
                stop(event);
                const readers = fieldsReading(store.getState().model, ref);
                store.getState().run("delete", (model) => removeField(model, ref), { select: null });
                if (readers.length) void message.warning(t("canvas.deletedReferenced", { fields: readers.join("、") }));
              }}
            />
          </Tooltip>
        </span>
      </div>
      {field["x-type"] === "table" ? <TableColumns table={fieldKey} field={field} /> : <WidgetSketch field={field} ui={ui} />}
      {problems.map((issue, index) => (
        <div key={index} className="fd-issue-text" role="alert">
          {issue.message}
        </div>
      ))}
    </div>
  );
}
