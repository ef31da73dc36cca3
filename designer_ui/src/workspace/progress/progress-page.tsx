// Progress (进度看板): two views of the requests the user may see. The board: requests by
// status as a kanban — one's own (我发起的) by default, or everything the user's data scope
// shows (a department head sees the department's); each column is a filtered inbox query.
// The timeline (甘特图, gantt.tsx): the tasks of those requests over days, with due dates.
// The view and the scope are in the URL (?view=gantt&scope=visible), so links can be shared.
import { AppstoreOutlined, BarsOutlined, ClockCircleOutlined, FireOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Badge, Empty, Segmented, Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { dueState, shortTime, type InstanceRow } from "../lib";
import { Gantt } from "./gantt";
import type { ScheduleScope } from "./use-schedule";
import "./progress.css";

type Scope = "started" | "all";
type View = "board" | "gantt";
const COLUMNS: Array<{ key: string; status: string; color: string }> = [
  { key: "running", status: "running", color: "#1677ff" },
  { key: "returned", status: "returned", color: "#fa8c16" },
  { key: "completed", status: "completed", color: "#15a86b" },
  { key: "withdrawn", status: "withdrawn", color: "#8c8c8c" },
];
const PER_COLUMN = 30;

function useColumn(scope: Scope, status: string) {
  return useQuery({
    queryKey: ["inbox", "board", scope, status],
    queryFn: async () => {
      const query: Record<string, unknown> = { status, page_size: PER_COLUMN };
      if (scope === "started") query.box = "started";
      return (await unwrap(api.GET("/api/v1/instances/", { params: { query: query as never } }))) as unknown as { count: number; results: InstanceRow[] };
    },
  });
}

function Card({ row }: { row: InstanceRow }) {
  const { t } = useTranslation("workspace");
  const task = row.current_tasks[0];
  const due = dueState(task?.due_at);
  const outcome = row.status === "completed" ? (row.outcome === "rejected" ? "rejected" : "approved") : null;
  return (
    <Link to={`/instances/${row.id}`} className="ws-kcard" data-testid={`board-card-${row.id}`}>
      <div className="ws-kcard-title">
        {row.urgent && <FireOutlined className="ws-kcard-urgent" aria-label={t("inbox.urgent")} />}
        <span>{row.title}</span>
      </div>
      <div className="ws-kcard-meta">{row.app.name} · {row.initiator.name}</div>
      {task && row.status === "running" && (
        <div className="ws-kcard-node">
          {t("board.at", { node: task.node_name ?? task.node_id, people: row.current_tasks.map((item) => item.assignee.name).join("、") })}
        </div>
      )}
      <div className="ws-kcard-foot">
        <span>{shortTime(row.updated_at)}</span>
        {outcome && <Tag color={outcome === "approved" ? "success" : "error"} className="ws-tag">{t(`status.${outcome}`)}</Tag>}
        {due && <Tag color={due === "overdue" ? "red" : "orange"} icon={<ClockCircleOutlined />} className="ws-tag">{t(`inbox.${due}`)}</Tag>}
      </div>
    </Link>
  );
}

function Column({ scope, column }: { scope: Scope; column: (typeof COLUMNS)[number] }) {
  const { t } = useTranslation("workspace");
  const data = useColumn(scope, column.status);
  const rows = data.data?.results ?? [];
  return (
    <section className="ws-kcol" aria-label={t(`board.column.${column.key}`)} data-testid={`board-column-${column.key}`}>
      <header className="ws-kcol-head" style={{ borderTopColor: column.color }}>
        <Typography.Text strong>{t(`board.column.${column.key}`)}</Typography.Text>
        <Badge count={data.data?.count ?? 0} showZero color={column.color} overflowCount={999} />
      </header>
      <div className="ws-kcol-body">
        {data.isLoading && <Skeleton active paragraph={{ rows: 3 }} />}
        <QueryState isLoading={false} error={data.error} onRetry={() => void data.refetch()} />
        {!data.isLoading && !data.error && rows.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("board.empty")} />}
        {rows.map((row) => <Card key={row.id} row={row} />)}
        {(data.data?.count ?? 0) > rows.length && (
          <Link to={`/inbox?box=${scope === "started" ? "started" : "done"}`} className="ws-kcol-more">{t("board.more", { count: (data.data?.count ?? 0) - rows.length })}</Link>
        )}
      </div>
    </section>
  );
}

export function ProgressPage() {
  const { t } = useTranslation("workspace");
  const [params, setParams] = useSearchParams();
  const view: View = params.get("view") === "gantt" ? "gantt" : "board";
  // One scope for both views: "mine" is the board's 我发起的 and the timeline's 与我相关.
  const scope: ScheduleScope = params.get("scope") === "visible" ? "visible" : "mine";
  const boardScope: Scope = scope === "visible" ? "all" : "started";
  const set = (key: string, value: string | null, replace: boolean) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === null) next.delete(key);
      else next.set(key, value);
      return next;
    }, { replace });
  const setScope = (next: ScheduleScope) => set("scope", next === "visible" ? "visible" : null, true);
  return (
    <div className="ws-page ws-board-page">
      <PageHeader title={t("board.title")}
        extra={
          <Segmented value={view} onChange={(value) => set("view", value === "gantt" ? "gantt" : null, false)} data-testid="progress-view"
            aria-label={t("gantt.view.label")} className="ws-touch-segmented"
            options={[
              { value: "board", label: t("gantt.view.board"), icon: <AppstoreOutlined /> },
              { value: "gantt", label: t("gantt.view.gantt"), icon: <BarsOutlined /> },
            ]} />
        } />
      {view === "gantt" ? (
        <Gantt scope={scope} onScopeChange={setScope} />
      ) : (
        <>
          <div className="ws-board-toolbar">
            <Segmented value={boardScope} onChange={(value) => setScope(value === "all" ? "visible" : "mine")} data-testid="board-scope"
              aria-label={t("gantt.scope")} className="ws-touch-segmented"
              options={[{ value: "started", label: t("board.mine") }, { value: "all", label: t("board.visible") }]} />
          </div>
          <Typography.Paragraph type="secondary" className="ws-board-hint">{t(boardScope === "started" ? "board.mineHint" : "board.visibleHint")}</Typography.Paragraph>
          <div className="ws-board">
            {COLUMNS.map((column) => <Column key={column.key} scope={boardScope} column={column} />)}
          </div>
        </>
      )}
    </div>
  );
}
