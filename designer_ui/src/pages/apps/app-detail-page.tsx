import {ApartmentOutlined, ArrowLeftOutlined, CloudUploadOutlined, CopyOutlined, DownloadOutlined, EditOutlined, InboxOutlined, MoreOutlined, RollbackOutlined } from "@ant-design/icons";
import { Alert, Button, Dropdown, Result, Tabs, type MenuProps } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { ApiError } from "../../api/errors";
import { hasPermission } from "../../app/boot";
import { useBoot } from "../../app/boot-context";
import { AppIcon } from "../../components/app-icon";
import { QueryState } from "../../components/query-state";
import { exportMenu, useAppCommands } from "./components/app-actions";
import { CopyAppModal } from "./components/copy-app-modal";
import { Forbidden } from "./components/forbidden";
import { PublishModal } from "./components/publish-modal";
import { SettingsTab } from "./components/settings-tab";
import { StatusTags } from "./components/status-tags";
import { VersionsTab } from "./components/versions-tab";
import { appName } from "./lib/format";
import { categoriesOf } from "./lib/status";
import { useAllApps, useApp } from "./use-apps";
import "./apps.css";

const TABS = ["settings", "versions"] as const;
type TabKey = (typeof TABS)[number];

function BackLink() {
  const { t } = useTranslation("apps");
  return (
    <Link to="/apps" className="qb-apps-back">
      <ArrowLeftOutlined /> {t("detail.back")}
    </Link>
  );
}

export function AppDetailPage() {
  const { key = "" } = useParams();
  const { t, i18n } = useTranslation("apps");
  const { user } = useBoot();
  const designer = hasPermission(user, "apps.design") || hasPermission(user, "apps.publish");
  const canDesign = hasPermission(user, "apps.design");
  const canPublish = hasPermission(user, "apps.publish");
  const [params, setParams] = useSearchParams();
  const tab: TabKey = (TABS as readonly string[]).includes(params.get("tab") ?? "") ? (params.get("tab") as TabKey) : "settings";
  const [publishing, setPublishing] = useState(false);
  const [copying, setCopying] = useState(false);
  const query = useApp(key);
  const all = useAllApps(designer);
  const categories = useMemo(() => categoriesOf(all.data ?? [], i18n.language), [all.data, i18n.language]);
  const { doExport, toggleArchive } = useAppCommands();

  if (!designer) return <Forbidden />;

  if (query.error instanceof ApiError && query.error.status === 404) {
    return (
      <Result
        status="404"
        title={t("detail.notFound")}
        subTitle={t("detail.notFoundHint", { key })}
        extra={
          <Link to="/apps">
            <Button type="primary">{t("detail.back")}</Button>
          </Link>
        }
      />
    );
  }
  const app = query.data;
  if (!app) {
    return (
      <div className="qb-apps-page">
        <BackLink />
        <div className="qb-apps-panel">
          <QueryState isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()} rows={8} />
        </div>
      </div>
    );
  }

  const moreItems: MenuProps["items"] = [
    ...(canDesign
      ? [
          { key: "copy", icon: <CopyOutlined />, label: t("actions.copy"), onClick: () => setCopying(true) },
          { type: "divider" as const },
          app.is_archived
            ? { key: "unarchive", icon: <RollbackOutlined />, label: t("actions.unarchive"), onClick: () => toggleArchive(app) }
            : { key: "archive", icon: <InboxOutlined />, label: t("actions.archive"), danger: true, onClick: () => toggleArchive(app) },
        ]
      : []),
  ];

  return (
    <div className="qb-apps-page">
      <BackLink />
      <div className="qb-apps-detail-head">
        <div className="qb-apps-detail-title">
          <AppIcon icon={app.icon} name={app.name} size={48} />
          <div className="qb-apps-detail-text">
            <h1>{appName(app, i18n.language)}</h1>
            <div className="qb-apps-detail-sub">
              <StatusTags app={app} />
              {app.category && <span className="qb-apps-muted">{app.category}</span>}
              {app.owner && <span className="qb-apps-muted">{t("detail.owner", { name: app.owner.name })}</span>}
            </div>
          </div>
        </div>
        <div className="qb-apps-detail-actions">
          {canDesign && (
            <Link to={`/apps/${app.key}/form`}>
              <Button icon={<EditOutlined />} data-testid="design-form">
                {t("actions.designForm")}
              </Button>
            </Link>
          )}
          {canDesign && (
            <Link to={`/apps/${app.key}/flow`}>
              <Button icon={<ApartmentOutlined />} data-testid="design-flow">
                {t("actions.designFlow")}
              </Button>
            </Link>
          )}
          {canDesign && (
            <Dropdown menu={{ items: exportMenu(app, t, (which) => void doExport(app, which)) }} trigger={["click"]}>
              <Button icon={<DownloadOutlined />} data-testid="export-app">
                {t("actions.export")}
              </Button>
            </Dropdown>
          )}
          {canPublish && (
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              disabled={app.is_archived}
              onClick={() => setPublishing(true)}
              data-testid="publish-app"
            >
              {t("actions.publish")}
            </Button>
          )}
          {moreItems.length > 0 && (
            <Dropdown menu={{ items: moreItems }} trigger={["click"]} placement="bottomRight">
              <Button icon={<MoreOutlined />} aria-label={t("common:actions.more")} data-testid="detail-more" />
            </Dropdown>
          )}
        </div>
      </div>
      {app.description && <p className="qb-apps-description">{app.description}</p>}
      {app.is_archived && (
        <Alert
          type="warning"
          showIcon
          className="qb-apps-gap-bottom"
          title={t("detail.archived")}
          action={
            canDesign && (
              <Button size="small" onClick={() => toggleArchive(app)}>
                {t("actions.unarchive")}
              </Button>
            )
          }
        />
      )}
      <div className="qb-apps-panel">
        <Tabs
          activeKey={tab}
          onChange={(next) => setParams(next === "settings" ? {} : { tab: next }, { replace: true })}
          items={[
            {
              key: "settings",
              label: t("detail.tabs.settings"),
              children: <SettingsTab app={app} categories={categories} readOnly={!canDesign} />,
            },
            {
              key: "versions",
              label: app.published_version
                ? t("detail.tabs.versionsCount", { count: app.published_version.number })
                : t("detail.tabs.versions"),
              children: <VersionsTab app={app} canPublish={canPublish} />,
            },
          ]}
        />
      </div>
      {canPublish && <PublishModal app={app} open={publishing} onClose={() => setPublishing(false)} canVerify={canDesign} />}
      <CopyAppModal
        app={copying ? app : null}
        onClose={() => setCopying(false)}
        takenKeys={(all.data ?? []).map((item) => item.key)}
      />
    </div>
  );
}
