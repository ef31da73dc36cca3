import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CaretDownOutlined,
  CaretRightOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
  SearchOutlined,
  PlusCircleOutlined,
} from "@ant-design/icons";
import { DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { App, Button, Empty, Input, Switch, Table, type TableColumnsType, Tag, Tooltip, type ButtonProps } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import type { DictionaryEntryDetail, DictionaryOption, DictionaryUsage } from "../../../api/types";
import { errorMessage } from "../../../api/errors";
import { isInUse } from "../lib/errors";
import { displayName } from "../lib/names";
import { moveBy, moveOnto } from "../lib/order";
import { buildTree, type OptionRow, parentOf, siblingCodes, visibleRows } from "../lib/tree";
import { fetchUsage, useDeleteOption, useReorderOptions, useUpdateOption } from "../use-dictionary";
import { InlineText } from "./inline-text";
import { InUseNotice } from "./in-use-notice";
import { OptionFormModal, type OptionFormTarget } from "./option-form-modal";
import { DragHandle, SortableRow } from "./sortable-row";

type Row = OptionRow<DictionaryOption>;

/** Codes whose option or an ancestor is disabled because of an ancestor (own flag on, effective off). */
function disabledByParent(options: readonly DictionaryOption[]): Set<string> {
  const byCode = new Map(options.map((option) => [option.code, option]));
  const result = new Set<string>();
  for (const option of options) {
    const seen = new Set<string>([option.code]);
    let parent = option.parent ? byCode.get(option.parent) : undefined;
    while (parent && !seen.has(parent.code)) {
      if (parent.enabled === false) {
        result.add(option.code);
        break;
      }
      seen.add(parent.code);
      parent = parent.parent ? byCode.get(parent.parent) : undefined;
    }
  }
  return result;
}

export function OptionsPanel({ entry, phone }: { entry: DictionaryEntryDetail; phone: boolean }) {
  const { t, i18n } = useTranslation("dictionary");
  const { message, modal } = App.useApp();
  const tree = entry.kind === "tree";
  const options = entry.options;
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [query, setQuery] = useState("");
  const [target, setTarget] = useState<OptionFormTarget | null>(null);
  const update = useUpdateOption(entry.key);
  const remove = useDeleteOption(entry.key);
  const reorder = useReorderOptions(entry.key);
  const labelOf = (option: DictionaryOption) => displayName(option.label, option.label_en, i18n.language);
  // The name in the other language (shown under the first on phones); "" when there is none.
  const otherLabel = (option: DictionaryOption) => (i18n.language === "en" ? (option.label_en ? option.label : "") : (option.label_en ?? ""));

  const roots = useMemo(() => buildTree(options), [options]);
  const filter = query.trim().toLowerCase();
  const rows = useMemo(() => {
    if (!filter) return visibleRows(roots, (code) => !collapsed.has(code));
    return visibleRows(roots).filter(({ option }) =>
      [option.code, option.label, option.label_en ?? ""].some((text) => text.toLowerCase().includes(filter)),
    );
  }, [roots, collapsed, filter]);
  const inheritedOff = useMemo(() => disabledByParent(options), [options]);
  const parents = useMemo(() => options.filter((option) => options.some((child) => child.parent === option.code)), [options]);
  const canMove = !filter;

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const sendOrder = (codes: string[]) => {
    reorder.mutate(codes, { onError: (error) => message.error(errorMessage(error, t("errors.reorderFailed"))) });
  };

  const move = (code: string, delta: number) => {
    const next = moveBy(siblingCodes(options, parentOf(options, code)), code, delta);
    if (next) sendOrder(next);
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = String(active.id);
    const to = String(over.id);
    const parent = parentOf(options, from);
    if (parent !== parentOf(options, to)) {
      message.info(t("options.sameLevelOnly"));
      return;
    }
    const next = moveOnto(siblingCodes(options, parent), from, to);
    if (next) sendOrder(next);
  };

  const saveLabel = async (option: DictionaryOption, field: "label" | "label_en", value: string) => {
    try {
      await update.mutateAsync({ code: option.code, [field]: value });
    } catch (error) {
      message.error(errorMessage(error, t("errors.saveFailed")));
      throw error;
    }
  };

  const setEnabled = async (option: DictionaryOption, enabled: boolean) => {
    try {
      await update.mutateAsync({ code: option.code, enabled });
      message.success(enabled ? t("options.enabledNow", { label: labelOf(option) }) : t("options.disabledNow", { label: labelOf(option) }));
    } catch (error) {
      message.error(errorMessage(error, t("errors.saveFailed")));
    }
  };

  const showInUse = (option: DictionaryOption, text: string, usage: DictionaryUsage | null) => {
    const canDisable = option.enabled !== false;
    modal.confirm({
      title: t("options.inUseTitle", { label: labelOf(option), code: option.code }),
      content: <InUseNotice text={text} usage={usage} hint={t("options.inUseHint")} />,
      okText: canDisable ? t("options.disableInstead") : t("common:actions.close"),
      okButtonProps: { "data-testid": "disable-instead" } as ButtonProps,
      cancelText: t("common:actions.close"),
      cancelButtonProps: { "data-testid": "in-use-close", ...(canDisable ? {} : { style: { display: "none" } }) } as ButtonProps,
      onOk: canDisable ? () => setEnabled(option, false) : undefined,
    });
  };

  const askDelete = async (option: DictionaryOption) => {
    if (options.some((child) => child.parent === option.code)) {
      modal.info({ title: t("options.hasChildrenTitle", { label: labelOf(option) }), content: t("options.hasChildren") });
      return;
    }
    let usage: DictionaryUsage | null = null;
    try {
      usage = await fetchUsage(entry.key, option.code);
    } catch {
      usage = null; // the server checks again when deleting
    }
    if (usage && usage.total > 0) {
      showInUse(option, t("options.inUseText", { count: usage.total }), usage);
      return;
    }
    modal.confirm({
      title: t("options.deleteTitle", { label: labelOf(option), code: option.code }),
      content: t("options.deleteHint"),
      okText: t("common:actions.delete"),
      okButtonProps: { danger: true, "data-testid": "confirm-delete" } as ButtonProps,
      cancelText: t("common:actions.cancel"),
      onOk: async () => {
        try {
          await remove.mutateAsync(option.code);
          message.success(t("options.deleted", { label: labelOf(option) }));
        } catch (error) {
          if (isInUse(error)) showInUse(option, errorMessage(error, ""), null);
          else modal.error({ title: t("errors.deleteFailed"), content: errorMessage(error, t("errors.deleteFailed")) });
        }
      },
    });
  };

  const toggle = (code: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });

  const moveButtons = (row: Row) => (
    <span className="qb-dict-move">
      <Tooltip title={t("options.moveUp")}>
        <Button
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          disabled={!canMove || row.index === 0}
          onClick={() => move(row.option.code, -1)}
          aria-label={t("options.moveUpLabel", { label: labelOf(row.option) })}
          data-testid={`move-up-${row.option.code}`}
        />
      </Tooltip>
      <Tooltip title={t("options.moveDown")}>
        <Button
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          disabled={!canMove || row.index >= row.siblings - 1}
          onClick={() => move(row.option.code, 1)}
          aria-label={t("options.moveDownLabel", { label: labelOf(row.option) })}
          data-testid={`move-down-${row.option.code}`}
        />
      </Tooltip>
    </span>
  );

  const rowActions = (row: Row) => (
    <span className="qb-dict-row-actions">
      {tree && (
        <Tooltip title={t("options.addChild")}>
          <Button
            size="small"
            type="text"
            icon={<PlusCircleOutlined />}
            onClick={() => setTarget({ parent: row.option.code })}
            aria-label={t("options.addChildLabel", { label: labelOf(row.option) })}
            data-testid={`add-child-${row.option.code}`}
          />
        </Tooltip>
      )}
      <Tooltip title={t("options.edit")}>
        <Button
          size="small"
          type="text"
          icon={<EditOutlined />}
          onClick={() => setTarget({ option: row.option })}
          aria-label={t("options.editLabel", { label: labelOf(row.option) })}
          data-testid={`edit-${row.option.code}`}
        />
      </Tooltip>
      <Tooltip title={t("common:actions.delete")}>
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          onClick={() => void askDelete(row.option)}
          aria-label={t("options.deleteLabel", { label: labelOf(row.option) })}
          data-testid={`delete-${row.option.code}`}
        />
      </Tooltip>
    </span>
  );

  const enabledSwitch = (row: Row) => (
    <span className="qb-dict-enabled">
      <Switch
        size="small"
        checked={row.option.enabled !== false}
        onChange={(checked) => void setEnabled(row.option, checked)}
        aria-label={t("options.enabledLabel", { label: labelOf(row.option) })}
        data-testid={`enabled-${row.option.code}`}
      />
      {inheritedOff.has(row.option.code) && row.option.enabled !== false && (
        <Tooltip title={t("options.offByParentHint")}>
          <Tag className="qb-dict-tag">{t("options.offByParent")}</Tag>
        </Tooltip>
      )}
    </span>
  );

  const codeCell = (row: Row, compact = false) => (
    <span className="qb-dict-code-cell" style={{ paddingInlineStart: filter || compact ? 0 : row.depth * 20 }}>
      {tree &&
        !filter &&
        (row.childCount > 0 ? (
          <Button
            size="small"
            type="text"
            className="qb-dict-toggle"
            icon={collapsed.has(row.option.code) ? <CaretRightOutlined /> : <CaretDownOutlined />}
            onClick={() => toggle(row.option.code)}
            aria-expanded={!collapsed.has(row.option.code)}
            aria-label={t(collapsed.has(row.option.code) ? "options.expand" : "options.collapse", { label: labelOf(row.option) })}
          />
        ) : compact ? null : (
          <span className="qb-dict-toggle-space" />
        ))}
      <code className="qb-dict-code" data-testid={`code-${row.option.code}`}>
        {row.option.code}
      </code>
      {tree && row.childCount > 0 && <span className="qb-dict-child-count">{t("options.children", { count: row.childCount })}</span>}
    </span>
  );

  const columns: TableColumnsType<Row> = [
    {
      key: "drag",
      width: 44,
      render: (_value, row) => <DragHandle label={t("options.dragLabel", { label: labelOf(row.option) })} disabled={!canMove} />,
    },
    { key: "code", title: t("fields.code"), render: (_value, row) => codeCell(row) },
    {
      key: "label",
      title: t("fields.label"),
      render: (_value, row) => (
        <InlineText
          value={row.option.label}
          label={t("fields.label")}
          required
          onSave={(value) => saveLabel(row.option, "label", value)}
          testId={`label-${row.option.code}`}
        />
      ),
    },
    {
      key: "label_en",
      title: t("fields.labelEn"),
      render: (_value, row) => (
        <InlineText
          value={row.option.label_en ?? ""}
          label={t("fields.labelEn")}
          placeholder={t("options.noEnglish")}
          onSave={(value) => saveLabel(row.option, "label_en", value)}
          testId={`label-en-${row.option.code}`}
        />
      ),
    },
    { key: "enabled", title: t("fields.enabled"), width: 120, render: (_value, row) => enabledSwitch(row) },
    { key: "order", title: t("fields.order"), width: 88, render: (_value, row) => moveButtons(row) },
    { key: "actions", title: t("fields.actions"), width: tree ? 116 : 84, render: (_value, row) => rowActions(row) },
  ];

  const codes = rows.map((row) => row.option.code);

  return (
    <section className="qb-dict-panel qb-dict-options" aria-labelledby="dict-options-title" data-testid="options-panel">
      <div className="qb-dict-options-bar">
        <h2 id="dict-options-title" className="qb-dict-section-title">
          {t("options.title")}
          <span className="qb-dict-count-badge">{options.length}</span>
        </h2>
        <div className="qb-dict-options-tools">
          {options.length > 6 && (
            <Input
              allowClear
              size="middle"
              prefix={<SearchOutlined className="qb-dict-muted" />}
              placeholder={t("options.search")}
              aria-label={t("options.search")}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              className="qb-dict-options-search"
            />
          )}
          {tree && parents.length > 0 && !filter && (
            <Button
              onClick={() => setCollapsed(collapsed.size > 0 ? new Set() : new Set(parents.map((option) => option.code)))}
            >
              {collapsed.size > 0 ? t("options.expandAll") : t("options.collapseAll")}
            </Button>
          )}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ parent: null })} data-testid="option-new">
            {t("options.add")}
          </Button>
        </div>
      </div>
      {filter && <p className="qb-dict-usage-hint">{t("options.filterHint")}</p>}
      {options.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("options.none")} className="qb-dict-options-empty">
          <Button icon={<PlusOutlined />} onClick={() => setTarget({ parent: null })}>
            {t("options.addFirst")}
          </Button>
        </Empty>
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("options.noMatch", { search: query.trim() })} />
      ) : phone ? (
        <ul className="qb-dict-option-cards" data-testid="option-cards">
          {rows.map((row) => (
            <li
              key={row.option.code}
              className={row.option.enabled === false ? "qb-dict-option-card qb-dict-option-off" : "qb-dict-option-card"}
              style={{ marginInlineStart: filter ? 0 : Math.min(row.depth, 3) * 16 }}
              data-testid={`option-${row.option.code}`}
            >
              <div className="qb-dict-card-top">
                <span className="qb-dict-card-label">{labelOf(row.option)}</span>
                {enabledSwitch(row)}
              </div>
              <div className="qb-dict-card-meta">
                {codeCell(row, true)}
                {otherLabel(row.option) && <span className="qb-dict-card-en">{otherLabel(row.option)}</span>}
              </div>
              <div className="qb-dict-card-actions">
                {moveButtons(row)}
                {rowActions(row)}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <DndContext
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
          accessibility={{
            screenReaderInstructions: { draggable: t("options.dragInstructions") },
            announcements: {
              onDragStart: ({ active }) => t("options.dragStart", { code: String(active.id) }),
              onDragOver: ({ active, over }) => (over ? t("options.dragOver", { code: String(active.id), over: String(over.id) }) : ""),
              onDragEnd: ({ active, over }) => (over ? t("options.dragEnd", { code: String(active.id), over: String(over.id) }) : ""),
              onDragCancel: ({ active }) => t("options.dragCancel", { code: String(active.id) }),
            },
          }}
        >
          <SortableContext items={codes} strategy={verticalListSortingStrategy}>
            <Table<Row>
              rowKey={(row) => row.option.code}
              columns={columns}
              dataSource={rows}
              pagination={false}
              size="middle"
              components={{ body: { row: SortableRow } }}
              rowClassName={(row) => (row.option.enabled === false ? "qb-dict-row-off" : "")}
              onRow={(row) => ({ "data-testid": `option-${row.option.code}` }) as object}
              className="qb-dict-table"
              data-testid="options-table"
            />
          </SortableContext>
        </DndContext>
      )}
      <OptionFormModal entryKey={entry.key} tree={tree} options={options} target={target} onClose={() => setTarget(null)} />
    </section>
  );
}
