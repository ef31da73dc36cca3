import { App, Form, Input, Modal, Select, Switch, type ButtonProps } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import type { DictionaryOption } from "../../../api/types";
import { errorMessage } from "../../../api/errors";
import { fieldErrors } from "../lib/errors";
import { displayName } from "../lib/names";
import { parentChoices, parentOf } from "../lib/tree";
import { optionCodeProblem, suggestOptionCode } from "../lib/validation";
import { useCreateOption, useUpdateOption } from "../use-dictionary";

interface Values {
  code: string;
  label: string;
  label_en: string;
  parent: string | null;
  enabled: boolean;
}

const FIELDS = ["code", "label", "label_en", "parent", "enabled"] as const;
const TOP = "__top__";

export interface OptionFormTarget {
  /** The option to edit, or undefined for a new one. */
  option?: DictionaryOption;
  /** For a new option of a tree entry: the parent chosen in advance. */
  parent?: string | null;
}

export function OptionFormModal({
  entryKey,
  tree,
  options,
  target,
  onClose,
}: {
  entryKey: string;
  tree: boolean;
  options: DictionaryOption[];
  target: OptionFormTarget | null;
  onClose: () => void;
}) {
  if (!target) return null;
  return <OptionForm entryKey={entryKey} tree={tree} options={options} target={target} onClose={onClose} />;
}

function OptionForm({
  entryKey,
  tree,
  options,
  target,
  onClose,
}: {
  entryKey: string;
  tree: boolean;
  options: DictionaryOption[];
  target: OptionFormTarget;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation("dictionary");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [codeTouched, setCodeTouched] = useState(false);
  const create = useCreateOption(entryKey);
  const update = useUpdateOption(entryKey);
  const editing = target.option;
  const codes = useMemo(() => options.map((option) => option.code), [options]);
  const parents = useMemo(
    () =>
      parentChoices(options, editing?.code ?? null).map((row) => ({
        value: row.option.code,
        label: `${"\u00a0\u00a0\u00a0".repeat(row.depth)}${displayName(row.option.label, row.option.label_en, i18n.language)} · ${row.option.code}`,
      })),
    [options, editing, i18n.language],
  );
  const initialParent = editing ? parentOf(options, editing.code) : (target.parent ?? null);

  const submit = async (values: Values) => {
    const parent = !tree || values.parent === TOP ? null : values.parent;
    const body = { label: values.label.trim(), label_en: (values.label_en ?? "").trim() };
    try {
      if (editing) {
        await update.mutateAsync({ code: editing.code, ...body, ...(tree && parent !== initialParent ? { parent } : {}) });
        message.success(t("options.saved"));
      } else {
        await create.mutateAsync({
          code: values.code.trim(),
          ...body,
          enabled: values.enabled,
          ...(tree && parent ? { parent } : {}),
        });
        message.success(t("options.added", { label: body.label }));
      }
      onClose();
    } catch (error) {
      const problems = fieldErrors(error, FIELDS);
      if (problems.length > 0) form.setFields(problems as Parameters<typeof form.setFields>[0]);
      else message.error(errorMessage(error, t("errors.saveFailed")));
    }
  };

  return (
    <Modal
      open
      title={editing ? t("options.editTitle", { code: editing.code }) : t("options.newTitle")}
      okText={editing ? t("common:actions.save") : t("options.add")}
      cancelText={t("common:actions.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={520}
      okButtonProps={{ "data-testid": "option-form-ok" } as ButtonProps}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={{
          code: editing?.code ?? "",
          label: editing?.label ?? "",
          label_en: editing?.label_en ?? "",
          parent: initialParent ?? TOP,
          enabled: editing?.enabled ?? true,
        }}
        onValuesChange={(changed: Partial<Values>) => {
          if (!editing && !codeTouched && changed.label_en !== undefined) {
            form.setFieldValue("code", suggestOptionCode(changed.label_en, codes));
          }
        }}
        onFinish={(values) => void submit(values)}
        data-testid="option-form"
      >
        <div className="qb-dict-form-row">
          <Form.Item
            name="label"
            label={t("fields.label")}
            rules={[{ required: true, whitespace: true, message: t("validation.labelRequired") }, { max: 200 }]}
          >
            <Input autoFocus maxLength={200} placeholder={t("fields.labelPlaceholder")} id="option-label" />
          </Form.Item>
          <Form.Item name="label_en" label={t("fields.labelEn")} rules={[{ max: 200 }]}>
            <Input maxLength={200} placeholder={t("fields.labelEnPlaceholder")} id="option-label-en" />
          </Form.Item>
        </div>
        {!editing && (
          <Form.Item
            name="code"
            label={t("fields.code")}
            required
            extra={t("fields.codeHelp")}
            rules={[
              {
                validator: (_rule, value: string) => {
                  const problem = optionCodeProblem((value ?? "").trim(), codes);
                  return problem
                    ? Promise.reject(new Error(t(`validation.code.${problem}`, { code: (value ?? "").trim() })))
                    : Promise.resolve();
                },
              },
            ]}
          >
            <Input
              maxLength={64}
              placeholder="air"
              className="qb-dict-mono"
              id="option-code"
              spellCheck={false}
              autoComplete="off"
              onChange={() => setCodeTouched(true)}
            />
          </Form.Item>
        )}
        {tree && (
          <Form.Item name="parent" label={t("fields.parent")} extra={t("fields.parentHelp")}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={[{ value: TOP, label: t("fields.topLevel") }, ...parents]}
              id="option-parent"
              data-testid="option-parent"
            />
          </Form.Item>
        )}
        {!editing && (
          <Form.Item name="enabled" label={t("fields.enabled")} valuePropName="checked" required>
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
