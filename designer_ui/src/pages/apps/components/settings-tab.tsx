import { Alert, App as AntApp, AutoComplete, Button, Descriptions, Form, Input } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { errorMessage } from "../../../api/errors";
import type { AppInfo } from "../../../api/types";
import { fieldErrors } from "../lib/form-errors";
import { formatTime } from "../lib/format";
import { useUpdateApp } from "../use-apps";
import { IconPicker } from "./icon-picker";
import { DepartmentPicker, RolePicker, UserPicker } from "./org-pickers";

interface Values {
  name: string;
  name_en: string;
  icon: string;
  category: string;
  description: string;
  owner: number | null;
  visibility: { departments: number[]; roles: string[]; users: number[] };
}

function valuesOf(app: AppInfo): Values {
  return {
    name: app.name,
    name_en: app.name_en ?? "",
    icon: app.icon || "app",
    category: app.category ?? "",
    description: app.description ?? "",
    owner: app.owner?.id ?? null,
    visibility: {
      departments: app.visibility?.departments ?? [],
      roles: app.visibility?.roles ?? [],
      users: app.visibility?.users ?? [],
    },
  };
}

const FIELDS = ["name", "name_en", "icon", "category", "description", "owner"] as const;

export function SettingsTab({ app, categories, readOnly }: { app: AppInfo; categories: string[]; readOnly: boolean }) {
  const { t } = useTranslation("apps");
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const update = useUpdateApp(app.key);
  const [dirty, setDirty] = useState(false);
  const [visibilityError, setVisibilityError] = useState<string | null>(null);
  const initial = useMemo(() => valuesOf(app), [app]);
  const name = Form.useWatch("name", form) ?? app.name;
  const visibility = Form.useWatch("visibility", form);
  const everyone =
    !visibility || (!visibility.departments?.length && !visibility.roles?.length && !visibility.users?.length);

  useEffect(() => {
    // A saved change (or someone else's) comes back from the server: show it unless the user is editing.
    if (!dirty) form.setFieldsValue(initial);
  }, [initial, dirty, form]);

  const save = async (values: Values) => {
    setVisibilityError(null);
    try {
      await update.mutateAsync({
        name: values.name.trim(),
        name_en: (values.name_en ?? "").trim(),
        icon: values.icon,
        category: (values.category ?? "").trim(),
        description: (values.description ?? "").trim(),
        owner: values.owner ?? null,
        visibility: values.visibility,
      });
      setDirty(false);
      message.success(t("settings.saved"));
    } catch (error) {
      const fields = fieldErrors(error, [...FIELDS, "visibility"]);
      const onForm = fields.filter((field) => field.name !== "visibility");
      const onVisibility = fields.find((field) => field.name === "visibility");
      if (onForm.length) form.setFields(onForm as Parameters<typeof form.setFields>[0]);
      if (onVisibility) setVisibilityError(onVisibility.errors.join(" "));
      if (!fields.length) message.error(errorMessage(error, t("settings.failed")));
    }
  };

  return (
    <div className="qb-apps-settings">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        className="qb-apps-overview"
        items={[
          { key: "key", label: t("fields.key"), children: <span className="qb-apps-mono">{app.key}</span> },
          {
            key: "version",
            label: t("overview.published"),
            children: app.published_version
              ? t("overview.publishedAt", { version: app.published_version.number, time: formatTime(app.published_version.published_at) })
              : t("status.never-published"),
          },
          { key: "created", label: t("overview.created"), children: formatTime(app.created_at) },
          { key: "updated", label: t("overview.updated"), children: formatTime(app.updated_at) },
        ]}
      />
      <Form<Values>
        form={form}
        layout="vertical"
                initialValues={initial}
        disabled={readOnly || app.is_archived}
        onValuesChange={() => setDirty(true)}
        onFinish={(values) => void save(values)}
        className="qb-apps-settings-form"
      >
        <section className="qb-apps-section">
          <h3>{t("settings.basics")}</h3>
          <div className="qb-apps-grid-2">
            <Form.Item name="name" label={t("fields.name")} rules={[{ required: true, whitespace: true, message: t("validation.nameRequired") }]}>
              <Input maxLength={100} data-testid="settings-name" />
            </Form.Item>
            <Form.Item name="name_en" label={t("fields.nameEn")}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="category" label={t("fields.category")}>
              <AutoComplete
                options={categories.map((category) => ({ value: category }))}
                filterOption={(input, option) => String(option?.value ?? "").toLowerCase().includes(input.toLowerCase())}
                maxLength={64}
                placeholder={t("create.categoryPlaceholder")}
              />
            </Form.Item>
            <Form.Item name="owner" label={t("fields.owner")}>
              <UserPicker mode="single" placeholder={t("settings.ownerPlaceholder")} testId="settings-owner" />
            </Form.Item>
          </div>
          <Form.Item name="icon" label={t("fields.icon")}>
            <IconPicker name={name} disabled={readOnly || app.is_archived} />
          </Form.Item>
          <Form.Item name="description" label={t("fields.description")}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} showCount />
          </Form.Item>
        </section>
        <section className="qb-apps-section">
          <h3>{t("visibility.title")}</h3>
          <p className="qb-apps-muted">{everyone ? t("visibility.everyone") : t("visibility.restricted")}</p>
          {visibilityError && <Alert type="error" showIcon title={visibilityError} className="qb-apps-gap-bottom" />}
          <Form.Item name={["visibility", "departments"]} label={t("visibility.departments")} extra={t("visibility.departmentsHelp")}>
            <DepartmentPicker />
          </Form.Item>
          <Form.Item name={["visibility", "roles"]} label={t("visibility.roles")}>
            <RolePicker />
          </Form.Item>
          <Form.Item name={["visibility", "users"]} label={t("visibility.users")}>
            <UserPicker mode="multiple" placeholder={t("visibility.usersPlaceholder")} testId="visibility-users" />
          </Form.Item>
        </section>
        {!readOnly && !app.is_archived && (
          <div className="qb-apps-form-actions">
            {dirty && <span className="qb-apps-muted">{t("common:state.unsaved")}</span>}
            <Button
              onClick={() => {
                form.setFieldsValue(initial);
                setDirty(false);
                setVisibilityError(null);
              }}
              disabled={!dirty || update.isPending}
            >
              {t("settings.reset")}
            </Button>
            <Button type="primary" htmlType="submit" loading={update.isPending} disabled={!dirty} data-testid="settings-save">
              {t("common:actions.save")}
            </Button>
          </div>
        )}
      </Form>
    </div>
  );
}
