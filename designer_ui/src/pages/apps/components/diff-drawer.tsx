import { Alert, Drawer, Empty, Grid, Tag } from "antd";
import { useTranslation } from "react-i18next";

import { QueryState } from "../../../components/query-state";
import { localized } from "../../../i18n";
import { diffCounts, diffRows, formatValue, nodeNames, type DiffLike, type DiffRow, type Label, type Section } from "../lib/diff";
import { useDiff, useFieldTypeLabels } from "../use-apps";

export interface DiffTarget {
  a: string;
  b: string;
}

const KIND_COLOR = { added: "success", removed: "error", changed: "processing" } as const;

function versionLabel(which: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (which === "draft") return t("versions.draft");
  if (which === "published") return t("versions.published");
  return t("versions.number", { number: which });
}

function RowView({ row, names }: { row: DiffRow; names: Map<string, Label> }) {
  const { t, i18n } = useTranslation("apps");
  const fieldTypes = useFieldTypeLabels();
  const language = i18n.language;
  const value = (item: unknown) =>
    formatValue(item, { language, yes: t("diff.yes"), no: t("diff.no"), none: t("diff.none") });
  const typeLabel = (type: string | null) => {
    if (!type) return "";
    if (row.section === "fields") return localized(fieldTypes.data?.get(type), language) || type;
    if (row.section === "nodes") return t(`nodeTypes.${type}`, { defaultValue: type });
    return "";
  };
  const nodeLabel = (id: string | undefined) => {
    if (!id) return "";
    const name = localized(names.get(id), language);
    return name ? `${name}` : id;
  };
  const title =
    row.section === "edges"
      ? `${nodeLabel(row.source)} → ${nodeLabel(row.target)}`
      : localized(row.label, language) || row.id;
  const propertyName = (path: string[]) => {
    const key = path.join(".");
    const known = t(`diff.props.${path[0]}`, { defaultValue: "" });
    if (path.length === 1) return known || key;
    const leaf = path.slice(1).join(".");
    return `${known || path[0]} · ${t(`diff.props.${leaf}`, { defaultValue: leaf })}`;
  };
  const renderChangeValue = (path: string[], item: unknown) => {
    if (path[0] === "type") return typeLabel(typeof item === "string" ? item : null) || value(item);
    if ((path[0] === "source" || path[0] === "target") && typeof item === "string") return nodeLabel(item);
    if (path[path.length - 1] === "mode" && typeof item === "string") return t(`approvalModes.${item}`, { defaultValue: item });
    return value(item);
  };
  return (
    <li className="qb-apps-diff-row" data-kind={row.kind}>
      <div className="qb-apps-diff-head">
        <Tag color={KIND_COLOR[row.kind]} variant="filled">
          {t(`diff.kinds.${row.kind}`)}
        </Tag>
        <span className="qb-apps-diff-title">{title}</span>
        {row.section !== "edges" && row.id && title !== row.id && <span className="qb-apps-key">{row.id}</span>}
        {typeLabel(row.type) && <span className="qb-apps-diff-type">{typeLabel(row.type)}</span>}
      </div>
      {row.changes.length > 0 && (
        <dl className="qb-apps-diff-changes">
          {row.changes.map((change) => (
            <div key={change.path.join(".")} className="qb-apps-diff-change">
              <dt>{propertyName(change.path)}</dt>
              <dd>
                <span className="qb-apps-diff-from">{renderChangeValue(change.path, change.from)}</span>
                <span className="qb-apps-diff-arrow" aria-label={t("diff.to")}>
                  →
                </span>
                <span className="qb-apps-diff-to">{renderChangeValue(change.path, change.to)}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

export function DiffView({ diff }: { diff: DiffLike }) {
  const { t } = useTranslation("apps");
  const counts = diffCounts(diff);
  const rows = diffRows(diff);
  const names = nodeNames(diff);
  if (counts.empty) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("diff.same")} />;
  const sections: Section[] = ["fields", "nodes", "edges"];
  return (
    <div className="qb-apps-diff" data-testid="diff-view">
      <div className="qb-apps-diff-summary">
        {sections.map((section) => (
          <div key={section} className="qb-apps-diff-stat">
            <span className="qb-apps-diff-stat-label">{t(`diff.sections.${section}`)}</span>
            <span>
              <span className="is-added">+{counts[section].added}</span>
              <span className="is-removed">−{counts[section].removed}</span>
              <span className="is-changed">~{counts[section].changed}</span>
            </span>
          </div>
        ))}
      </div>
      {counts.layout && (
        <Alert
          type="info"
          showIcon
          title={[diff.form_layout_changed && t("diff.formLayout"), diff.flow_layout_changed && t("diff.flowLayout")]
            .filter(Boolean)
            .join("；")}
        />
      )}
      {sections.map((section) => {
        const items = rows.filter((row) => row.section === section);
        if (items.length === 0) return null;
        return (
          <section key={section}>
            <h4>{t(`diff.sections.${section}`)}</h4>
            <ul className="qb-apps-diff-list">
              {items.map((row) => (
                <RowView key={`${row.kind}-${row.id}`} row={row} names={names} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** What changed from a to b, in a drawer (full width on a phone). */
export function DiffDrawer({ appKey, target, onClose }: { appKey: string; target: DiffTarget | null; onClose: () => void }) {
  const { t } = useTranslation("apps");
  const screens = Grid.useBreakpoint();
  const diff = useDiff(appKey, target?.a ?? null, target?.b ?? null);
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={screens.md ? 640 : "100%"}
      title={target ? t("diff.title", { a: versionLabel(target.a, t), b: versionLabel(target.b, t) }) : ""}
      destroyOnHidden
    >
      <QueryState isLoading={diff.isLoading} error={diff.error} onRetry={() => void diff.refetch()} />
      {diff.data && <DiffView diff={diff.data as unknown as DiffLike} />}
    </Drawer>
  );
}
