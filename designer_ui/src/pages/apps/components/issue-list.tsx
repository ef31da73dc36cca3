import { Tag } from "antd";
import { useTranslation } from "react-i18next";

import type { Issue } from "../../../api/types";

/** Verification issues, each with where it points (field, node or connection). */
export function IssueList({ issues }: { issues: Issue[] }) {
  const { t } = useTranslation("apps");
  if (issues.length === 0) return null;
  return (
    <ul className="qb-apps-issues" data-testid="issue-list">
      {issues.map((issue, index) => {
        const params = (issue.params ?? {}) as Record<string, unknown>;
        const named = (value: unknown, fallback: string) => (typeof value === "string" && value ? value : fallback);
        const where = issue.field
          ? t("issues.field", { field: named(params.label, issue.field) })
          : issue.node_id
            ? t("issues.node", { node: named(params.node, issue.node_id) })
            : issue.edge_id
              ? t("issues.edge", { edge: issue.edge_id })
              : issue.source === "form"
                ? t("issues.form")
                : t("issues.flow");
        return (
          <li key={`${issue.code}-${index}`} className={`qb-apps-issue is-${issue.severity}`}>
            <Tag color={issue.severity === "error" ? "error" : "warning"} variant="filled">
              {t(`issues.${issue.severity}`)}
            </Tag>
            <span className="qb-apps-issue-text">
              <span>{issue.message}</span>
              <span className="qb-apps-issue-where">{where}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** The issues of a publish_refused / verify answer (details is the list), tolerant of odd shapes. */
export function issuesOf(details: unknown): Issue[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (item): item is Issue => !!item && typeof item === "object" && "message" in item && "severity" in item,
  );
}
