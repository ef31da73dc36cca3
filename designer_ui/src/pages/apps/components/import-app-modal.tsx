import { InboxOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Modal, Result, Tag, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { ApiError, errorMessage } from "../../../api/errors";
import type { AppInfo } from "../../../api/types";
import { importIsClean, readImportReport, type ImportReport } from "../lib/import-report";
import { useImportApp } from "../use-apps";

function ReportDetails({ report }: { report: ImportReport }) {
  const { t } = useTranslation("apps");
  const d = report.dictionary;
  const missingCodes = d.missingCodes.filter((item) => item.codes.length > item.added.length);
  const addedCodes = d.missingCodes.filter((item) => item.added.length > 0);
  return (
    <div className="qb-apps-report" data-testid="import-report">
      {report.keyChanged && (
        <Alert
          type="info"
          showIcon
          title={t("import.keyChanged", { requested: report.requestedKey, key: report.key })}
        />
      )}
      {report.restrictedToImporter && <Alert type="warning" showIcon title={t("import.restricted")} />}
      {(report.errors > 0 || report.warnings > 0) && (
        <Alert
          type={report.errors > 0 ? "warning" : "info"}
          showIcon
          title={t("import.verification", { errors: report.errors, warnings: report.warnings })}
          description={report.errors > 0 ? t("import.verificationHint") : t("import.warningsHint")}
        />
      )}
      {report.unmapped.length > 0 && (
        <section>
          <h4>{t("import.unmapped")}</h4>
          <ul className="qb-apps-report-list">
            {report.unmapped.map((item, index) => (
              <li key={`${item.kind}-${item.value}-${index}`}>
                <Tag>{t(`import.kinds.${item.kind}`, { defaultValue: item.kind })}</Tag>
                <span className="qb-apps-mono">{item.value}</span>
                {item.where && <span className="qb-apps-muted"> · {item.where}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(d.created.length > 0 || d.missingEntries.length > 0 || missingCodes.length > 0 || addedCodes.length > 0 || d.labelDifferences.length > 0) && (
        <section>
          <h4>{t("import.dictionary")}</h4>
          <ul className="qb-apps-report-list">
            {d.created.map((entry) => (
              <li key={`c-${entry}`}>{t("import.entryCreated", { entry })}</li>
            ))}
            {d.missingEntries.map((entry) => (
              <li key={`m-${entry}`}>{t("import.entryMissing", { entry })}</li>
            ))}
            {addedCodes.map((item) => (
              <li key={`a-${item.entry}`}>{t("import.codesAdded", { entry: item.entry, codes: item.added.join("、") })}</li>
            ))}
            {missingCodes.map((item) => (
              <li key={`mc-${item.entry}`}>
                {t("import.codesMissing", {
                  entry: item.entry,
                  codes: item.codes.filter((code) => !item.added.includes(code)).join("、"),
                })}
              </li>
            ))}
            {d.labelDifferences.map((item) => (
              <li key={`l-${item.entry}-${item.code}`}>{t("import.labelDifference", { entry: item.entry, code: item.code })}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** Upload a .qiaoban.json file, then show what the import changed or could not map. */
export function ImportAppModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation("apps");
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const importApp = useImportApp();
  const [result, setResult] = useState<{ app: AppInfo; report: ImportReport } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const upload = async (file: File) => {
    setProblem(null);
    try {
      const answer = await importApp.mutateAsync(file);
      setResult({ app: answer.app, report: readImportReport(answer.report) });
      message.success(t("import.done", { name: answer.app.name }));
    } catch (error) {
      const path = error instanceof ApiError && error.details && typeof error.details === "object"
        ? (error.details as { path?: unknown }).path
        : undefined;
      const text = errorMessage(error, t("import.failed"));
      setProblem(typeof path === "string" && path ? `${text}（${path}）` : text);
    }
  };

  const footer = result
    ? [
        <Button key="close" onClick={onClose}>
          {t("common:actions.close")}
        </Button>,
        <Button
          key="open"
          type="primary"
          onClick={() => {
            onClose();
            navigate(`/apps/${result.app.key}`);
          }}
        >
          {t("import.open")}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={onClose}>
          {t("common:actions.cancel")}
        </Button>,
      ];

  return (
    <Modal
      open={open}
      title={t("import.title")}
      onCancel={onClose}
      footer={footer}
      destroyOnHidden
      afterClose={() => {
        setResult(null);
        setProblem(null);
        importApp.reset();
      }}
      width={560}
    >
      {result ? (
        <>
          <Result
            status="success"
            title={t("import.resultTitle", { name: result.app.name })}
            subTitle={importIsClean(result.report) ? t("import.clean") : t("import.review")}
            className="qb-apps-import-result"
          />
          <ReportDetails report={result.report} />
        </>
      ) : (
        <>
          <p className="qb-apps-muted">{t("import.hint")}</p>
          <Upload.Dragger
            accept=".json,application/json"
            multiple={false}
            showUploadList={false}
            disabled={importApp.isPending}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{importApp.isPending ? t("import.uploading") : t("import.drop")}</p>
            <p className="ant-upload-hint">{t("import.dropHint")}</p>
          </Upload.Dragger>
          {problem && <Alert className="qb-apps-gap-top" type="error" showIcon title={t("import.failed")} description={problem} />}
        </>
      )}
    </Modal>
  );
}
