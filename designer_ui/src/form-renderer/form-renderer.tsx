// The one form renderer: the designer's preview and the end-user workspace draw a form
// document with it. Values stay in the caller's hands (controlled): every change hands
// back the whole new value with visibility applied and computed fields filled.
import { Empty, Form } from "antd";
import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type FocusEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { BootContext } from "../app/boot-context";
import { localized } from "../i18n";
import type {
  DictionarySnapshot,
  FieldRight,
  FieldSchema,
  FieldUi,
  FormDocument,
  RuleContext,
  SubmissionIssue,
  UiSection,
} from "../schema/form";
import { useRulesCalendar } from "./lib/calendar";
import { evaluateForm } from "./lib/evaluate";
import { fieldLabel, fieldOrder, isRecord, pointerJoin, pointerParts, tableColumns } from "./lib/fields";
import { issueText } from "./lib/messages";
import { validateForm } from "./lib/validate";
import { ReadOnlyValue } from "./widgets/display";
import { FieldControl } from "./widgets/field-control";
import { TableWidget, type TableColumn } from "./widgets/table-widget";
import type { RendererUser } from "./widgets/types";
import "./form-renderer.css";

export interface FormRendererProps {
  document: FormDocument;
  value: Record<string, unknown>;
  /** The new whole value (computed fields included, hidden fields dropped). */
  onChange?: (value: Record<string, unknown>) => void;
  /** Options of x-dictionary fields (the pinned snapshot). */
  dictionary?: DictionarySnapshot;
  /** phone: one column, table rows as cards; default: from the container width. */
  device?: "desktop" | "phone";
  readOnly?: boolean;
  /** Dotted paths, columns "table.col". */
  fieldRights?: Record<string, FieldRight>;
  /** Server errors to show at their fields (until the field changes). */
  issues?: SubmissionIssue[];
  /** After a submit attempt; otherwise errors show once a field was touched. */
  showAllErrors?: boolean;
  context?: RuleContext;
  /** A field key to scroll to and outline. */
  highlight?: string | null;
  /** Stored data when editing: a disabled option already chosen there stays allowed (as on the server). */
  previous?: Record<string, unknown>;
  /** The signing user (default: the signed-in user of the BootContext, when there is one). */
  currentUser?: RendererUser | null;
}

const PHONE_WIDTH = 576;
/** Sub-table column widths by field type (px). */
const COLUMN_WIDTHS: Partial<Record<string, number>> = {
  number: 130,
  money: 140,
  computed: 120,
  date: 150,
  datetime: 190,
  date_range: 260,
  textarea: 240,
  attachment: 220,
  image: 220,
  signature: 180,
  checkbox: 160,
};
const WIDE_TYPES = new Set(["table", "textarea", "description", "attachment", "image"]);
/** Typing in these does not mark them touched (errors wait for the blur). */
const TYPED = new Set(["text", "textarea", "number", "money"]);

function useContainerWidth(): [number, (element: HTMLDivElement | null) => void] {
  const [width, setWidth] = useState(0);
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  useLayoutEffect(() => {
    if (!element) return;
    setWidth(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) setWidth(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [width, setElement];
}

/** Where an issue is shown and when it counts as touched: "/key", or "/table/0/col" for cells. */
function touchKey(pointer: string, document: FormDocument): string {
  const parts = pointerParts(pointer);
  const top = parts[0] ?? "";
  const field = document.schema.properties?.[top];
  if (field?.["x-type"] === "table" && parts.length >= 3) return pointerJoin(top, parts[1] ?? "", parts[2] ?? "");
  return pointerJoin(top);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function defaultRow(columns: Record<string, FieldSchema>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(columns)) if (column.default !== undefined) row[name] = column.default;
  return row;
}

function domId(path: string): string {
  return `qb-field-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** A blur handler that fires only when focus leaves the element (not moving inside it, e.g. range start → end). */
function leaving(callback: () => void) {
  return (event: FocusEvent<HTMLDivElement>) => {
    const next = event.relatedTarget;
    if (next instanceof Node && event.currentTarget.contains(next)) return;
    callback();
  };
}

function ErrorList({ messages }: { messages: string[] }) {
  if (messages.length === 1) return <span>{messages[0]}</span>;
  return (
    <ul className="qb-fr-errors">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

export function FormRenderer(props: FormRendererProps) {
  const { document, value, onChange, dictionary, readOnly = false, showAllErrors = false, context, highlight } = props;
  const fieldRights = useMemo(() => props.fieldRights ?? {}, [props.fieldRights]);
  const { t, i18n } = useTranslation("renderer");
  const language = i18n.language;
  const boot = useContext(BootContext);
  const currentUser = props.currentUser ?? (boot?.user.id ? { id: boot.user.id, name: boot.user.name } : null);
  const [width, setRoot] = useContainerWidth();
  const root = useRef<HTMLDivElement | null>(null);
  const device = props.device ?? (width > 0 && width < PHONE_WIDTH ? "phone" : "desktop");
  const properties = useMemo(() => document.schema.properties ?? {}, [document]);
  const uiFields = document.ui_schema?.fields ?? {};

  const calendar = useRulesCalendar();
  const evaluation = useMemo(
    () => evaluateForm(document, value, context, dictionary, calendar),
    [document, value, context, dictionary, calendar],
  );
  const clientIssues = useMemo(
    () => (readOnly ? [] : validateForm(document, value, { dictionary, fieldRights, context, previous: props.previous, calendar })),
    [document, value, dictionary, fieldRights, context, readOnly, props.previous, calendar],
  );

  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const touch = (key: string) => {
    if (touched.has(key)) return;
    setTouched((previous) => new Set(previous).add(key));
  };

  // Server issues stay at their field until its value changes.
  const [serverBase, setServerBase] = useState<{ issues?: SubmissionIssue[]; value: Record<string, unknown> }>({
    issues: props.issues,
    value,
  });
  if (serverBase.issues !== props.issues) setServerBase({ issues: props.issues, value });

  const messages = useMemo(() => {
    const byKey = new Map<string, { pointer: string; text: string }[]>();
    const add = (pointer: string, text: string) => {
      const key = touchKey(pointer, document);
      const list = byKey.get(key) ?? [];
      if (!list.some((item) => item.text === text)) list.push({ pointer, text });
      byKey.set(key, list);
    };
    for (const issue of clientIssues) {
      const key = touchKey(issue.pointer, document);
      if (showAllErrors || touched.has(key)) add(issue.pointer, issue.message);
    }
    for (const issue of serverBase.issues ?? []) {
      const parts = pointerParts(issue.pointer);
      const top = parts[0] ?? "";
      if (!same(value[top], serverBase.value[top])) continue;
      const key = touchKey(issue.pointer, document);
      if (key !== pointerJoin(top) && !evaluation.visible.has(`${top}.${parts[1]}.${parts[2]}`)) {
        // A cell that is not on screen (e.g. a row the server knows of): say where, at the table.
        const column = tableColumns(properties[top] ?? ({} as FieldSchema))[parts[2] ?? ""];
        const row = t("table.row", { index: Number(parts[1]) + 1 });
        const label = localized(fieldLabel(column, parts[2] ?? ""), language);
        add(pointerJoin(top), t("table.cellIssue", { row, column: label, message: issueText(issue) }));
        continue;
      }
      add(issue.pointer, issueText(issue));
    }
    return byKey;
  }, [clientIssues, serverBase, value, showAllErrors, touched, document, evaluation, properties, t, language]);
  const messagesAt = (key: string) => (messages.get(key) ?? []).map((item) => item.text);

  useEffect(() => {
    if (!highlight || !root.current) return;
    const top = highlight.split(".")[0] ?? highlight;
    const element = root.current.querySelector<HTMLElement>(`[data-field="${top.replace(/["\\]/g, "")}"]`);
    if (!element) return;
    element.scrollIntoView?.({ block: "center", behavior: "smooth" });
    const focusable = element.querySelector<HTMLElement>("input:not([disabled]):not([type=file]), textarea, [role=combobox], button");
    focusable?.focus({ preventScroll: true });
    // A short flash (the class comes and goes; the outline does not stay on the field).
    element.classList.remove("is-highlighted");
    void element.offsetWidth;
    element.classList.add("is-highlighted");
    const timer = setTimeout(() => element.classList.remove("is-highlighted"), 1900);
    return () => {
      clearTimeout(timer);
      element.classList.remove("is-highlighted");
    };
  }, [highlight]);

  const emit = (next: Record<string, unknown>) => {
    onChange?.(evaluateForm(document, next, context, dictionary, calendar).value);
  };
  const setField = (key: string, fieldValue: unknown) => {
    const field = properties[key];
    if (field && !TYPED.has(field["x-type"])) touch(pointerJoin(key));
    emit({ ...evaluation.value, [key]: fieldValue });
  };
  const rowsOf = (key: string): Record<string, unknown>[] => {
    const rows = evaluation.value[key];
    return Array.isArray(rows) ? rows.map((row) => (isRecord(row) ? row : {})) : [];
  };

  const label = (field: FieldSchema | undefined, key: string) => localized(fieldLabel(field, key), language) || key;
  const locked = (field: FieldSchema, path: string) =>
    readOnly || fieldRights[path] === "read_only" || field["x-type"] === "computed" || field.readOnly === true;

  const renderTable = (key: string, field: FieldSchema, ui: FieldUi, isLocked: boolean): ReactNode => {
    const columns = Object.entries(tableColumns(field)).filter(([name]) => fieldRights[`${key}.${name}`] !== "hidden");
    const rows = rowsOf(key);
    const minItems = typeof field.minItems === "number" ? field.minItems : 0;
    const maxItems = typeof field.maxItems === "number" ? field.maxItems : 500;
    const tableColumnsList: TableColumn[] = columns.map(([name, column]) => ({
      name,
      label: label(column, name),
      required: evaluation.required.has(`${key}.${name}`) || rows.some((_, i) => evaluation.required.has(`${key}.${i}.${name}`)),
      width: COLUMN_WIDTHS[column["x-type"]] ?? 180,
    }));
    const renderCell = (name: string, index: number): ReactNode => {
      const column = tableColumns(field)[name];
      if (!column) return null;
      const cellPath = `${key}.${index}.${name}`;
      const cellKey = pointerJoin(key, index, name);
      if (!evaluation.visible.has(cellPath)) return <span className="qb-fr-cell-hidden">—</span>;
      const cellValue = rows[index]?.[name];
      if (isLocked || locked(column, `${key}.${name}`)) {
        return <ReadOnlyValue field={column} value={cellValue} dictionary={dictionary} />;
      }
      const errors = messagesAt(cellKey);
      return (
        <div className="qb-fr-cell" onBlur={leaving(() => touch(cellKey))} data-pointer={cellKey}>
          <FieldControl
            id={domId(cellPath)}
            field={column}
            ui={{}}
            value={cellValue}
            onChange={(next) => {
              if (!TYPED.has(column["x-type"])) touch(cellKey);
              const nextRows = rows.map((row, i) => (i === index ? { ...row, [name]: next } : row));
              emit({ ...evaluation.value, [key]: nextRows });
            }}
            dictionary={dictionary}
            device={device}
            status={errors.length ? "error" : undefined}
            compact
            currentUser={currentUser}
            ariaLabel={`${label(column, name)} ${t("table.row", { index: index + 1 })}`}
          />
          {errors.length > 0 && (
            <div className="qb-fr-inline-error" role="alert">
              {errors.join(" ")}
            </div>
          )}
        </div>
      );
    };
    return (
      <TableWidget
        id={domId(key)}
        label={label(field, key)}
        columns={tableColumnsList}
        rowCount={rows.length}
        renderCell={renderCell}
        onAdd={() => {
          touch(pointerJoin(key));
          emit({ ...evaluation.value, [key]: [...rows, defaultRow(tableColumns(field))] });
        }}
        onRemove={(index) => {
          touch(pointerJoin(key));
          emit({ ...evaluation.value, [key]: rows.filter((_, i) => i !== index) });
        }}
        minItems={minItems}
        maxItems={maxItems}
        addLabel={localized(ui.add_label, language)}
        device={device}
        readOnly={isLocked}
      />
    );
  };

  const renderField = (key: string): ReactNode => {
    const field = properties[key];
    if (!field || fieldRights[key] === "hidden" || !evaluation.visible.has(key)) return null;
    const ui = uiFields[key] ?? {};
    const type = field["x-type"];
    const wide = WIDE_TYPES.has(type);
    const className = `qb-fr-item${wide ? " is-wide" : ""}`;
    if (type === "description") {
      const title = localized(field["x-label"], language);
      return (
        <div className={`${className} qb-fr-description`} key={key} data-field={key}>
          {title && <div className="qb-fr-description-title">{title}</div>}
          <div className="qb-fr-description-content">{localized(field["x-content"], language)}</div>
        </div>
      );
    }
    const isLocked = locked(field, key);
    const required = evaluation.required.has(key) && !isLocked;
    const errors = messagesAt(pointerJoin(key));
    const help = localized(field["x-help"], language) || localized(ui.help, language);
    const id = domId(key);
    const control =
      type === "table" ? (
        renderTable(key, field, ui, isLocked)
      ) : isLocked ? (
        <ReadOnlyValue field={field} value={evaluation.value[key]} dictionary={dictionary} id={id} />
      ) : (
        <FieldControl
          id={id}
          field={field}
          ui={ui}
          value={evaluation.value[key]}
          onChange={(next) => setField(key, next)}
          dictionary={dictionary}
          device={device}
          status={errors.length ? "error" : undefined}
          currentUser={currentUser}
        />
      );
    return (
      <div className={className} key={key} data-field={key} data-testid={`field-${key}`} onBlur={isLocked ? undefined : leaving(() => touch(pointerJoin(key)))}>
        <Form.Item
          label={<span className="qb-fr-label">{label(field, key)}</span>}
          htmlFor={type === "table" || isLocked ? undefined : id}
          required={required}
          validateStatus={errors.length ? "error" : undefined}
          help={errors.length ? <ErrorList messages={errors} /> : undefined}
          extra={help ? <span className="qb-fr-help">{help}</span> : undefined}
        >
          {control}
        </Form.Item>
      </div>
    );
  };

  const order = fieldOrder(document);
  const sections: UiSection[] = [];
  const placed = new Set<string>();
  for (const section of document.ui_schema?.sections ?? []) {
    const fields = (section.fields ?? []).filter((key) => key in properties && !placed.has(key));
    fields.forEach((key) => placed.add(key));
    sections.push({ ...section, fields });
  }
  const rest = order.filter((key) => !placed.has(key));
  if (rest.length) sections.push({ fields: rest, columns: sections.length ? 1 : 1 });

  const rendered = sections
    .map((section, index) => {
      const items = section.fields.map(renderField).filter(Boolean);
      if (!items.length) return null;
      const columns = device === "phone" ? 1 : Math.min(Math.max(Math.round(section.columns ?? 1), 1), 3);
      const title = localized(section.title, language);
      return (
        <section className="qb-fr-section" key={index} aria-label={title || undefined}>
          {title && <h3 className="qb-fr-section-title">{title}</h3>}
          <div className="qb-fr-grid" style={{ "--qb-fr-columns": columns } as CSSProperties}>
            {items}
          </div>
        </section>
      );
    })
    .filter(Boolean);

  return (
    <div
      ref={(element) => {
        root.current = element;
        setRoot(element);
      }}
      className={`qb-form-renderer is-${device}${readOnly ? " is-readonly" : ""}`}
      data-device={device}
    >
      <Form layout="vertical" component="div" colon={false} requiredMark>
        {rendered.length ? rendered : <Empty description={t("field.noFields")} image={Empty.PRESENTED_IMAGE_SIMPLE} />}
      </Form>
    </div>
  );
}
