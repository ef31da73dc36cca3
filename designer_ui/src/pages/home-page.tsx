// 工作台: the end user's app portal — search, favourites (常用), recently used, drafts (草稿), all apps by category.
import { AppstoreOutlined, BookOutlined, DeleteOutlined, SearchOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { App as AntApp, Button, Card, Empty, Input, Popconfirm, Skeleton, Typography } from "antd";
import { useDeferredValue, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { AppPublic } from "../api/types";
import { hasPermission } from "../app/boot";
import { useBoot } from "../app/boot-context";
import { AppIcon } from "../components/app-icon";
import { QueryState } from "../components/query-state";
import { absoluteTimeText, relativeTimeText } from "../workspace/notifications/relative-time";
import { AppTile } from "./portal/app-tile";
import { appName, favoriteApps, groupByCategory, recentApps, searchApps } from "./portal/lib/portal";
import { useDeleteDraft, useDrafts, useFavorites, useRecentRequests, useToggleFavorite, type RequestDraftBrief } from "./portal/use-portal";
import "./home-page.css";

export function useStartableApps() {
  return useQuery({
    queryKey: ["apps", "startable"],
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/v1/apps/", { params: { query: { startable: true, page_size: 200 } as never } }));
      return page.results as unknown as AppPublic[];
    },
  });
}

export function HomePage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { user } = useBoot();
  const apps = useStartableApps();
  const favorites = useFavorites();
  const toggle = useToggleFavorite();
  const drafts = useDrafts();
  const recent = useRecentRequests();
  const [query, setQuery] = useState("");
  const search = useDeferredValue(query.trim());
  const designer = hasPermission(user, "apps.design");
  const language = i18n.language;

  const all = useMemo(() => apps.data ?? [], [apps.data]);
  const groups = useMemo(() => groupByCategory(searchApps(all, search), language), [all, search, language]);
  const starredKeys = useMemo(() => new Set(favorites.data ?? []), [favorites.data]);
  const starred = useMemo(() => favoriteApps(favorites.data ?? [], all), [favorites.data, all]);
  const recentlyUsed = useMemo(
    () => recentApps(recent.data ?? [], drafts.data ?? [], all),
    [recent.data, drafts.data, all],
  );
  const onStar = (key: string) => (on: boolean) =>
    toggle.mutate({ key, on }, { onError: (error) => void message.error(errorMessage(error, t("home.starFailed"))) });
  const hasApps = all.length > 0;
  const searching = search.length > 0;

  return (
    <div className="qb-home">
      <div className="qb-home-hello">
        <div>
          <Typography.Title level={3} className="qb-home-greeting">{t("home.greeting", { name: user.name })}</Typography.Title>
          <Typography.Text type="secondary">{t("home.subtitle")}</Typography.Text>
        </div>
        {hasApps && (
          <Input
            allowClear
            size="large"
            className="qb-home-search"
            prefix={<SearchOutlined />}
            placeholder={t("home.searchPlaceholder")}
            aria-label={t("home.searchPlaceholder")}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            data-testid="portal-search"
          />
        )}
      </div>

      {hasApps && !searching && (
        <Card title={t("home.favorites")} className="qb-home-card" data-testid="portal-favorites" size="small">
          <QueryState isLoading={favorites.isLoading} error={favorites.error} onRetry={() => void favorites.refetch()} rows={1} />
          {favorites.data && starred.length === 0 && <Typography.Text type="secondary">{t("home.favoritesEmpty")}</Typography.Text>}
          {starred.length > 0 && (
            <div className="qb-app-grid">
              {starred.map((app) => (
                <AppTile key={app.key} app={app} testId={`favorite-${app.key}`} starred onStar={onStar(app.key)} />
              ))}
            </div>
          )}
        </Card>
      )}

      {hasApps && !searching && (recent.isLoading || recent.error || recentlyUsed.length > 0) && (
        <Card title={t("home.recent")} className="qb-home-card" data-testid="portal-recent" size="small">
          <QueryState isLoading={recent.isLoading} error={recent.error} onRetry={() => void recent.refetch()} rows={1} />
          {recentlyUsed.length > 0 && (
            <div className="qb-app-row">
              {recentlyUsed.map((app) => (
                <AppTile key={app.key} app={app} testId={`recent-${app.key}`} />
              ))}
            </div>
          )}
        </Card>
      )}

      {!searching && (drafts.isLoading || drafts.error || (drafts.data?.length ?? 0) > 0) && (
        <Card title={t("home.drafts")} className="qb-home-card" data-testid="portal-drafts" size="small">
          <QueryState isLoading={drafts.isLoading} error={drafts.error} onRetry={() => void drafts.refetch()} rows={2} />
          {drafts.data && drafts.data.length > 0 && <DraftList drafts={drafts.data} />}
        </Card>
      )}

      <Card title={searching ? t("home.searchResults") : t("home.allApps")} className="qb-home-card" data-testid="portal-all" size="small">
        {apps.isLoading ? (
          <div className="qb-app-grid" aria-busy="true">
            {Array.from({ length: 6 }, (_, index) => (
              <Skeleton.Node key={index} active className="qb-app-tile-skeleton" />
            ))}
          </div>
        ) : (
          <QueryState isLoading={false} error={apps.error} onRetry={() => void apps.refetch()} />
        )}
        {apps.data && !hasApps && (
          <Empty description={designer ? `${t("home.noApps")} ${t("home.noAppsAdmin")}` : t("home.noApps")} />
        )}
        {hasApps && groups.length === 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("home.noResults", { query: search })} data-testid="portal-no-results" />
        )}
        {groups.map((group) => (
          <section key={group.category ?? ""} className="qb-app-group" aria-label={group.category ?? t("home.otherCategory")}>
            <Typography.Title level={5} className="qb-app-group-title">
              {group.category ?? t("home.otherCategory")}
              <span className="qb-app-group-count">{group.apps.length}</span>
            </Typography.Title>
            <div className="qb-app-grid">
              {group.apps.map((app) => (
                <AppTile
                  key={app.key}
                  app={app}
                  testId={`start-${app.key}`}
                  starred={starredKeys.has(app.key)}
                  onStar={favorites.data ? onStar(app.key) : undefined}
                />
              ))}
            </div>
          </section>
        ))}
      </Card>

      {(designer || hasPermission(user, "dictionary.manage")) && (
        <Card title={t("home.quickLinks")} className="qb-home-card">
          <div className="qb-home-links">
            {designer && (
              <Link to="/apps">
                <Button icon={<AppstoreOutlined />}>{t("home.manageApps")}</Button>
              </Link>
            )}
            {hasPermission(user, "dictionary.manage") && (
              <Link to="/dictionary">
                <Button icon={<BookOutlined />}>{t("home.manageDictionary")}</Button>
              </Link>
            )}
          </div>
        </Card>
      )}
    </div>
  );
}

function DraftList({ drafts }: { drafts: RequestDraftBrief[] }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const remove = useDeleteDraft();
  return (
    <ul className="qb-draft-list">
      {drafts.map((draft) => {
        const name = appName(draft.app, i18n.language);
        const saved = relativeTimeText(draft.updated_at, { language: i18n.language, justNow: t("home.justNow") });
        return (
          <li key={draft.app.key} className="qb-draft" data-testid={`draft-${draft.app.key}`}>
            <Link to={`/start/${draft.app.key}`} className="qb-draft-link">
              <AppIcon icon={draft.app.icon} name={draft.app.name} size={32} />
              <span className="qb-draft-text">
                <span className="qb-draft-name">{name}</span>
                <span className="qb-draft-time" title={absoluteTimeText(draft.updated_at)}>
                  {t("home.draftSaved", { time: saved })}
                </span>
              </span>
            </Link>
            <Popconfirm
              title={t("home.deleteDraftConfirm", { name })}
              okText={t("home.deleteDraft")}
              okButtonProps={{ danger: true }}
              onConfirm={() =>
                remove.mutate(draft.app.key, {
                  onSuccess: () => void message.success(t("home.draftDeleted")),
                  onError: (error) => void message.error(errorMessage(error, t("home.deleteDraftFailed"))),
                })
              }
            >
              <Button
                type="text"
                className="qb-draft-delete"
                icon={<DeleteOutlined />}
                aria-label={t("home.deleteDraftOf", { name })}
                data-testid={`draft-delete-${draft.app.key}`}
              />
            </Popconfirm>
          </li>
        );
      })}
    </ul>
  );
}
