import {ApartmentOutlined, EditOutlined, ImportOutlined, PlusOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Empty, Grid, Input, Pagination, Select, Switch, Table, type TableProps, Tooltip } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";

import type { AppInfo } from "../../api/types";
import { hasPermission } from "../../app/boot";
import { useBoot } from "../../app/boot-context";
import { AppIcon } from "../../components/app-icon";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { AppRowActions } from "./components/app-actions";
import { CopyAppModal } from "./components/copy-app-modal";
import { CreateAppModal } from "./components/create-app-modal";
import { Forbidden } from "./components/forbidden";
import { ImportAppModal } from "./components/import-app-modal";
import { StatusTags } from "./components/status-tags";
import { appName, formatTime } from "./lib/format";
import { categoriesOf } from "./lib/status";
import { useAllApps, useAppList } from "./use-apps";
import { useDebounced } from "../../lib/use-debounced";
import "./apps.css";

const PAGE_SIZE = 20;

function AppNameCell({ app }: { app: AppInfo }) {
  const { i18n } = useTranslation("apps");
  return (
    <Link to={`/apps/${app.key}`} className="qb-apps-name-cell" data-testid={`app-link-${app.key}`}>
      <AppIcon icon={app.icon} name={app.name} size={36} />
      <span className="qb-apps-name-text">
        <span className="qb-apps-name">{appName(app, i18n.language)}</span>
        <span className="qb-apps-key">{app.key}</span>
      </span>
    </Link>
  );
}

function AppCard({ app, onCopy }: { app: AppInfo; onCopy: (app: AppInfo) => void }) {
  const { t } = useTranslation("apps");
  const meta = [app.category, app.owner?.name, formatTime(app.updated_at)].filter(Boolean);
  return (
    <div className="qb-apps-card" data-testid={`app-card-${app.key}`}>
      <div className="qb-apps-card-head">
        <AppNameCell app={app} />
        <AppRowActions app={app} onCopy={onCopy} />
      </div>
      <StatusTags app={app} />
      <div className="qb-apps-card-meta">
        {meta.map((item, index) => (
          <span key={index}>{item}</span>
        ))}
      </div>
      <div className="qb-apps-card-actions">
        <Link to={`/apps/${app.key}/form`}>
          <Button size="small" icon={<EditOutlined />}>
            {t("actions.designForm")}
          </Button>
        </Link>
        <Link to={`/apps/${app.key}/flow`}>
          <Button size="small" icon={<ApartmentOutlined />}>
            {t("actions.designFlow")}
          </Button>
        </Link>
      </div>
    </div>
  );
}

export function AppListPage() {
  const { t, i18n } = useTranslation("apps");
  const { user } = useBoot();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const navigate = useNavigate();
  const designer = hasPermission(user, "apps.design") || hasPermission(user, "apps.publish");
  const canDesign = hasPermission(user, "apps.design");
  const [searchText, setSearchText] = useState("");
  const search = useDebounced(searchText.trim());
  const [category, setCategory] = useState("");
  const [archived, setArchived] = useState(false);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [copying, setCopying] = useState<AppInfo | null>(null);

  const list = useAppList({ search, category, archived, page, pageSize: PAGE_SIZE }, designer);
  const all = useAllApps(designer);
  const categories = useMemo(() => categoriesOf(all.data ?? [], i18n.language), [all.data, i18n.language]);
  const takenKeys = useMemo(() => (all.data ?? []).map((app) => app.key), [all.data]);

  if (!designer) return <Forbidden />;

  const filtered = Boolean(search || category);
  const apps = list.data?.results ?? [];
  const total = list.data?.count ?? 0;
  const hasAny = (all.data?.length ?? 0) > 0;

  const columns: TableProps<AppInfo>["columns"] = [
    { key: "name", title: t("columns.app"), render: (_, app) => <AppNameCell app={app} /> },
    {
      key: "category",
      title: t("columns.category"),
      width: 120,
      render: (_, app) => app.category || <span className="qb-apps-muted">—</span>,
    },
    { key: "status", title: t("columns.status"), width: 220, render: (_, app) => <StatusTags app={app} /> },
    {
      key: "updated",
      title: t("columns.updated"),
      width: 160,
      render: (_, app) => <span className="qb-apps-nowrap">{formatTime(app.updated_at)}</span>,
    },
    {
      key: "owner",
      title: t("columns.owner"),
      width: 120,
      render: (_, app) => app.owner?.name || <span className="qb-apps-muted">—</span>,
    },
    {
      key: "actions",
      title: <span className="qb-sr-only">{t("columns.actions")}</span>,
      width: 150,
      align: "right",
      render: (_, app) => (
        <span className="qb-apps-row-actions">
          <Tooltip title={t("actions.designForm")}>
            <Link to={`/apps/${app.key}/form`} aria-label={t("actions.designFormFor", { name: app.name })}>
              <Button type="link" size="small" icon={<EditOutlined />}>
                {t("actions.design")}
              </Button>
            </Link>
          </Tooltip>
          <AppRowActions app={app} onCopy={setCopying} />
        </span>
      ),
    },
  ];

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={filtered ? t("list.noMatch") : archived ? t("list.noArchived") : t("list.empty")}
      className="qb-apps-empty"
      data-testid="apps-empty"
    >
      {filtered ? (
        <Button
          onClick={() => {
            setSearchText("");
            setCategory("");
            setPage(1);
          }}
        >
          {t("list.clearFilters")}
        </Button>
      ) : (
        canDesign &&
        !hasAny && (
          <div className="qb-apps-empty-actions">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t("list.createFirst")}
            </Button>
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)}>
              {t("actions.import")}
            </Button>
          </div>
        )
      )}
    </Empty>
  );

  return (
    <div className="qb-apps-page">
      <PageHeader
        title={t("list.title")}
        extra={
          canDesign && (
            <>
              <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="import-app">
                {t("actions.import")}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-app">
                {t("actions.create")}
              </Button>
            </>
          )
        }
      />
      <div className="qb-apps-toolbar" role="search">
        <Input
          allowClear
          prefix={<SearchOutlined className="qb-apps-muted" />}
          placeholder={t("list.searchPlaceholder")}
          aria-label={t("list.searchPlaceholder")}
          value={searchText}
          onChange={(event) => {
            setSearchText(event.target.value);
            setPage(1);
          }}
          className="qb-apps-search"
          data-testid="apps-search"
        />
        <Select
          allowClear
          value={category || undefined}
          placeholder={t("list.allCategories")}
          aria-label={t("columns.category")}
          options={categories.map((item) => ({ value: item, label: item }))}
          onChange={(value?: string) => {
            setCategory(value ?? "");
            setPage(1);
          }}
          className="qb-apps-category"
          notFoundContent={t("list.noCategories")}
          data-testid="apps-category"
        />
        <label className="qb-apps-archived-toggle">
          <Switch
            size="small"
            checked={archived}
            onChange={(checked) => {
              setArchived(checked);
              setPage(1);
            }}
            data-testid="apps-show-archived"
          />
          <span>{t("list.showArchived")}</span>
        </label>
      </div>
      {list.isLoading || list.error ? (
        <div className="qb-apps-panel">
          <QueryState isLoading={list.isLoading} error={list.error} onRetry={() => void list.refetch()} rows={6} />
        </div>
      ) : phone ? (
        <div className="qb-apps-cards" aria-busy={list.isFetching}>
          {apps.length === 0 ? (
            <div className="qb-apps-panel">{empty}</div>
          ) : (
            apps.map((app) => <AppCard key={app.key} app={app} onCopy={setCopying} />)
          )}
          {total > PAGE_SIZE && (
            <Pagination simple current={page} pageSize={PAGE_SIZE} total={total} onChange={setPage} className="qb-apps-pager" />
          )}
        </div>
      ) : (
        <div className="qb-apps-panel qb-apps-table-panel">
          <Table<AppInfo>
            rowKey="key"
            columns={columns}
            dataSource={apps}
            loading={list.isFetching && !list.isLoading}
            locale={{ emptyText: empty }}
            onRow={(app) => ({
              onDoubleClick: () => navigate(`/apps/${app.key}`),
              "data-testid": `app-row-${app.key}`,
            }) as React.HTMLAttributes<HTMLElement>}
            pagination={
              total > PAGE_SIZE
                ? { current: page, pageSize: PAGE_SIZE, total, onChange: setPage, showSizeChanger: false }
                : false
            }
            rowClassName={(app) => (app.is_archived ? "qb-apps-archived-row" : "")}
          />
        </div>
      )}
      <CreateAppModal open={creating} onClose={() => setCreating(false)} categories={categories} />
      <ImportAppModal open={importing} onClose={() => setImporting(false)} />
      <CopyAppModal app={copying} onClose={() => setCopying(null)} takenKeys={takenKeys} />
    </div>
  );
}
