import { ArrowLeftOutlined, ArrowRightOutlined } from "@ant-design/icons";
import { Button, DatePicker, Divider, Empty, Form, Input, InputNumber, Radio, Select, Switch, Tabs, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { FieldSchema, FieldUi, Label } from "../../schema/form";
import { moveColumn, renameKey, setRequired, setTitle, updateField, updateSection, updateUi } from "../commands";
import { useDesigner, useDesignerEnv } from "../context";
import { fieldTypeUi, type EditorKind } from "../field-types";
import { FieldTypeIcon } from "../field-types/icons";
import { keyProblem, slugify, suggestKey } from "../keys";
import { columnsOf, getField, isRequired, refPath, usedKeys, type FieldRef } from "../model";
import { BilingualInput } from "./bilingual-input";
import { ComputeEditor } from "./compute-editor";
import { OptionsEditor } from "./options-editor";
import { PatternTester } from "./pattern-tester";
import { RuleEditor } from "./rule-editor";
import "./properties-panel.css";

const CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY", "GBP"];

function KeyInput({ fieldRef }: { fieldRef: FieldRef }) {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const current = fieldRef.column ?? fieldRef.key;
  const [text, setText] = useState(current);
  const [editing, setEditing] = useState(false);
  const model = useDesigner((state) => state.model);
  const taken = usedKeys(model, fieldRef.column ? fieldRef.key : undefined);
  const problem = keyProblem(text, taken, current);
  const commit = () => {
    setEditing(false);
    if (problem || text === current) {
      setText(current);
      return;
    }
    store.getState().run("rename key", (next) => renameKey(next, fieldRef, text), {
      select: { kind: "field", ref: fieldRef.column ? { key: fieldRef.key, column: text } : { key: text } },
    });
    store.getState().lockKey(fieldRef.column ? `${fieldRef.key}.${text}` : text);
  };
  return (
    <Form.Item
      label={t("props.key")}
      htmlFor="prop-key"
      help={editing && problem ? t(`props.keyProblems.${problem}`) : t("props.keyHelp")}
      validateStatus={editing && problem ? "error" : undefined}
    >
      <Input
        id="prop-key"
        value={editing ? text : current}
        className="fd-mono"
        onFocus={() => {
          setText(current);
          setEditing(true);
        }}
        onChange={(event) => setText(event.target.value.trim())}
        onBlur={commit}
        onPressEnter={commit}
        maxLength={64}
        data-testid="prop-key"
      />
    </Form.Item>
  );
}

// These forms have no Form store (each edit is a designer command), so Form.Item cannot tie its
// label to the control by name: single-control items name the control's id in htmlFor instead.
const DEFAULT_ID = "prop-default";

function DefaultEditor({ field, onChange }: { field: FieldSchema; onChange: (value: unknown) => void }) {
  const { t } = useTranslation("designer");
  const type = field["x-type"];
  const value = field.default;
  if (type === "number" || type === "money") {
    return <InputNumber id={DEFAULT_ID} value={typeof value === "number" ? value : null} onChange={(next) => onChange(next ?? undefined)} style={{ width: "100%" }} />;
  }
  if (type === "select" || type === "radio") {
    return (
      <Select id={DEFAULT_ID} allowClear value={typeof value === "string" ? value : undefined} onChange={(next) => onChange(next ?? undefined)}
        placeholder={t("props.noDefault")}
        options={(field["x-options"] ?? []).map((option) => ({ value: option.code, label: localized(option.label) || option.code }))} />
    );
  }
  if (type === "date" || type === "datetime") {
    return (
      <DatePicker id={DEFAULT_ID} showTime={type === "datetime"} value={typeof value === "string" ? dayjs(value) : null} style={{ width: "100%" }}
        onChange={(next) => onChange(next ? (type === "date" ? next.format("YYYY-MM-DD") : next.format()) : undefined)} />
    );
  }
  if (type === "checkbox" && !field["x-options"]) {
    return <Switch id={DEFAULT_ID} checked={value === true} onChange={(checked) => onChange(checked ? true : undefined)} />;
  }
  return <Input id={DEFAULT_ID} value={typeof value === "string" ? value : ""} onChange={(event) => onChange(event.target.value || undefined)} />;
}

function numberOrUndefined(value: number | string | null): number | undefined {
  return value === null || value === "" ? undefined : Number(value);
}

function TypeEditors({ fieldRef, field, ui }: { fieldRef: FieldRef; field: FieldSchema; ui: FieldUi }) {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const model = useDesigner((state) => state.model);
  const required = isRequired(model, fieldRef);
  const path = refPath(fieldRef);
  const editors = new Set<EditorKind>(fieldTypeUi(field["x-type"]).editors);
  const edit = (label: string, update: (current: FieldSchema) => FieldSchema, merge?: string) =>
    store.getState().run(label, (next) => updateField(next, fieldRef, update), merge ? { mergeKey: `${merge}:${path}` } : undefined);
  const editUi = (patch: Partial<FieldUi>, merge: string) =>
    store.getState().run("ui", (next) => updateUi(next, fieldRef, patch), { mergeKey: `${merge}:${path}` });
  const isArrayCheckbox = field["x-type"] === "checkbox" && field.type === "array";
  const showOptions = editors.has("options") && (field["x-type"] !== "checkbox" || isArrayCheckbox);

  return (
    <>
      {editors.has("required") && (
        <Form.Item label={t("props.required")} htmlFor="prop-required">
          <Switch id="prop-required" checked={required} onChange={(checked) => store.getState().run("required", (next) => setRequired(next, fieldRef, checked))}
            data-testid="prop-required" />
        </Form.Item>
      )}
      {editors.has("placeholder") && (
        <Form.Item label={t("props.placeholder")}>
          <BilingualInput idPrefix="placeholder" value={ui.placeholder} onChange={(value) => editUi({ placeholder: value }, "placeholder")} />
        </Form.Item>
      )}
      {editors.has("checkbox_mode") && (
        <Form.Item label={t("props.checkboxMode")}>
          <Radio.Group
            optionType="button"
            size="small"
            value={isArrayCheckbox ? "options" : "single"}
            onChange={(event) =>
              edit("checkbox mode", (current) =>
                event.target.value === "options"
                  ? { ...current, type: "array", uniqueItems: true, "x-options": [{ code: "option1", label: { zh: "选项1", en: "Option 1" } }, { code: "option2", label: { zh: "选项2", en: "Option 2" } }] }
                  : { ...current, type: "boolean", uniqueItems: undefined, "x-options": undefined, "x-dictionary": undefined, items: undefined, minItems: undefined, maxItems: undefined, enum: undefined, default: undefined },
              )
            }
            options={[
              { value: "single", label: t("props.checkboxSingle") },
              { value: "options", label: t("props.checkboxOptions") },
            ]}
          />
        </Form.Item>
      )}
      {showOptions && (
        <Form.Item label={t("props.options.title")}>
          <OptionsEditor field={field} onChange={(update) => edit("options", update, "options")} />
        </Form.Item>
      )}
      {editors.has("default") && (
        <Form.Item label={t("props.default")} htmlFor={DEFAULT_ID}>
          <DefaultEditor field={field} onChange={(value) => edit("default", (current) => ({ ...current, default: value }), "default")} />
        </Form.Item>
      )}
      {editors.has("length") && (
        <Form.Item label={t("props.length")}>
          <div className="fd-pair">
            <InputNumber min={0} placeholder={t("props.min")} value={field.minLength ?? null} aria-label={t("props.minLength")}
              onChange={(value) => edit("length", (current) => ({ ...current, minLength: numberOrUndefined(value) }), "minLength")} />
            <span>–</span>
            <InputNumber min={1} placeholder={t("props.max")} value={field.maxLength ?? null} aria-label={t("props.maxLength")}
              onChange={(value) => edit("length", (current) => ({ ...current, maxLength: numberOrUndefined(value) }), "maxLength")} />
          </div>
        </Form.Item>
      )}
      {editors.has("pattern") && (
        <Form.Item label={t("props.pattern")} help={t("props.patternHelp")}>
          <PatternTester pattern={field.pattern} onChange={(pattern) => edit("pattern", (current) => ({ ...current, pattern }), "pattern")} />
        </Form.Item>
      )}
      {editors.has("email") && (
        <Form.Item label={t("props.email")} htmlFor="prop-email">
          <Switch id="prop-email" checked={field.format === "email"} onChange={(checked) => edit("email", (current) => ({ ...current, format: checked ? "email" : undefined }))} />
        </Form.Item>
      )}
      {editors.has("rows") && (
        <Form.Item label={t("props.rows")} htmlFor="prop-rows">
          <InputNumber id="prop-rows" min={2} max={20} value={typeof ui.rows === "number" ? ui.rows : 4} onChange={(value) => editUi({ rows: numberOrUndefined(value) }, "rows")} />
        </Form.Item>
      )}
      {editors.has("bounds") && (
        <Form.Item label={t("props.bounds")}>
          <div className="fd-pair">
            <InputNumber placeholder={t("props.min")} value={field.minimum ?? null} aria-label={t("props.minimum")}
              onChange={(value) => edit("bounds", (current) => ({ ...current, minimum: numberOrUndefined(value) }), "minimum")} />
            <span>–</span>
            <InputNumber placeholder={t("props.max")} value={field.maximum ?? null} aria-label={t("props.maximum")}
              onChange={(value) => edit("bounds", (current) => ({ ...current, maximum: numberOrUndefined(value) }), "maximum")} />
          </div>
        </Form.Item>
      )}
      {editors.has("precision") && (field["x-type"] !== "computed" || field.type === "number") && (
        <Form.Item label={t("props.precision")} htmlFor="prop-precision">
          <InputNumber id="prop-precision" min={0} max={6} value={field["x-precision"] ?? null}
            onChange={(value) => edit("precision", (current) => ({ ...current, "x-precision": numberOrUndefined(value) }), "precision")} />
        </Form.Item>
      )}
      {editors.has("unit") && (
        <Form.Item label={t("props.unit")}>
          <BilingualInput idPrefix="unit" maxLength={20} value={typeof field["x-unit"] === "string" ? { zh: field["x-unit"] } : field["x-unit"]}
            onChange={(value) => edit("unit", (current) => ({ ...current, "x-unit": value.zh || value.en ? value : undefined }), "unit")} />
        </Form.Item>
      )}
      {editors.has("currency") && (field["x-type"] === "money" || field["x-currency"] !== undefined || field["x-type"] === "computed") && (
        <Form.Item label={t("props.currency")} htmlFor="prop-currency">
          <Select id="prop-currency" allowClear={field["x-type"] !== "money"} value={field["x-currency"]}
            onChange={(value?: string) => edit("currency", (current) => ({ ...current, "x-currency": value }))}
            options={CURRENCIES.map((code) => ({ value: code, label: code }))} />
        </Form.Item>
      )}
      {editors.has("max_days") && (
        <Form.Item label={t("props.maxDays")} htmlFor="prop-max-days">
          <InputNumber id="prop-max-days" min={1} max={3660} value={field["x-max-days"] ?? null}
            onChange={(value) => edit("max days", (current) => ({ ...current, "x-max-days": numberOrUndefined(value) }), "maxDays")} />
        </Form.Item>
      )}
      {(editors.has("items") && (field["x-type"] !== "checkbox" || isArrayCheckbox)) && (
        <Form.Item label={t("props.itemCount")}>
          <div className="fd-pair">
            <InputNumber min={0} placeholder={t("props.min")} value={field.minItems ?? null}
              onChange={(value) => edit("items", (current) => ({ ...current, minItems: numberOrUndefined(value) }), "minItems")} />
            <span>–</span>
            <InputNumber min={1} placeholder={t("props.max")} value={field.maxItems ?? null}
              onChange={(value) => edit("items", (current) => ({ ...current, maxItems: numberOrUndefined(value) }), "maxItems")} />
          </div>
        </Form.Item>
      )}
      {editors.has("multiple") && (
        <Form.Item label={t("props.multiple")} htmlFor="prop-multiple">
          <Switch id="prop-multiple" checked={field["x-multiple"] === true}
            onChange={(checked) => edit("multiple", (current) => ({ ...current, "x-multiple": checked ? true : undefined, type: checked ? "array" : "string",
              uniqueItems: checked ? true : undefined, items: checked ? { type: "string", minLength: 1, maxLength: 64 } : undefined,
              minLength: checked ? undefined : 1, maxLength: checked ? undefined : 64 }))} />
        </Form.Item>
      )}
      {editors.has("files") && (
        <>
          <Form.Item label={t("props.accept")} help={t("props.acceptHelp")} htmlFor="prop-accept">
            <Select id="prop-accept" mode="tags" value={field["x-accept"] ?? []} tokenSeparators={[",", " "]}
              onChange={(value: string[]) => edit("accept", (current) => ({ ...current, "x-accept": value.length ? value : undefined }))}
              options={[".pdf", ".docx", ".xlsx", "image/*", ".zip"].map((value) => ({ value, label: value }))} />
          </Form.Item>
          <Form.Item label={t("props.maxSize")} htmlFor="prop-max-size">
            <InputNumber id="prop-max-size" min={1} max={100} addonAfter="MB" value={field["x-max-size"] ? Math.round(field["x-max-size"] / 1048576) : null}
              onChange={(value) => edit("max size", (current) => ({ ...current, "x-max-size": value ? Number(value) * 1048576 : undefined }), "maxSize")} />
          </Form.Item>
          <Form.Item label={t("props.maxFiles")} htmlFor="prop-max-files">
            <InputNumber id="prop-max-files" min={1} max={50} value={field.maxItems ?? null}
              onChange={(value) => edit("max files", (current) => ({ ...current, maxItems: numberOrUndefined(value) }), "maxFiles")} />
          </Form.Item>
        </>
      )}
      {editors.has("image") && (
        <>
          <Form.Item label={t("props.requireExif")} help={t("props.requireExifHelp")} htmlFor="prop-require-exif">
            <Switch id="prop-require-exif" checked={field["x-require-exif"] === true} onChange={(checked) => edit("exif", (current) => ({ ...current, "x-require-exif": checked || undefined }))} />
          </Form.Item>
          <Form.Item label={t("props.cameraOnly")} htmlFor="prop-camera-only">
            <Switch id="prop-camera-only" checked={field["x-camera-only"] === true} onChange={(checked) => edit("camera", (current) => ({ ...current, "x-camera-only": checked || undefined }))} />
          </Form.Item>
        </>
      )}
      {editors.has("rows_count") && (
        <>
          <Form.Item label={t("props.rowCount")}>
            <div className="fd-pair">
              <InputNumber min={0} placeholder={t("props.min")} value={field.minItems ?? null}
                onChange={(value) => edit("rows", (current) => ({ ...current, minItems: numberOrUndefined(value) }), "minRows")} />
              <span>–</span>
              <InputNumber min={1} max={500} placeholder={t("props.max")} value={field.maxItems ?? null}
                onChange={(value) => edit("rows", (current) => ({ ...current, maxItems: numberOrUndefined(value) }), "maxRows")} />
            </div>
          </Form.Item>
          <Form.Item label={t("props.addLabel")}>
            <BilingualInput idPrefix="add-label" value={ui.add_label} onChange={(value) => editUi({ add_label: value }, "addLabel")} />
          </Form.Item>
          <Typography.Paragraph type="secondary" className="fd-note">
            {t("props.columnsNote", { count: Object.keys(columnsOf(field)).length })}
          </Typography.Paragraph>
        </>
      )}
      {editors.has("compute") && (
        <>
          <Form.Item label={t("props.compute.resultType")} htmlFor="prop-result-type">
            <Select id="prop-result-type" value={field.type === "string" ? (field.format === "date" ? "date" : "string") : field.type ?? "number"}
              onChange={(value: string) => edit("result type", (current) => ({ ...current, type: value === "date" ? "string" : value, format: value === "date" ? "date" : undefined,
                "x-precision": value === "number" ? current["x-precision"] ?? 2 : undefined }))}
              options={["number", "integer", "string", "boolean", "date"].map((value) => ({ value, label: t(`props.compute.types.${value}`) }))} />
          </Form.Item>
          <Form.Item label={t("props.compute.formula")} help={t("props.compute.help")}>
            <ComputeEditor value={field["x-compute"]} model={model} fieldKey={fieldRef.key}
              onChange={(rule) => edit("formula", (current) => ({ ...current, "x-compute": rule }), "compute")} />
          </Form.Item>
        </>
      )}
      {editors.has("content") && (
        <Form.Item label={t("props.content")}>
          <BilingualInput idPrefix="content" multiline maxLength={5000} value={field["x-content"]}
            onChange={(value) => edit("content", (current) => ({ ...current, "x-content": value }), "content")} />
        </Form.Item>
      )}
    </>
  );
}

/** Move a sub-table column left or right (the keyboard way; the canvas also drags). */
function ColumnMoves({ fieldRef }: { fieldRef: FieldRef }) {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const table = useDesigner((state) => state.model.fields[fieldRef.key]); // a stable object, unlike a fresh key list
  const columns = Object.keys(columnsOf(table));
  const index = columns.indexOf(fieldRef.column ?? "");
  const move = (to: number) =>
    store.getState().run("move column", (model) => moveColumn(model, fieldRef.key, fieldRef.column ?? "", to));
  return (
    <span className="fd-column-moves">
      <Button size="small" type="text" icon={<ArrowLeftOutlined />} disabled={index <= 0} aria-label={t("props.columnLeft")}
        onClick={() => move(index - 1)} />
      <Button size="small" type="text" icon={<ArrowRightOutlined />} disabled={index < 0 || index >= columns.length - 1}
        aria-label={t("props.columnRight")} onClick={() => move(index + 2)} />
    </span>
  );
}

function FieldProperties({ fieldRef }: { fieldRef: FieldRef }) {
  const { t } = useTranslation("designer");
  const { store, palette, issues } = useDesignerEnv();
  const field = useDesigner((state) => getField(state.model, fieldRef));
  const ui = useDesigner((state) => state.model.ui[refPath(fieldRef)]) ?? {};
  const model = useDesigner((state) => state.model);
  const locked = useDesigner((state) => state.lockedKeys.has(refPath(fieldRef)));
  if (!field) return <Empty description={t("props.nothingSelected")} />;
  const path = refPath(fieldRef);
  const type = palette.find((entry) => entry.type === field["x-type"]);
  const capabilities = type?.capabilities;
  const problems = issues.get(path) ?? [];

  const setLabel = (label: Label) => {
    const key = fieldRef.column ?? fieldRef.key;
    // Until the key is edited by hand, it follows the English label ("Trip dates" → trip_dates).
    let newKey: string | null = null;
    if (!locked && slugify(label.en ?? "")) {
      const taken = usedKeys(model, fieldRef.column ? fieldRef.key : undefined);
      taken.delete(key);
      const suggested = suggestKey(label.en, field["x-type"], taken);
      if (suggested !== key) newKey = suggested;
    }
    const renamed: FieldRef | null = newKey ? (fieldRef.column ? { key: fieldRef.key, column: newKey } : { key: newKey }) : null;
    store.getState().run(
      "label",
      (next) => {
        const labelled = updateField(next, fieldRef, (current) => ({ ...current, "x-label": label }));
        return newKey ? renameKey(labelled, fieldRef, newKey) : labelled;
      },
      { mergeKey: `label:${path}`, ...(renamed ? { select: { kind: "field", ref: renamed } } : {}) },
    );
  };

  return (
    <Form layout="vertical" size="middle" className="fd-props-form" onSubmitCapture={(event) => event.preventDefault()}>
      <div className="fd-props-type">
        <FieldTypeIcon name={fieldTypeUi(field["x-type"]).icon} />
        <span>{type ? localized(type.label) : field["x-type"]}</span>
        {fieldRef.column && <Typography.Text type="secondary">· {t("props.columnOf", { table: localized(model.fields[fieldRef.key]?.["x-label"]) || fieldRef.key })}</Typography.Text>}
        {fieldRef.column && <ColumnMoves fieldRef={fieldRef} />}
      </div>
      {problems.map((issue, index) => (
        <div key={index} className="fd-issue-text fd-props-issue" role="alert">
          {issue.message}
        </div>
      ))}
      <Form.Item label={t("props.label")} required>
        <BilingualInput idPrefix="label" value={field["x-label"]} onChange={setLabel} />
      </Form.Item>
      <KeyInput key={path} fieldRef={fieldRef} />
      <TypeEditors fieldRef={fieldRef} field={field} ui={ui} />
      {field["x-type"] !== "description" && (
        <Form.Item label={t("props.help")}>
          <BilingualInput idPrefix="help" value={ui.help} onChange={(value) =>
            store.getState().run("help", (next) => updateUi(next, fieldRef, { help: value.zh || value.en ? value : undefined }), { mergeKey: `help:${path}` })} />
        </Form.Item>
      )}
      <Divider plain titlePlacement="start">{t("props.rulesTitle")}</Divider>
      <Form.Item label={t("props.visibleIf")} help={t("props.visibleIfHelp")}>
        <RuleEditor title={t("props.visibleIf")} value={field["x-visible-if"]} model={model} fieldKey={fieldRef.column ? null : fieldRef.key} testId="visible-if"
          onChange={(rule) => store.getState().run("visible if", (next) => updateField(next, fieldRef, (current) => ({ ...current, "x-visible-if": rule })))} />
      </Form.Item>
      {capabilities?.accepts_required_if !== false && field["x-type"] !== "description" && field["x-type"] !== "computed" && (
        <Form.Item label={t("props.requiredIf")} help={t("props.requiredIfHelp")}>
          <RuleEditor title={t("props.requiredIf")} value={field["x-required-if"]} model={model} fieldKey={fieldRef.column ? null : fieldRef.key} testId="required-if"
            onChange={(rule) => store.getState().run("required if", (next) => updateField(next, fieldRef, (current) => ({ ...current, "x-required-if": rule })))} />
        </Form.Item>
      )}
    </Form>
  );
}

function SectionProperties({ id }: { id: string }) {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const section = useDesigner((state) => state.model.sections.find((candidate) => candidate.id === id));
  if (!section) return null;
  return (
    <Form layout="vertical" className="fd-props-form">
      <Form.Item label={t("props.sectionTitle")}>
        <BilingualInput idPrefix="section" value={section.title}
          onChange={(title) => store.getState().run("section title", (model) => updateSection(model, id, { title }), { mergeKey: `section:${id}` })} />
      </Form.Item>
      <Form.Item label={t("canvas.columnsLabel")}>
        <Radio.Group optionType="button" value={section.columns}
          onChange={(event) => store.getState().run("columns", (model) => updateSection(model, id, { columns: event.target.value as 1 | 2 | 3 }))}
          options={[1, 2, 3].map((count) => ({ value: count, label: t("canvas.columns", { count }) }))} />
      </Form.Item>
      <Typography.Paragraph type="secondary" className="fd-note">{t("props.sectionNote")}</Typography.Paragraph>
    </Form>
  );
}

function FormProperties() {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const title = useDesigner((state) => state.model.title);
  const count = useDesigner((state) => Object.keys(state.model.fields).length);
  return (
    <Form layout="vertical" className="fd-props-form">
      <Form.Item label={t("props.formTitle")}>
        <BilingualInput idPrefix="form-title" value={title}
          onChange={(value) => store.getState().run("title", (model) => setTitle(model, value), { mergeKey: "form-title" })} />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t("props.fieldCount", { count })}</Typography.Paragraph>
    </Form>
  );
}

export function PropertiesPanel() {
  const { t } = useTranslation("designer");
  const selection = useDesigner((state) => state.selection);
  const [tab, setTab] = useState("selection");
  return (
    <aside className="fd-props" aria-label={t("props.title")}>
      <Tabs
        activeKey={selection?.kind === "form" ? "form" : tab}
        onChange={(key) => setTab(key)}
        centered
        items={[
          {
            key: "selection",
            label: selection?.kind === "section" ? t("props.sectionTab") : t("props.fieldTab"),
            children:
              selection?.kind === "field" ? (
                <FieldProperties fieldRef={selection.ref} />
              ) : selection?.kind === "section" ? (
                <SectionProperties id={selection.id} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("props.nothingSelected")} />
              ),
          },
          { key: "form", label: t("props.formTab"), children: <FormProperties /> },
        ]}
      />
    </aside>
  );
}
