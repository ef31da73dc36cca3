// Sub-table: an editable grid on desktop (a column per field), one card per row on a
// phone. Rows are added/removed within minItems/maxItems.
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Table, Tooltip } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export interface TableColumn {
  name: string;
  label: string;
  required: boolean;
  /** Column width in pixels (the grid scrolls sideways when the columns need more room). */
  width: number;
}

export interface TableWidgetProps {
  id: string;
  label: string;
  columns: TableColumn[];
  rowCount: number;
  renderCell: (name: string, index: number) => ReactNode;
  onAdd: () => void;
  onRemove: (index: number) => void;
  minItems: number;
  maxItems: number;
  addLabel?: string;
  device: "desktop" | "phone";
  readOnly: boolean;
}

export function TableWidget(props: TableWidgetProps) {
  const { t } = useTranslation("renderer");
  const { id, label, columns, rowCount, renderCell, onAdd, onRemove, minItems, maxItems, device, readOnly } = props;
  const canAdd = !readOnly && rowCount < maxItems;
  const canRemove = !readOnly && rowCount > minItems;
  const rows = Array.from({ length: rowCount }, (_, index) => index);
  const removeButton = (index: number) => (
    <Tooltip title={canRemove ? undefined : t("table.minReached", { min: minItems })}>
      <Button
        type="text"
        danger
        size="small"
        icon={<DeleteOutlined />}
        disabled={!canRemove}
        onClick={() => onRemove(index)}
        aria-label={t("table.removeRow", { index: index + 1 })}
        data-testid={`remove-row-${index}`}
      />
    </Tooltip>
  );
  const footer = readOnly ? null : (
    <div className="qb-fr-table-footer">
      <Button icon={<PlusOutlined />} onClick={onAdd} disabled={!canAdd} data-testid={`add-row-${id}`}>
        {props.addLabel || t("table.addRow")}
      </Button>
      <span className="qb-fr-hint">
        {maxItems < 500 ? t("table.limit", { count: rowCount, max: maxItems }) : t("table.count", { count: rowCount })}
      </span>
    </div>
  );

  if (device === "phone") {
    return (
      <div className="qb-fr-table-cards" id={id} role="group" aria-label={label}>
        {rows.length === 0 && <div className="qb-fr-table-empty">{t("table.empty")}</div>}
        {rows.map((index) => (
          <section className="qb-fr-row-card" key={index} aria-label={t("table.row", { index: index + 1 })}>
            <header>
              <span>{t("table.row", { index: index + 1 })}</span>
              {!readOnly && removeButton(index)}
            </header>
            {columns.map((column) => (
              <div className="qb-fr-row-field" key={column.name}>
                <div className="qb-fr-row-label">
                  {column.required && !readOnly && (
                    <span className="qb-fr-required" aria-hidden>
                      *
                    </span>
                  )}
                  {column.label}
                </div>
                {renderCell(column.name, index)}
              </div>
            ))}
          </section>
        ))}
        {footer}
      </div>
    );
  }

  return (
    <div className="qb-fr-table" id={id} role="group" aria-label={label}>
      <Table<number>
        size="small"
        bordered
        pagination={false}
        dataSource={rows}
        rowKey={(index) => String(index)}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: <span className="qb-fr-table-empty">{t("table.empty")}</span> }}
        columns={[
          { key: "#", title: t("table.index"), width: 56, align: "center", render: (_, index) => index + 1 },
          ...columns.map((column) => ({
            key: column.name,
            title: (
              <span>
                {column.required && !readOnly && (
                  <span className="qb-fr-required" aria-hidden>
                    *
                  </span>
                )}
                {column.label}
              </span>
            ),
            width: column.width,
            render: (_: unknown, index: number) => renderCell(column.name, index),
          })),
          ...(readOnly
            ? []
            : [{ key: "actions", title: t("table.actions"), width: 64, align: "center" as const, render: (_: unknown, index: number) => removeButton(index) }]),
        ]}
      />
      {footer}
    </div>
  );
}
