// What both designers show about autosave, and how they guard leaving with unsaved edits.
import { CheckCircleOutlined } from "@ant-design/icons";
import { App as AntApp, Tag } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useBlocker } from "react-router-dom";

import type { SaveState, SaveableStore } from "./use-autosave";

export function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const { t } = useTranslation("designer");
  if (state === "saving") return <Tag color="processing">{t("save.saving")}</Tag>;
  if (state === "dirty") return <Tag>{t("save.dirty")}</Tag>;
  if (state === "conflict") return <Tag color="error">{t("save.conflict")}</Tag>;
  if (state === "error")
    return (
      <Tag color="error" onClick={onRetry} style={{ cursor: "pointer" }}>
        {t("save.error")}
      </Tag>
    );
  return (
    <Tag color="success" icon={<CheckCircleOutlined />} data-testid="save-state-saved">
      {t("save.saved")}
    </Tag>
  );
}

/** Leaving through an in-app link: save first; if that fails, ask before dropping edits. */
export function useLeaveGuard(store: SaveableStore, flush: () => Promise<boolean>): void {
  const { t } = useTranslation("designer");
  const { modal } = AntApp.useApp();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    const state = store.getState();
    return currentLocation.pathname !== nextLocation.pathname && state.version !== state.savedVersion;
  });
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    void flush().then((ok) => {
      if (ok) {
        blocker.proceed();
        return;
      }
      modal.confirm({
        title: t("save.leaveTitle"),
        content: t("save.leaveBody"),
        okText: t("save.leave"),
        okButtonProps: { danger: true },
        cancelText: t("save.stay"),
        onOk: () => blocker.proceed(),
        onCancel: () => blocker.reset(),
      });
    });
  }, [blocker, flush, modal, t]);
}
