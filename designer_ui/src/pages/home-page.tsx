import { AppstoreOutlined, BookOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Button, Card, Empty, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { api, unwrap } from "../api/client";
import type { AppPublic } from "../api/types";
import { hasPermission } from "../app/boot";
import { useBoot } from "../app/boot-context";
import { AppIcon } from "../components/app-icon";
import { QueryState } from "../components/query-state";
import { localized } from "../i18n";
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
  const { user } = useBoot();
  const apps = useStartableApps();
  const designer = hasPermission(user, "apps.design");
  return (
    <div className="qb-home">
      <div className="qb-home-hello">
        <Typography.Title level={3} className="qb-home-greeting">{t("home.greeting", { name: user.name })}</Typography.Title>
        <Typography.Text type="secondary">{t("home.subtitle")}</Typography.Text>
      </div>
      <Card title={t("home.myApps")} className="qb-home-card">
        <QueryState isLoading={apps.isLoading} error={apps.error} onRetry={() => void apps.refetch()} />
        {apps.data && apps.data.length === 0 && (
          <Empty description={designer ? `${t("home.noApps")} ${t("home.noAppsAdmin")}` : t("home.noApps")} />
        )}
        {apps.data && apps.data.length > 0 && (
          <div className="qb-app-grid">
            {apps.data.map((app) => (
              <Link key={app.key} to={`/start/${app.key}`} className="qb-app-tile" data-testid={`start-${app.key}`}>
                <AppIcon icon={app.icon} name={app.name} />
                <span className="qb-app-tile-name">{i18n.language === "en" && app.name_en ? app.name_en : app.name}</span>
                {app.category && <span className="qb-app-tile-category">{localized(app.category)}</span>}
              </Link>
            ))}
          </div>
        )}
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
