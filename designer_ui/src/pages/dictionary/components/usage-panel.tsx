import { CheckCircleOutlined, LinkOutlined } from "@ant-design/icons";
import { Skeleton, Tag, Typography } from "antd";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";

import type { DictionaryUsage } from "../../../api/types";
import { errorMessage } from "../../../api/errors";
import { isKnownSource, usageLines, usesByApp, type UsageRow } from "../lib/usage";
import { useUsage } from "../use-dictionary";

/** One line per source that uses the entry or code ("表单（草稿与已发布版本）· 2"). */
export function UsageLines({ usage }: { usage: DictionaryUsage }) {
  const { t } = useTranslation("dictionary");
  const lines = usageLines(usage.sources);
  if (lines.length === 0) return null;
  return (
    <ul className="qb-dict-usage-lines" data-testid="usage-lines">
      {lines.map((line) => (
        <li key={line.source}>
          <span>{isKnownSource(line.source) ? t(`usage.source.${line.source}`) : line.source}</span>
          <span className="qb-dict-usage-count">{t("usage.places", { count: line.count })}</span>
        </li>
      ))}
    </ul>
  );
}

/** Which apps use it (listed for dictionary managers and app designers), each a link to the app. */
export function UsageApps({ rows }: { rows: readonly UsageRow[] | undefined }) {
  const { t } = useTranslation("dictionary");
  const apps = usesByApp(rows);
  if (apps.length === 0) return null;
  return (
    <div className="qb-dict-usage-apps" data-testid="usage-apps">
      <Typography.Text type="secondary">{t("usage.apps", { count: apps.length })}</Typography.Text>
      <ul>
        {apps.map((app) => (
          <li key={app.app}>
            <Link to={`/apps/${app.app}`}>{app.appName}</Link>
            {app.draft && <Tag>{t("usage.draft")}</Tag>}
            {app.versions.map((number) => (
              <Tag key={number} color="blue">
                {t("usage.version", { number })}
              </Tag>
            ))}
            {app.fields.length > 0 && (
              <Typography.Text type="secondary" className="qb-dict-usage-fields">
                {t("usage.fields", { fields: app.fields.join(", ") })}
              </Typography.Text>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "被 N 处使用": where the entry is used (the usage endpoint), or that nothing uses it yet. */
export function UsagePanel({ entryKey }: { entryKey: string }) {
  const { t } = useTranslation("dictionary");
  const usage = useUsage(entryKey);
  return (
    <section className="qb-dict-panel qb-dict-usage" aria-labelledby="dict-usage-title" data-testid="usage-panel">
      <h2 id="dict-usage-title" className="qb-dict-section-title">
        <LinkOutlined /> {t("usage.title")}
      </h2>
      {usage.isLoading && <Skeleton active title={false} paragraph={{ rows: 1 }} />}
      {usage.error && (
        <Typography.Text type="secondary">{errorMessage(usage.error, t("common:errors.loadFailed"))}</Typography.Text>
      )}
      {usage.data && usage.data.total === 0 && (
        <p className="qb-dict-usage-none" data-testid="usage-total">
          <CheckCircleOutlined className="qb-dict-ok" /> {t("usage.none")}
        </p>
      )}
      {usage.data && usage.data.total > 0 && (
        <>
          <p className="qb-dict-usage-total" data-testid="usage-total">
            {t("usage.total", { count: usage.data.total })}
          </p>
          <UsageLines usage={usage.data} />
          <UsageApps rows={(usage.data as { uses?: UsageRow[] }).uses} />
          <p className="qb-dict-usage-hint">{t("usage.hint")}</p>
        </>
      )}
    </section>
  );
}
