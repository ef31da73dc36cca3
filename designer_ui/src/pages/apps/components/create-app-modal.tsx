import { AutoComplete, Form, Input, Modal } from "antd";
import { App as AntApp } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { errorMessage } from "../../../api/errors";
import { keyProblem, suggestKey } from "../lib/app-key";
import { fieldErrors } from "../lib/form-errors";
import { useCreateApp } from "../use-apps";
import { IconPicker } from "./icon-picker";

interface Values {
  name: string;
  name_en: string;
  key: string;
  category: string;
  icon: string;
  description: string;
}

const FIELDS = ["name", "name_en", "key", "category", "icon", "description"] as const;

export function CreateAppModal({ open, onClose, categories }: { open: boolean; onClose: () => void; categories: string[] }) {
  const { t } = useTranslation("apps");
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [keyEdited, setKeyEdited] = useState(false);
  const create = useCreateApp();
  const name = Form.useWatch("name", form) ?? "";

  const refreshKey = () => {
    if (keyEdited) return;
    const values = form.getFieldsValue(["name", "name_en"]) as Partial<Values>;
    form.setFieldValue("key", suggestKey(values.name ?? "", values.name_en ?? ""));
  };

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      const app = await create.mutateAsync({
        key: values.key,
        name: values.name.trim(),
        name_en: (values.name_en ?? "").trim(),
        category: (values.category ?? "").trim(),
        icon: values.icon ?? "app",
        description: (values.description ?? "").trim(),
      });
      message.success(t("create.done", { name: app.name }));
      onClose();
      navigate(`/apps/${app.key}`);
    } catch (error) {
      const fields = fieldErrors(error, FIELDS);
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
      else message.error(errorMessage(error, t("create.failed")));
    }
  };

  return (
    <Modal
      open={open}
      title={t("create.title")}
      okText={t("create.ok")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      afterClose={() => {
        form.resetFields();
        setKeyEdited(false);
      }}
      width={600}
    >
      <Form
        form={form}
        layout="vertical"
                initialValues={{ icon: "app", name: "", name_en: "", key: "", category: "", description: "" }}
        onValuesChange={(changed: Partial<Values>) => {
          if ("name" in changed || "name_en" in changed) refreshKey();
        }}
        onFinish={() => void submit()}
        className="qb-apps-form"
      >
        <Form.Item
          name="name"
          label={t("fields.name")}
          rules={[{ required: true, whitespace: true, message: t("validation.nameRequired") }, { max: 100 }]}
        >
          <Input placeholder={t("create.namePlaceholder")} maxLength={100} autoFocus data-testid="create-name" />
        </Form.Item>
        <Form.Item name="name_en" label={t("fields.nameEn")} rules={[{ max: 100 }]}>
          <Input placeholder={t("create.nameEnPlaceholder")} maxLength={100} data-testid="create-name-en" />
        </Form.Item>
        <Form.Item
          name="key"
          label={t("fields.key")}
          extra={t("create.keyHelp")}
          rules={[
            {
              validator: (_rule, value: string) => {
                const problem = keyProblem(value ?? "");
                return problem ? Promise.reject(new Error(t(`validation.key.${problem}`))) : Promise.resolve();
              },
            },
          ]}
        >
          <Input
            maxLength={64}
            spellCheck={false}
            autoComplete="off"
            onChange={() => setKeyEdited(true)}
            data-testid="create-key"
            className="qb-apps-mono"
          />
        </Form.Item>
        <Form.Item name="category" label={t("fields.category")} rules={[{ max: 64 }]}>
          <AutoComplete
            options={categories.map((category) => ({ value: category }))}
            placeholder={t("create.categoryPlaceholder")}
            filterOption={(input, option) => String(option?.value ?? "").toLowerCase().includes(input.toLowerCase())}
            maxLength={64}
          />
        </Form.Item>
        <Form.Item name="icon" label={t("fields.icon")}>
          <IconPicker name={name} />
        </Form.Item>
        <Form.Item name="description" label={t("fields.description")} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} placeholder={t("create.descriptionPlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
