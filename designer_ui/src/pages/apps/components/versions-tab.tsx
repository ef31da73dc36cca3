import { DiffOutlined, HistoryOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Empty, Form, Grid, Input, Modal, Popover, Spin, Table, Tag, type TableProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorMessage } from "../../../api/errors";
import type { AppInfo, VersionBrief } from "../../../api/types";
import { QueryState } from "../../../components/query-state";
import { formatTime } from "../lib/format";
import { useRollback, useVersion, useVersions } from "../use-apps";
import { DiffDrawer, type DiffTarget } from "./diff-drawer";
import { IssueList, issuesOf } from "./issue-list";

function WarningsTag({ appKey, version }: { appKey: string; version: VersionBrief }) {
  const { t } = useTranslation("apps");
  const [open, setOpen] = useState(false);
  const detail = useVersion(appKey, open ? version.number : null);
  if (version.warning_count === 0) return <span className="qb-apps-muted">—</span>;
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      title={t("versions.warningsTitle", { version: version.number })}
      content={
        <div className="qb-apps-popover">
          {detail.isLoading ? <Spin size="small" /> : <IssueList issues={issuesOf(detail.data?.warnings)} />}
        </div>
      }
    >
      <Tag color="warning" variant="filled" className="qb-apps-clickable" role="button" tabIndex={0}
        onKeyDown={(event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            setOpen(!open);
          }
        }}
      >
        {t("versions.warnings", { count: version.warning_count })}
      </Tag>
    </Popover>
  );
}

function RollbackModal({ app, version, latest, onClose }: { app: AppInfo; version: VersionBrief | null; latest: number; onClose: () => void }) {
  const { t } = useTranslation("apps");
  const { message } = AntApp.useApp();
  const [note, setNote] = useState("");
  const rollback = useRollback(app.key);
  const submit = async () => {
    if (!version) return;
    try {
      const created = await rollback.mutateAsync({ number: version.number, note: note.trim() });
      message.success(t("rollback.done", { version: created.number, from: version.number }));
      onClose();
    } catch {
      // shown in the modal
    }
  };
  const refused = rollback.error;
  return (
    <Modal
      open={version !== null}
      title={version ? t("rollback.title", { version: version.number }) : ""}
      okText={t("rollback.ok")}
      okButtonProps={{ danger: true, ...({ "data-testid": "rollback-confirm" } as object) }}
      confirmLoading={rollback.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => {
        setNote("");
        rollback.reset();
      }}
      width={520}
    >
      {version && (
        <>
          <Alert
            type="warning"
            showIcon
            title={t("rollback.explain", { version: version.number, next: latest + 1 })}
            description={app.has_unpublished_changes ? t("rollback.draftLost") : undefined}
          />
          {refused && (
            <div className="qb-apps-gap-top">
              <Alert type="error" showIcon title={errorMessage(refused, t("rollback.failed"))} />
              <IssueList issues={issuesOf((refused as { details?: unknown }).details)} />
            </div>
          )}
          <Form layout="vertical" className="qb-apps-gap-top">
            <Form.Item label={t("rollback.note")}>
              <Input.TextArea
                value={note}
                onChange={(event) => setNote(event.target.value)}
                maxLength={500}
                showCount
                autoSize={{ minRows: 2, maxRows: 4 }}
                placeholder={t("rollback.notePlaceholder")}
                data-testid="rollback-note"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

export function VersionsTab({ app, canPublish }: { app: AppInfo; canPublish: boolean }) {
  const { t } = useTranslation("apps");
  const screens = Grid.useBreakpoint();
  const versions = useVersions(app.key);
  const [diff, setDiff] = useState<DiffTarget | null>(null);
  const [rollingBack, setRollingBack] = useState<VersionBrief | null>(null);
  const current = app.published_version?.number ?? null;
  const latest = versions.data?.[0]?.number ?? 0;

  if (versions.isLoading || versions.error) {
    return <QueryState isLoading={versions.isLoading} error={versions.error} onRetry={() => void versions.refetch()} />;
  }
  const list = versions.data ?? [];

  const actions = (version: VersionBrief) => (
    <span className="qb-apps-version-actions">
      <Button
        size="small"
        type="link"
        disabled={version.number <= 1}
        onClick={() => setDiff({ a: String(version.number - 1), b: String(version.number) })}
        data-testid={`diff-previous-${version.number}`}
      >
        {t("versions.diffPrevious")}
      </Button>
      <Button
        size="small"
        type="link"
        onClick={() => setDiff({ a: String(version.number), b: "draft" })}
        data-testid={`diff-draft-${version.number}`}
      >
        {t("versions.diffDraft")}
      </Button>
      {canPublish && version.number !== current && (
        <Button
          size="small"
          type="link"
          danger
          disabled={app.is_archived}
          onClick={() => setRollingBack(version)}
          data-testid={`rollback-${version.number}`}
        >
          {t("versions.rollback")}
        </Button>
      )}
    </span>
  );

  const numberCell = (version: VersionBrief) => (
    <span className="qb-apps-version-number">
      <strong>v{version.number}</strong>
      {version.number === current && (
        <Tag color="success" variant="filled">
          {t("versions.current")}
        </Tag>
      )}
      {version.rolled_back_from != null && (
        <Tag variant="filled" icon={<HistoryOutlined />}>
          {t("versions.rolledBackFrom", { version: version.rolled_back_from })}
        </Tag>
      )}
    </span>
  );

  const columns: TableProps<VersionBrief>["columns"] = [
    { key: "number", title: t("versions.columns.number"), width: 200, render: (_, version) => numberCell(version) },
    {
      key: "by",
      title: t("versions.columns.publishedBy"),
      width: 160,
      render: (_, version) => (
        <span className="qb-apps-stack">
          <span>{version.published_by?.name ?? "—"}</span>
          <span className="qb-apps-muted qb-apps-small">{formatTime(version.published_at)}</span>
        </span>
      ),
    },
    {
      key: "note",
      title: t("versions.columns.note"),
      render: (_, version) => (version.note ? <span className="qb-apps-note">{version.note}</span> : <span className="qb-apps-muted">—</span>),
    },
    {
      key: "warnings",
      title: t("versions.columns.warnings"),
      width: 110,
      render: (_, version) => <WarningsTag appKey={app.key} version={version} />,
    },
    { key: "actions", title: t("versions.columns.actions"), width: 330, render: (_, version) => actions(version) },
  ];

  return (
    <div className="qb-apps-versions">
      <div className="qb-apps-versions-bar">
        <span className="qb-apps-muted">{t("versions.hint")}</span>
        {current !== null && app.has_unpublished_changes && (
          <Button icon={<DiffOutlined />} onClick={() => setDiff({ a: "published", b: "draft" })} data-testid="diff-unpublished">
            {t("versions.unpublishedChanges")}
          </Button>
        )}
      </div>
      {list.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("versions.empty")} data-testid="versions-empty" />
      ) : screens.md ? (
        <Table<VersionBrief> rowKey="number" columns={columns} dataSource={list} pagination={false} size="middle" />
      ) : (
        <ul className="qb-apps-version-cards">
          {list.map((version) => (
            <li key={version.number} className="qb-apps-card" data-testid={`version-card-${version.number}`}>
              <div className="qb-apps-card-head">
                {numberCell(version)}
                <WarningsTag appKey={app.key} version={version} />
              </div>
              <div className="qb-apps-card-meta">
                <span>{version.published_by?.name ?? "—"}</span>
                <span>{formatTime(version.published_at)}</span>
              </div>
              {version.note && <div className="qb-apps-note">{version.note}</div>}
              {actions(version)}
            </li>
          ))}
        </ul>
      )}
      <DiffDrawer appKey={app.key} target={diff} onClose={() => setDiff(null)} />
      <RollbackModal app={app} version={rollingBack} latest={latest} onClose={() => setRollingBack(null)} />
    </div>
  );
}
