import { SwapOutlined } from "@ant-design/icons";
import { Button, Dropdown, type MenuProps } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { AppIcon } from "../components/app-icon";
import { useStartableApps } from "../pages/home-page";

/** The apps the user may start, one click away from any page. */
export function AppSwitcher({ compact }: { compact: boolean }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const apps = useStartableApps();
  const list = apps.data ?? [];
  const items: MenuProps["items"] = list.length
    ? list.map((app) => ({
        key: app.key,
        icon: <AppIcon icon={app.icon} name={app.name} size={20} />,
        label: i18n.language === "en" && app.name_en ? app.name_en : app.name,
        onClick: () => navigate(`/start/${app.key}`),
      }))
    : [{ key: "none", disabled: true, label: t("nav.noApps") }];
  return (
    <Dropdown menu={{ items, style: { maxHeight: 420, overflowY: "auto" } }} trigger={["click"]}>
      <Button type="text" icon={<SwapOutlined />} aria-label={t("nav.switchApp")} className="qb-switcher" data-testid="app-switcher">
        {!compact && t("nav.switchApp")}
      </Button>
    </Dropdown>
  );
}
