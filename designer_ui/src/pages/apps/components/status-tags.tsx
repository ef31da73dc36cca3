import { Tag } from "antd";
import { useTranslation } from "react-i18next";

import { statusTags, type AppStatusInput, type StatusKind } from "../lib/status";

const COLORS: Record<StatusKind, string> = {
  archived: "default",
  published: "success",
  "unpublished-changes": "processing",
  "never-published": "warning",
};

export function StatusTags({ app }: { app: AppStatusInput }) {
  const { t } = useTranslation("apps");
  return (
    <span className="qb-apps-tags">
      {statusTags(app).map((tag) => (
        <Tag key={tag.kind} color={COLORS[tag.kind]} variant="filled" data-status={tag.kind}>
          {tag.kind === "published" ? t("status.published", { version: tag.version }) : t(`status.${tag.kind}`)}
        </Tag>
      ))}
    </span>
  );
}
