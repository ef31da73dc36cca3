import { App as AntApp, Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { errorMessage } from "../../../api/errors";
import type { AppInfo } from "../../../api/types";
import { copyKey, keyProblem } from "../lib/app-key";
import { fieldErrors } from "../lib/form-errors";
import { useCopyApp } from "../use-apps";

interface Values {
  key: string;
  name: string;
  name_en: string;
}

/** Copy an app (metadata and draft, no versions) under a new key. */
export function CopyAppModal({ app, onClose, takenKeys }: { app: AppInfo | null; onClose: () => void; takenKeys: string[] }) {
  const { t } = useTranslation("apps");
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const copy = useCopyApp();

  const submit = async () => {
    if (!app) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      const created = await copy.mutateAsync({
        key: app.key,
        newKey: values.key,
        name: values.name.trim(),
        name_en: (values.name_en ?? "").trim(),
      });
      message.success(t("copy.done", { name: created.name }));
      onClose();
      navigate(`/apps/${created.key}`);
    } catch (error) {
      const fields = fieldErrors(error, ["key", "name", "name_en"]);
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
      else message.error(errorMessage(error, t("copy.failed")));
    }
  };

  return (
    <Modal
      open={app !== null}
      title={app ? t("copy.title", { name: app.name }) : ""}
      okText={t("copy.ok")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={copy.isPending}
      destroyOnHidden
      width={480}
    >
      {app && (
        <Form
          form={form}
          layout="vertical"
                    preserve={false}
          initialValues={{
            key: copyKey(app.key, takenKeys),
            name: t("copy.defaultName", { name: app.name }),
            name_en: app.name_en ? t("copy.defaultNameEn", { name: app.name_en }) : "",
          }}
          onFinish={() => void submit()}
        >
          <p className="qb-apps-muted">{t("copy.hint")}</p>
          <Form.Item
            name="name"
            label={t("fields.name")}
            rules={[{ required: true, whitespace: true, message: t("validation.nameRequired") }]}
          >
            <Input maxLength={100} autoFocus data-testid="copy-name" />
          </Form.Item>
          <Form.Item name="name_en" label={t("fields.nameEn")}>
            <Input maxLength={100} />
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
            <Input maxLength={64} spellCheck={false} autoComplete="off" className="qb-apps-mono" data-testid="copy-key" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
