import { App, Form, Input, Modal, Radio, type ButtonProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { DictionaryEntryDetail } from "../../../api/types";
import { errorMessage } from "../../../api/errors";
import { fieldErrors } from "../lib/errors";
import { entryKeyProblem, suggestEntryKey } from "../lib/validation";
import { type EntryKind, useCreateEntry, useUpdateEntry } from "../use-dictionary";

interface Values {
  key: string;
  name: string;
  name_en: string;
  kind: EntryKind;
  description: string;
}

const FIELDS = ["key", "name", "name_en", "kind", "description"] as const;

/** New entry (entry undefined) or edit the names, description and kind of one. */
export function EntryFormModal({
  open,
  entry,
  onClose,
  onCreated,
}: {
  open: boolean;
  entry?: DictionaryEntryDetail;
  onClose: () => void;
  onCreated?: (key: string) => void;
}) {
  return open ? <EntryForm entry={entry} onClose={onClose} onCreated={onCreated} /> : null;
}

function EntryForm({
  entry,
  onClose,
  onCreated,
}: {
  entry?: DictionaryEntryDetail;
  onClose: () => void;
  onCreated?: (key: string) => void;
}) {
  const { t } = useTranslation("dictionary");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [keyTouched, setKeyTouched] = useState(false);
  const create = useCreateEntry();
  const update = useUpdateEntry(entry?.key ?? "");
  const editing = Boolean(entry);
  const pending = create.isPending || update.isPending;

  const submit = async (values: Values) => {
    const body = {
      name: values.name.trim(),
      name_en: (values.name_en ?? "").trim(),
      description: (values.description ?? "").trim(),
      kind: values.kind,
    };
    try {
      if (entry) {
        await update.mutateAsync(body);
        message.success(t("entry.saved"));
        onClose();
      } else {
        const created = await create.mutateAsync({ ...body, key: values.key.trim() });
        message.success(t("entry.created", { name: created.name }));
        onCreated?.(created.key);
      }
    } catch (error) {
      const problems = fieldErrors(error, FIELDS);
      if (problems.length > 0) form.setFields(problems as Parameters<typeof form.setFields>[0]);
      else message.error(errorMessage(error, t("errors.saveFailed")));
    }
  };

  return (
    <Modal
      open
      title={editing ? t("entry.editTitle") : t("entry.newTitle")}
      okText={editing ? t("common:actions.save") : t("common:actions.create")}
      cancelText={t("common:actions.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      destroyOnHidden
      width={560}
      okButtonProps={{ "data-testid": "entry-form-ok" } as ButtonProps}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={{
          key: entry?.key ?? "",
          name: entry?.name ?? "",
          name_en: entry?.name_en ?? "",
          kind: (entry?.kind as EntryKind | undefined) ?? "flat",
          description: entry?.description ?? "",
        }}
        onFinish={(values) => void submit(values)}
        onValuesChange={(changed: Partial<Values>) => {
          if (!editing && !keyTouched && changed.name_en !== undefined) {
            form.setFieldValue("key", suggestEntryKey(changed.name_en));
          }
        }}
        data-testid="entry-form"
      >
        <div className="qb-dict-form-row">
          <Form.Item
            name="name"
            label={t("fields.name")}
            rules={[{ required: true, whitespace: true, message: t("validation.nameRequired") }, { max: 100 }]}
          >
            <Input autoFocus maxLength={100} placeholder={t("fields.namePlaceholder")} id="entry-name" />
          </Form.Item>
          <Form.Item name="name_en" label={t("fields.nameEn")} rules={[{ max: 100 }]}>
            <Input maxLength={100} placeholder={t("fields.nameEnPlaceholder")} id="entry-name-en" />
          </Form.Item>
        </div>
        {!editing && (
          <Form.Item
            name="key"
            label={t("fields.key")}
            required
            extra={t("fields.keyHelp")}
            rules={[
              {
                validator: (_rule, value: string) => {
                  const problem = entryKeyProblem((value ?? "").trim());
                  return problem ? Promise.reject(new Error(t(`validation.key.${problem}`))) : Promise.resolve();
                },
              },
            ]}
          >
            <Input
              maxLength={64}
              placeholder="expense_type"
              className="qb-dict-mono"
              id="entry-key"
              spellCheck={false}
              autoComplete="off"
              onChange={() => setKeyTouched(true)}
            />
          </Form.Item>
        )}
        <Form.Item name="kind" label={t("fields.kind")} extra={t("fields.kindHelp")} required>
          <Radio.Group
            optionType="button"
            options={[
              { value: "flat", label: t("kind.flat") },
              { value: "tree", label: t("kind.tree") },
            ]}
          />
        </Form.Item>
        <Form.Item name="description" label={t("fields.description")} rules={[{ max: 2000 }]}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={2000}
            placeholder={t("fields.descriptionPlaceholder")}
            id="entry-description"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
