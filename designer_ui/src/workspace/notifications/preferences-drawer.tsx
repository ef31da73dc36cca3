import { App, Button, Drawer, Form, Grid, Radio, Switch, TimePicker } from "antd";
import { type ReactNode, useRef } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorMessage } from "../../api/errors";
import { QueryState } from "../../components/query-state";
import {
  formToPreferences,
  preferencesToForm,
  quietHoursMissing,
  TIME_FORMAT,
  type PreferencesFormValues,
} from "./preferences-form";
import { type NotificationPreferences, usePreferences, useSavePreferences } from "./use-notifications";
import "./notifications.css";

const FORM_FIELDS = ["email_enabled", "im_enabled", "quiet_start", "quiet_end", "digest", "digest_time"] as const;
type FormField = (typeof FORM_FIELDS)[number];

function isFormField(name: string): name is FormField {
  return (FORM_FIELDS as readonly string[]).includes(name);
}

/** Field errors the server named: DRF's {"field": ["…"]} or our {"field": "quiet_end"}. */
function serverFieldErrors(error: unknown): { name: FormField; errors: string[] }[] {
  if (!(error instanceof ApiError)) return [];
  const named = error.details as { field?: unknown } | null | undefined;
  if (named && typeof named === "object" && typeof named.field === "string" && isFormField(named.field)) {
    return [{ name: named.field, errors: [error.message] }];
  }
  return error
    .fieldProblems()
    .filter((problem) => isFormField(problem.field))
    .map((problem) => ({ name: problem.field as FormField, errors: problem.messages }));
}

function ChannelRow({ id, title, note, children }: { id: string; title: string; note: string; children: ReactNode }) {
  return (
    <div className="qb-notif-pref-row">
      <label htmlFor={id} className="qb-notif-pref-text">
        <span className="qb-notif-pref-title">{title}</span>
        <span className="qb-notif-pref-note">{note}</span>
      </label>
      {children}
    </div>
  );
}

function PreferencesForm({ preferences, onDone }: { preferences: NotificationPreferences; onDone: () => void }) {
  const { t } = useTranslation("notifications");
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [form] = Form.useForm<PreferencesFormValues>();
  const digest = Form.useWatch("digest", form);
  const save = useSavePreferences();
  // validateFields is asynchronous: a second click before the mutation starts must not send twice.
  const submitting = useRef(false);

  const submit = async () => {
    if (submitting.current || save.isPending) return;
    submitting.current = true;
    try {
      try {
        await form.validateFields();
      } catch {
        return; // the form shows what is wrong; nothing is sent
      }
      const values = form.getFieldsValue(true) as PreferencesFormValues;
      const saved = await save.mutateAsync(formToPreferences(values));
      form.setFieldsValue(preferencesToForm(saved));
      void message.success(t("preferences.saved"));
      onDone();
    } catch (error) {
      form.setFields(serverFieldErrors(error));
      void message.error(errorMessage(error, t("preferences.saveFailed")));
    } finally {
      submitting.current = false;
    }
  };

  const quietRule = {
    validator: () => {
      const missing = quietHoursMissing({
        quiet_start: form.getFieldValue("quiet_start") as PreferencesFormValues["quiet_start"],
        quiet_end: form.getFieldValue("quiet_end") as PreferencesFormValues["quiet_end"],
      });
      return missing ? Promise.reject(new Error(t("preferences.quietHalfSet"))) : Promise.resolve();
    },
  };

  return (
    <Form<PreferencesFormValues>
      form={form}
      layout="vertical"
      initialValues={preferencesToForm(preferences)}
      requiredMark={false}
      className="qb-notif-pref-form"
      onFinish={() => void submit()}
      data-testid="notification-preferences-form"
    >
      <section className="qb-notif-pref-section">
        <h3>{t("preferences.channels")}</h3>
        <ChannelRow id="qb-notif-pref-in-app" title={t("preferences.inApp")} note={t("preferences.inAppNote")}>
          <Switch id="qb-notif-pref-in-app" checked disabled />
        </ChannelRow>
        <ChannelRow id="qb-notif-pref-email" title={t("preferences.email")} note={t("preferences.emailNote")}>
          <Form.Item name="email_enabled" valuePropName="checked" noStyle>
            <Switch id="qb-notif-pref-email" data-testid="pref-email" />
          </Form.Item>
        </ChannelRow>
        <ChannelRow id="qb-notif-pref-im" title={t("preferences.im")} note={t("preferences.imNote")}>
          <Form.Item name="im_enabled" valuePropName="checked" noStyle>
            <Switch id="qb-notif-pref-im" data-testid="pref-im" />
          </Form.Item>
        </ChannelRow>
      </section>

      <section className="qb-notif-pref-section">
        <Form.Item label={<span className="qb-notif-pref-heading">{t("preferences.quietHours")}</span>} extra={t("preferences.quietHoursNote")} className="qb-notif-pref-item">
          <div className="qb-notif-quiet">
            <Form.Item name="quiet_start" noStyle>
              <TimePicker
                format={TIME_FORMAT}
                minuteStep={5}
                inputReadOnly={phone}
                placeholder={t("preferences.quietStart")}
                aria-label={t("preferences.quietStart")}
                className="qb-notif-time"
                data-testid="pref-quiet-start"
              />
            </Form.Item>
            <span className="qb-notif-quiet-sep" aria-hidden="true">
              –
            </span>
            <Form.Item name="quiet_end" noStyle dependencies={["quiet_start"]} rules={[quietRule]}>
              <TimePicker
                format={TIME_FORMAT}
                minuteStep={5}
                inputReadOnly={phone}
                placeholder={t("preferences.quietEnd")}
                aria-label={t("preferences.quietEnd")}
                className="qb-notif-time"
                data-testid="pref-quiet-end"
              />
            </Form.Item>
          </div>
        </Form.Item>
      </section>

      <section className="qb-notif-pref-section">
        <Form.Item name="digest" label={<span className="qb-notif-pref-heading">{t("preferences.digest")}</span>} extra={t("preferences.digestNote")} className="qb-notif-pref-item">
          <Radio.Group
            className="qb-notif-digest"
            options={[
              { value: "off", label: t("preferences.digestOff") },
              { value: "hourly", label: t("preferences.digestHourly") },
              { value: "daily", label: t("preferences.digestDaily") },
            ]}
          />
        </Form.Item>
        {digest === "hourly" && <p className="qb-notif-pref-note qb-notif-digest-note">{t("preferences.digestHourlyNote")}</p>}
        {digest === "daily" && (
          <Form.Item name="digest_time" label={t("preferences.digestTime")} className="qb-notif-pref-item qb-notif-digest-time">
            <TimePicker format={TIME_FORMAT} minuteStep={5} inputReadOnly={phone} allowClear={false} className="qb-notif-time" data-testid="pref-digest-time" />
          </Form.Item>
        )}
      </section>

      <section className="qb-notif-pref-section">
        <h3>{t("preferences.timeZone")}</h3>
        <p className="qb-notif-pref-zone" data-testid="pref-time-zone">
          {preferences.time_zone}
        </p>
        <p className="qb-notif-pref-note">{t("preferences.timeZoneNote")}</p>
      </section>

      <div className="qb-notif-pref-actions">
        <Button onClick={onDone} className="qb-notif-header-button">
          {tc("actions.cancel")}
        </Button>
        <Button type="primary" htmlType="submit" loading={save.isPending} className="qb-notif-header-button" data-testid="pref-save">
          {t("preferences.save")}
        </Button>
      </div>
    </Form>
  );
}

/** "通知设置": channels, quiet hours, reminder digest. The form is rebuilt each time it opens. */
export function PreferencesDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation("notifications");
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const preferences = usePreferences({ enabled: open });
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t("preferences.title")}
      placement="right"
      size={phone ? "100%" : 440}
      destroyOnHidden
      className="qb-notif-drawer"
    >
      {preferences.data ? (
        <PreferencesForm preferences={preferences.data} onDone={onClose} />
      ) : (
        <QueryState isLoading={preferences.isLoading} error={preferences.error} onRetry={() => void preferences.refetch()} rows={8} />
      )}
    </Drawer>
  );
}
