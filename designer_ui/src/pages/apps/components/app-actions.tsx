import {ApartmentOutlined, CopyOutlined,
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  InboxOutlined,
  MoreOutlined,
  RollbackOutlined,
} from "@ant-design/icons";
import { App as AntApp, Button, Dropdown, type MenuProps } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { errorMessage } from "../../../api/errors";
import type { AppInfo } from "../../../api/types";
import { exportApp, useArchiveApp, type ExportWhich } from "../use-apps";

/** Export and archive/unarchive with their confirmations and messages (shared by the list and the detail page). */
export function useAppCommands() {
  const { t } = useTranslation("apps");
  const { message, modal } = AntApp.useApp();
  const archive = useArchiveApp();

  const doExport = async (app: AppInfo, which: ExportWhich) => {
    const hide = message.loading(t("export.working"), 0);
    try {
      await exportApp(app.key, which);
      message.success(t("export.done"));
    } catch (error) {
      message.error(errorMessage(error, t("export.failed")));
    } finally {
      hide();
    }
  };

  const toggleArchive = (app: AppInfo) => {
    const archiving = !app.is_archived;
    void modal.confirm({
      title: archiving ? t("archive.confirmTitle", { name: app.name }) : t("unarchive.confirmTitle", { name: app.name }),
      content: archiving ? t("archive.confirmText") : t("unarchive.confirmText"),
      okText: archiving ? t("archive.ok") : t("unarchive.ok"),
      okButtonProps: archiving ? { danger: true } : undefined,
      cancelText: t("common:actions.cancel"),
      onOk: async () => {
        try {
          await archive.mutateAsync({ key: app.key, archive: archiving });
          message.success(archiving ? t("archive.done", { name: app.name }) : t("unarchive.done", { name: app.name }));
        } catch (error) {
          message.error(errorMessage(error, t("archive.failed")));
        }
      },
    });
  };

  return { doExport, toggleArchive };
}

export function exportMenu(app: AppInfo, t: (key: string) => string, onExport: (which: ExportWhich) => void): MenuProps["items"] {
  return [
    { key: "export-draft", label: t("export.draft"), onClick: () => onExport("draft") },
    {
      key: "export-published",
      label: t("export.published"),
      disabled: !app.published_version,
      onClick: () => onExport("published"),
    },
  ];
}

/** The "more" menu of one app in the list. */
export function AppRowActions({ app, onCopy }: { app: AppInfo; onCopy: (app: AppInfo) => void }) {
  const { t } = useTranslation("apps");
  const navigate = useNavigate();
  const { doExport, toggleArchive } = useAppCommands();
  const items: MenuProps["items"] = [
    { key: "open", icon: <EyeOutlined />, label: t("actions.open"), onClick: () => navigate(`/apps/${app.key}`) },
    { key: "design", icon: <EditOutlined />, label: t("actions.designForm"), onClick: () => navigate(`/apps/${app.key}/form`) },
    { key: "flow", icon: <ApartmentOutlined />, label: t("actions.designFlow"), onClick: () => navigate(`/apps/${app.key}/flow`) },
    { key: "copy", icon: <CopyOutlined />, label: t("actions.copy"), onClick: () => onCopy(app) },
    {
      key: "export",
      icon: <DownloadOutlined />,
      label: t("actions.export"),
      children: exportMenu(app, t, (which) => void doExport(app, which)),
    },
    { type: "divider" },
    app.is_archived
      ? { key: "unarchive", icon: <RollbackOutlined />, label: t("actions.unarchive"), onClick: () => toggleArchive(app) }
      : { key: "archive", icon: <InboxOutlined />, label: t("actions.archive"), danger: true, onClick: () => toggleArchive(app) },
  ];
  return (
    <Dropdown menu={{ items }} trigger={["click"]} placement="bottomRight">
      <Button
        type="text"
        icon={<MoreOutlined />}
        aria-label={t("actions.moreFor", { name: app.name })}
        data-testid={`app-actions-${app.key}`}
        onClick={(event) => event.stopPropagation()}
      />
    </Dropdown>
  );
}
