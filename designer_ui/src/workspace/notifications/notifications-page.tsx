import { CheckOutlined, SettingOutlined } from "@ant-design/icons";
import { App, Button, Empty, Grid, Pagination, Tabs, Tooltip } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { ApiError, errorMessage } from "../../api/errors";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { isKnownKind, KindIcon } from "./kind-icon";
import { PreferencesDrawer } from "./preferences-drawer";
import { absoluteTimeText, relativeTimeText } from "./relative-time";
import {
  NOTIFICATIONS_PAGE_SIZE,
  type Notification,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
  useUnreadCount,
} from "./use-notifications";
import "./notifications.css";

type Tab = "all" | "unread";

function NotificationItem({
  item,
  onOpen,
  onMarkRead,
}: {
  item: Notification;
  onOpen: (item: Notification) => void;
  onMarkRead: (item: Notification) => void;
}) {
  const { t, i18n } = useTranslation("notifications");
  const kindLabel = t(isKnownKind(item.kind) ? `kinds.${item.kind}` : "kinds.other");
  const when = relativeTimeText(item.created_at, { language: i18n.language, justNow: t("time.justNow") });
  const Subject = item.read ? "span" : "strong";
  return (
    <li className={"qb-notif-item" + (item.read ? "" : " is-unread")} data-testid={`notification-${item.id}`}>
      <button type="button" className="qb-notif-main" onClick={() => onOpen(item)}>
        <KindIcon kind={item.kind} />
        <span className="qb-notif-text">
          <Subject className="qb-notif-subject" data-testid={`notification-subject-${item.id}`}>
            {!item.read && <span className="qb-notif-sr-only">{t("list.unreadDot")} </span>}
            {item.subject}
          </Subject>
          {item.body && <span className="qb-notif-body">{item.body}</span>}
          <span className="qb-notif-meta">
            <span>{kindLabel}</span>
            {when && (
              <>
                <span aria-hidden="true">·</span>
                <time dateTime={item.created_at} title={absoluteTimeText(item.created_at)}>
                  {when}
                </time>
              </>
            )}
          </span>
        </span>
      </button>
      <span className="qb-notif-side">
        {item.read ? (
          <span className="qb-notif-dot-space" />
        ) : (
          <>
            <span className="qb-notif-dot" aria-hidden="true" />
            <Tooltip title={t("actions.markRead")}>
              <Button
                type="text"
                shape="circle"
                className="qb-notif-mark"
                icon={<CheckOutlined />}
                aria-label={t("actions.markReadFor", { subject: item.subject })}
                data-testid={`notification-mark-${item.id}`}
                onClick={() => onMarkRead(item)}
              />
            </Tooltip>
          </>
        )}
      </span>
    </li>
  );
}

/** /app/notifications: every notification of the signed-in user, newest first. */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const { message } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [tab, setTab] = useState<Tab>("all");
  const [page, setPage] = useState(1);
  const [settingsOpen, setSettingsOpen] = useState(false);

  const list = useNotifications({ unreadOnly: tab === "unread", page });
  // The "all" tab's count while the unread tab is shown (usually cached from the first visit).
  const allFirstPage = useNotifications({ unreadOnly: false, page: 1 }, { enabled: tab === "unread" });
  const unread = useUnreadCount();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();

  // The page vanished under us (read elsewhere, or the last unread one on it was marked): go to the first.
  const pageGone = page > 1 && list.error instanceof ApiError && list.error.status === 404;
  useEffect(() => {
    if (pageGone) setPage(1);
  }, [pageGone]);

  const unreadCount = unread.data?.unread;
  const allCount = tab === "all" ? list.data?.count : allFirstPage.data?.count;
  const items = list.data?.results ?? [];
  const total = list.data?.count ?? 0;

  const markOne = (item: Notification) => {
    if (item.read) return;
    markRead.mutate(item.id, {
      onError: (error) => void message.error(errorMessage(error, t("list.markReadFailed"))),
    });
  };

  const open = (item: Notification) => {
    markOne(item);
    if (item.instance_id != null) void navigate(`/instances/${item.instance_id}`);
  };

  const markAllRead = () => {
    if (markAll.isPending) return;
    markAll.mutate(undefined, {
      onSuccess: (result) => void message.success(t("list.markedAll", { count: result.marked })),
      onError: (error) => void message.error(errorMessage(error, t("list.markAllFailed"))),
    });
  };

  const tabLabel = (text: string, count: number | undefined) => (
    <span className="qb-notif-tab">
      {text}
      {count !== undefined && <span className="qb-notif-tab-count">{count > 999 ? "999+" : count}</span>}
    </span>
  );

  const empty = (
    <Empty
      className="qb-notif-empty"
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      data-testid="notifications-empty"
      description={
        <span className="qb-notif-empty-text">
          <span className="qb-notif-empty-title">{tab === "unread" ? t("list.emptyUnread") : t("list.emptyAll")}</span>
          <span className="qb-notif-empty-hint">{tab === "unread" ? t("list.emptyUnreadHint") : t("list.emptyAllHint")}</span>
        </span>
      }
    />
  );

  let content;
  if (list.isLoading || (list.error && !list.data) || pageGone) {
    content = (
      <div className="qb-notif-state">
        <QueryState isLoading={list.isLoading || pageGone} error={list.error} onRetry={() => void list.refetch()} rows={6} />
      </div>
    );
  } else if (items.length === 0) {
    content = empty;
  } else {
    content = (
      <ul
        className={"qb-notif-list" + (list.isPlaceholderData ? " is-stale" : "")}
        aria-label={t("list.label")}
        aria-busy={list.isPlaceholderData}
        data-testid="notifications-list"
      >
        {items.map((item) => (
          <NotificationItem key={item.id} item={item} onOpen={open} onMarkRead={markOne} />
        ))}
      </ul>
    );
  }

  return (
    <div className="qb-notif-page">
      <PageHeader
        title={t("title")}
        extra={
          <>
            <Button
              icon={<CheckOutlined />}
              onClick={markAllRead}
              loading={markAll.isPending}
              disabled={!unreadCount}
              className="qb-notif-header-button"
              data-testid="notifications-mark-all"
            >
              {t("actions.markAllRead")}
            </Button>
            <Button
              icon={<SettingOutlined />}
              onClick={() => setSettingsOpen(true)}
              className="qb-notif-header-button"
              data-testid="notifications-settings"
            >
              {t("actions.settings")}
            </Button>
          </>
        }
      />
      <div className="qb-notif-panel">
        <Tabs
          className="qb-notif-tabs"
          activeKey={tab}
          onChange={(key) => {
            setTab(key as Tab);
            setPage(1);
          }}
          items={[
            { key: "all", label: tabLabel(t("tabs.all"), allCount) },
            { key: "unread", label: tabLabel(t("tabs.unread"), unreadCount) },
          ]}
        />
        {content}
      </div>
      {total > NOTIFICATIONS_PAGE_SIZE && (
        <Pagination
          className="qb-notif-pager"
          current={page}
          total={total}
          pageSize={NOTIFICATIONS_PAGE_SIZE}
          showSizeChanger={false}
          simple={phone}
          onChange={setPage}
        />
      )}
      <PreferencesDrawer open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </div>
  );
}
