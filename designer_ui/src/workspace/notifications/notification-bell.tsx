import { BellOutlined } from "@ant-design/icons";
import { Badge } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useUnreadCount } from "./use-notifications";
import "./notifications.css";

/** The top bar's bell: the unread count, a link to the notification center (40×40 touch target). */
export function NotificationBell({ className }: { className?: string }) {
  const { t } = useTranslation("notifications");
  const unread = useUnreadCount();
  const count = unread.data?.unread ?? 0;
  const label = count > 0 ? t("bell.labelUnread", { count }) : t("bell.label");
  return (
    <Link
      to="/notifications"
      className={"qb-notif-bell" + (className ? " " + className : "")}
      aria-label={label}
      title={label}
      data-testid="notification-bell"
    >
      <Badge count={count} size="small" overflowCount={99} offset={[2, -2]}>
        <BellOutlined className="qb-notif-bell-icon" />
      </Badge>
    </Link>
  );
}
