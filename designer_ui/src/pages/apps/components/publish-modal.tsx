import { Alert, App as AntApp, Button, Form, Input, Modal, Spin } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ApiError, errorMessage } from "../../../api/errors";
import type { AppInfo, Issue } from "../../../api/types";
import { usePublish, useVerify } from "../use-apps";
import { IssueList, issuesOf } from "./issue-list";

/** Publish the draft with a note; checks it first and lists what stops publishing. */
export function PublishModal({ app, open, onClose, canVerify }: { app: AppInfo; open: boolean; onClose: () => void; canVerify: boolean }) {
  const { t } = useTranslation("apps");
  const { message } = AntApp.useApp();
  const [note, setNote] = useState("");
  const [refused, setRefused] = useState<{ text: string; issues: Issue[] } | null>(null);
  const verify = useVerify(app.key);
  const publish = usePublish(app.key);
  const { mutate: runVerify, reset: resetVerify } = verify;

  useEffect(() => {
    if (open && canVerify) runVerify();
  }, [open, canVerify, runVerify]);

  const submit = async () => {
    setRefused(null);
    try {
      const version = await publish.mutateAsync(note.trim());
      message.success(t("publish.done", { version: version.number }));
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.code === "publish_refused") {
        setRefused({ text: error.message, issues: issuesOf(error.details) });
      } else {
        setRefused({ text: errorMessage(error, t("publish.failed")), issues: [] });
      }
    }
  };

  const checked = verify.data;
  const blocked = refused !== null ? refused.issues.some((issue) => issue.severity === "error") : checked ? !checked.ok : false;

  return (
    <Modal
      open={open}
      title={t("publish.title", { name: app.name })}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => {
        setNote("");
        setRefused(null);
        resetVerify();
        publish.reset();
      }}
      width={600}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t("common:actions.cancel")}
        </Button>,
        <Button
          key="publish"
          type="primary"
          loading={publish.isPending}
          disabled={verify.isPending || blocked}
          onClick={() => void submit()}
          data-testid="publish-confirm"
        >
          {t("publish.ok", { version: (app.published_version?.number ?? 0) + 1 })}
        </Button>,
      ]}
    >
      <div className="qb-apps-publish">
        {verify.isPending && (
          <div className="qb-apps-checking">
            <Spin size="small" /> <span>{t("publish.checking")}</span>
          </div>
        )}
        {verify.error && <Alert type="warning" showIcon title={errorMessage(verify.error, t("publish.checkFailed"))} />}
        {!refused && checked && checked.ok && (
          <Alert
            type="success"
            showIcon
            title={checked.warnings > 0 ? t("publish.okWithWarnings", { count: checked.warnings }) : t("publish.ready")}
            description={t("publish.readyHint")}
          />
        )}
        {!refused && checked && !checked.ok && (
          <Alert type="error" showIcon title={t("publish.blocked", { count: checked.errors })} description={t("publish.blockedHint")} />
        )}
        {refused && <Alert type="error" showIcon title={refused.text} data-testid="publish-refused" />}
        <IssueList issues={refused ? refused.issues : (checked?.issues ?? [])} />
        {(blocked || (refused && refused.issues.length > 0)) && (
          <Link to={`/apps/${app.key}/form`} className="qb-apps-fix-link">
            {t("publish.fixInDesigner")}
          </Link>
        )}
        <Form layout="vertical" className="qb-apps-gap-top">
          <Form.Item label={t("publish.note")} extra={t("publish.noteHelp")}>
            <Input.TextArea
              value={note}
              onChange={(event) => setNote(event.target.value)}
              maxLength={500}
              showCount
              autoSize={{ minRows: 2, maxRows: 4 }}
              placeholder={t("publish.notePlaceholder")}
              data-testid="publish-note"
            />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
