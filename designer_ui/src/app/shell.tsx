import {
  AppstoreOutlined,
  BookOutlined,
  DownOutlined,
  GlobalOutlined,
  AuditOutlined,
  ProjectOutlined,
  HomeOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuOutlined,
  ApiOutlined,
} from "@ant-design/icons";
import { Avatar, Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, type MenuProps, Spin } from "antd";
import { Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useMatches, useNavigate } from "react-router-dom";

import { RealtimeProvider } from "../realtime/realtime";
import { useCounts } from "../workspace/inbox/use-inbox";
import { NotificationBell } from "../workspace/notifications/notification-bell";
import { AppSwitcher } from "./app-switcher";
import { hasPermission } from "./boot";
import { useBoot } from "./boot-context";
import { postForm } from "./post-form";
import "./global.css";
import "./shell.css";

interface NavItem {
  key: string;
  path: string;
  icon: React.ReactNode;
  label: string;
  count?: number;
}

function useNavItems(): NavItem[] {
  const { t } = useTranslation();
  const { user } = useBoot();
  const counts = useCounts();
  const items: NavItem[] = [
    { key: "home", path: "/", icon: <HomeOutlined />, label: t("nav.workspace") },
    { key: "inbox", path: "/inbox", icon: <AuditOutlined />, label: t("nav.inbox"), count: counts.data?.todo ?? 0 },
    { key: "progress", path: "/progress", icon: <ProjectOutlined />, label: t("nav.progress") },
  ];
  if (hasPermission(user, "apps.design") || hasPermission(user, "apps.publish")) {
    items.push({ key: "apps", path: "/apps", icon: <AppstoreOutlined />, label: t("nav.apps") });
  }
  if (hasPermission(user, "dictionary.manage")) {
    items.push({ key: "dictionary", path: "/dictionary", icon: <BookOutlined />, label: t("nav.dictionary") });
  }
  return items;
}

function selectedKey(pathname: string, items: NavItem[]): string {
  // A request belongs to the approvals section.
  if (pathname.startsWith("/instances/")) return "inbox";
  const match = [...items].reverse().find((item) => item.path !== "/" && pathname.startsWith(item.path));
  // The workspace owns "/" and the pages reached from it (starting a request); others, such
  // as the notifications, belong to no menu item.
  return match?.key ?? (pathname === "/" || pathname.startsWith("/start/") ? "home" : "");
}

function UserMenu({ compact }: { compact: boolean }) {
  const { t, i18n } = useTranslation();
  const boot = useBoot();
  const location = useLocation();
  const current = i18n.language === "en" ? "en" : "zh-hans";
  const switchLanguage = (code: string) => {
    if (code === current) return;
    // Django keeps the language in the session/cookie; the page reloads in it.
    postForm(boot.urls.set_language, { language: code, next: boot.urls.root.replace(/\/$/, "") + location.pathname });
  };
  const items: MenuProps["items"] = [
    {
      key: "who",
      type: "group",
      label: (
        <span className="qb-user-who">
          {boot.user.name}
          {boot.user.department ? ` · ${boot.user.department.name}` : ""}
        </span>
      ),
    },
    { type: "divider" },
    {
      key: "language",
      icon: <GlobalOutlined />,
      label: t("user.language"),
      children: boot.languages.map((language) => ({
        key: "lang:" + language.code,
        label: language.name,
        onClick: () => switchLanguage(language.code),
      })),
    },
    {
      key: "password",
      icon: <LockOutlined />,
      label: <a href={boot.urls.password_change}>{t("user.changePassword")}</a>,
    },
    { key: "docs", icon: <ApiOutlined />, label: <a href={boot.urls.api_docs}>{t("user.apiDocs")}</a> },
    { type: "divider" },
    {
      key: "logout",
      icon: <LogoutOutlined />,
      label: t("user.signOut"),
      onClick: () => postForm(boot.urls.logout, {}),
    },
  ];
  return (
    <Dropdown menu={{ items, selectedKeys: ["lang:" + current] }} trigger={["click"]} placement="bottomRight">
      <Button type="text" className="qb-user-button" aria-label={`${boot.user.name} · ${t("user.menu")}`} data-testid="user-menu">
        {/* The initials are drawn by CSS: they picture the user, and as text they would join the
            button's visible label, which then no longer matches its name (WCAG 2.5.3). */}
        <Avatar size={28} className="qb-avatar" aria-hidden="true" data-initials={boot.user.name.slice(-2)} />
        {!compact && <span className="qb-user-name">{boot.user.name}</span>}
        {!compact && <DownOutlined className="qb-user-caret" />}
      </Button>
    </Dropdown>
  );
}

export function Shell() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const compact = !screens.md;
  const items = useNavItems();
  const location = useLocation();
  const navigate = useNavigate();
  const matches = useMatches();
  const fullBleed = matches.some((match) => (match.handle as { fullBleed?: boolean } | undefined)?.fullBleed);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const menuItems: MenuProps["items"] = items.map((item) => ({
    key: item.key,
    icon: item.icon,
    label: (
      <Link to={item.path} data-testid={`nav-${item.key}`}>
        {item.label}
        {item.count ? <Badge count={item.count} size="small" className="qb-nav-count" data-testid={`nav-${item.key}-count`} /> : null}
      </Link>
    ),
  }));
  const selected = selectedKey(location.pathname, items);

  return (
    <RealtimeProvider>
    <Layout className="qb-shell">
      <Layout.Header className="qb-topbar">
        {compact && (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t("nav.menu")}
            onClick={() => setDrawerOpen(true)}
            className="qb-menu-button"
          />
        )}
        <Link to="/" className="qb-brand" aria-label={compact ? t("brand") : undefined}>
          <span className="qb-brand-mark" aria-hidden="true">
            巧
          </span>
          {!compact && <span className="qb-brand-name">{t("brand")}</span>}
        </Link>
        <AppSwitcher compact={compact} />
        {!compact && (
          <Menu mode="horizontal" selectedKeys={[selected]} items={menuItems} className="qb-topnav" disabledOverflow />
        )}
        <div className="qb-topbar-spacer" />
        <NotificationBell />
        <UserMenu compact={compact} />
      </Layout.Header>
      <Drawer
        placement="left"
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
        size={260}
        title={t("brand")}
        styles={{ body: { padding: 0 } }}
      >
        <Menu
          mode="inline"
          selectedKeys={[selected]}
          items={items.map((item) => ({
            key: item.key,
            icon: item.icon,
            label: (
              <span>
                {item.label}
                {item.count ? <Badge count={item.count} size="small" className="qb-nav-count" /> : null}
              </span>
            ),
          }))}
          onClick={({ key }) => {
            const item = items.find((entry) => entry.key === key);
            setDrawerOpen(false);
            if (item) navigate(item.path);
          }}
        />
      </Drawer>
      <Layout.Content className={fullBleed ? "qb-content qb-content-full" : "qb-content"}>
        <Suspense fallback={<Spin className="qb-page-spin" />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
    </Layout>
    </RealtimeProvider>
  );
}
