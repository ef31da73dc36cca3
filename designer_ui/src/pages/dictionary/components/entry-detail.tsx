import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Result, Switch, Tooltip, Typography, type ButtonProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";

import type { DictionaryEntryDetail } from "../../../api/types";
import { ApiError, errorMessage } from "../../../api/errors";
import { QueryState } from "../../../components/query-state";
import { isInUse } from "../lib/errors";
import { displayName } from "../lib/names";
import { fetchUsage, useDeleteEntry, useEntry, useUpdateEntry } from "../use-dictionary";
import { EntryFormModal } from "./entry-form-modal";
import { InUseNotice } from "./in-use-notice";
import { DisabledTag, KindTag } from "./kind-tag";
import { OptionsPanel } from "./options-panel";
import { UsagePanel } from "./usage-panel";

export function EntryDetail({ entryKey, phone, onBack }: { entryKey: string; phone: boolean; onBack: () => void }) {
  const { t } = useTranslation("dictionary");
  const entry = useEntry(entryKey);
  const back = phone && (
    <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} className="qb-dict-back" data-testid="entry-back">
      {t("detail.back")}
    </Button>
  );

  if (entry.error instanceof ApiError && entry.error.status === 404) {
    return (
      <div className="qb-dict-panel">
        {back}
        <Result
          status="404"
          title={t("detail.notFound")}
          subTitle={t("detail.notFoundHint", { key: entryKey })}
          extra={
            <Link to="/dictionary">
              <Button>{t("detail.backToList")}</Button>
            </Link>
          }
        />
      </div>
    );
  }
  if (!entry.data) {
    return (
      <div className="qb-dict-panel">
        {back}
        <QueryState isLoading={entry.isLoading} error={entry.error} onRetry={() => void entry.refetch()} rows={8} />
      </div>
    );
  }
  return (
    <div className="qb-dict-detail" data-testid="entry-detail">
      {back}
      <EntryHeader entry={entry.data} />
      <UsagePanel entryKey={entryKey} />
      <OptionsPanel entry={entry.data} phone={phone} />
    </div>
  );
}

function EntryHeader({ entry }: { entry: DictionaryEntryDetail }) {
  const { t, i18n } = useTranslation("dictionary");
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const update = useUpdateEntry(entry.key);
  const remove = useDeleteEntry();
  const name = displayName(entry.name, entry.name_en, i18n.language);
  const secondName = i18n.language === "en" ? (entry.name_en ? entry.name : "") : entry.name_en;

  const setEnabled = async (enabled: boolean) => {
    try {
      await update.mutateAsync({ enabled });
      message.success(enabled ? t("entry.enabledNow", { name }) : t("entry.disabledNow", { name }));
    } catch (error) {
      message.error(errorMessage(error, t("errors.saveFailed")));
    }
  };

  const showInUse = (text: string) => {
    const usage = client.getQueryData<Parameters<typeof InUseNotice>[0]["usage"]>(["dictionary", "usage", entry.key]);
    modal.confirm({
      title: t("entry.inUseTitle", { name }),
      content: <InUseNotice text={text} usage={usage} hint={t("entry.inUseHint")} />,
      okText: entry.enabled !== false ? t("entry.disableInstead") : t("common:actions.close"),
      cancelText: t("common:actions.close"),
      cancelButtonProps: { "data-testid": "in-use-close", ...(entry.enabled !== false ? {} : { style: { display: "none" } }) } as ButtonProps,
      onOk: entry.enabled !== false ? () => setEnabled(false) : undefined,
    });
  };

  const askDelete = async () => {
    let total = 0;
    try {
      const usage = await client.fetchQuery({
        queryKey: ["dictionary", "usage", entry.key],
        queryFn: () => fetchUsage(entry.key),
        staleTime: 0,
      });
      total = usage.total;
    } catch {
      total = 0; // the server checks again when deleting
    }
    if (total > 0) {
      showInUse(t("entry.inUseText", { count: total }));
      return;
    }
    modal.confirm({
      title: t("entry.deleteTitle", { name }),
      content: t("entry.deleteHint", { count: entry.option_count }),
      okText: t("common:actions.delete"),
      okButtonProps: { danger: true, "data-testid": "confirm-delete" } as ButtonProps,
      cancelText: t("common:actions.cancel"),
      onOk: async () => {
        try {
          await remove.mutateAsync(entry.key);
          message.success(t("entry.deleted", { name }));
          navigate("/dictionary");
        } catch (error) {
          if (isInUse(error)) showInUse(errorMessage(error, ""));
          else modal.error({ title: t("errors.deleteFailed"), content: errorMessage(error, t("errors.deleteFailed")) });
        }
      },
    });
  };

  return (
    <section className="qb-dict-panel qb-dict-header" aria-labelledby="dict-entry-title">
      <div className="qb-dict-header-main">
        <div className="qb-dict-header-title">
          <h2 id="dict-entry-title" data-testid="entry-title">
            {name}
          </h2>
          <KindTag kind={entry.kind} />
          {entry.enabled === false && <DisabledTag />}
        </div>
        {secondName && <div className="qb-dict-header-second">{secondName}</div>}
        <div className="qb-dict-header-meta">
          <span>
            {t("fields.key")}:{" "}
            <Typography.Text code copyable={{ text: entry.key, tooltips: [t("detail.copyKey"), t("detail.copied")] }} data-testid="entry-key">
              {entry.key}
            </Typography.Text>
          </span>
          <span>{t("detail.version", { version: entry.version ?? 1 })}</span>
        </div>
        {entry.description && <p className="qb-dict-header-description">{entry.description}</p>}
      </div>
      <div className="qb-dict-header-actions">
        <label className="qb-dict-switch-label">
          <Switch
            checked={entry.enabled !== false}
            loading={update.isPending}
            onChange={(checked) => void setEnabled(checked)}
            aria-label={t("entry.enabledLabel")}
            data-testid="entry-enabled"
          />
          <span>{entry.enabled !== false ? t("state.enabled") : t("state.disabled")}</span>
        </label>
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="entry-edit">
          {t("common:actions.edit")}
        </Button>
        <Tooltip title={t("entry.deleteTip")}>
          <Button danger icon={<DeleteOutlined />} onClick={() => void askDelete()} data-testid="entry-delete" aria-label={t("entry.delete")}>
            {t("common:actions.delete")}
          </Button>
        </Tooltip>
      </div>
      {entry.enabled === false && (
        <Alert className="qb-dict-header-alert" type="warning" showIcon title={t("entry.disabledBanner")} />
      )}
      <EntryFormModal open={editing} entry={entry} onClose={() => setEditing(false)} />
    </section>
  );
}
