// The inbox (审批): 待办 / 已办 / 我发起的 / 抄送我 with live counts (the realtime client
// invalidates ["inbox"] on every inbox frame), filters, search, due badges, and batch
// approval of simple tasks from 待办.
import { ClockCircleOutlined, FilterOutlined, FireOutlined, SearchOutlined } from "@ant-design/icons";
import { App as AntApp, Badge, Button, Checkbox, DatePicker, Empty, Grid, Input, Modal, Pagination, Segmented, Select, Skeleton, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { errorMessage } from "../../api/errors";
import { AppIcon } from "../../components/app-icon";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { randomId } from "../../form-renderer/lib/ids";
import { useStartableApps } from "../../pages/home-page";
import { BOXES, dueState, fullTime, shortTime, statusOf, type Box, type InstanceRow } from "../lib";
import { PAGE_SIZE, SORTS, useBatchApprove, useCounts, useInbox, type InboxFilters, type InboxSort } from "./use-inbox";
import "./inbox.css";

function Row({ row, box, checked, onCheck }: { row: InstanceRow; box: Box; checked: boolean; onCheck?: (checked: boolean) => void }) {
  const { t, i18n } = useTranslation("workspace");
  const status = statusOf(row);
  const mine = row.my_tasks[0];
  const due = box === "todo" ? dueState(mine?.due_at) : null;
  const current = row.current_tasks.map((task) => task.node_name).filter(Boolean);
  const appLabel = i18n.language === "en" && row.app.name_en ? row.app.name_en : row.app.name;
  return (
    <li className={`ws-row${row.urgent ? " ws-row-urgent" : ""}`} data-testid={`inbox-row-${row.id}`}>
      {onCheck && (
        <Checkbox checked={checked} onChange={(event) => onCheck(event.target.checked)} className="ws-row-check"
          aria-label={t("inbox.select", { title: row.title })} />
      )}
      <Link to={`/instances/${row.id}`} className="ws-row-link">
        <AppIcon icon={row.app.icon} name={row.app.name} size={36} />
        <div className="ws-row-main">
          <div className="ws-row-title">
            <span className="ws-row-title-text">{row.title}</span>
            {row.urgent && <Tag color="red" icon={<FireOutlined />} className="ws-tag">{t("inbox.urgent")}</Tag>}
          </div>
          <div className="ws-row-sub">
            <span>{appLabel}</span>
            <span>{row.initiator.name}{row.department ? ` · ${row.department}` : ""}</span>
            <span>{shortTime(box === "done" ? row.updated_at : row.created_at)}</span>
          </div>
          {current.length > 0 && row.status === "running" && (
            <div className="ws-row-node">{box === "todo" ? t("inbox.waitingForMe", { node: mine?.node_name ?? current[0] }) : t("inbox.at", { node: current.join("、") })}</div>
          )}
        </div>
        <div className="ws-row-side">
          <Tag color={status.color} className="ws-tag">{t(`status.${status.key}`)}</Tag>
          {due && (
            <Tag color={due === "overdue" ? "red" : "orange"} icon={<ClockCircleOutlined />} className="ws-tag" data-testid={`due-${due}`}
              title={t("inbox.due", { time: fullTime(mine?.due_at) })}>
              {t(`inbox.${due}`)}
            </Tag>
          )}
          {!due && box === "todo" && mine?.due_at && (
            <Tag icon={<ClockCircleOutlined />} className="ws-tag" data-testid="due-later">
              {t("inbox.due", { time: shortTime(mine.due_at) })}
            </Tag>
          )}
        </div>
      </Link>
    </li>
  );
}

export function InboxPage() {
  const { t, i18n } = useTranslation("workspace");
  const { message } = AntApp.useApp();
  const [params, setParams] = useSearchParams();
  const box = (BOXES.includes(params.get("box") as Box) ? params.get("box") : "todo") as Box;
  const [filters, setFilters] = useState<InboxFilters>({});
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  // On a phone the filters fold under one button (the list is what matters there).
  const phone = !Grid.useBreakpoint().md;
  const [showFilters, setShowFilters] = useState(false);
  const activeFilters = [filters.app, filters.status, filters.createdFrom, filters.sort, filters.urgent, filters.overdue].filter(Boolean).length;
  const [batchOpen, setBatchOpen] = useState(false);
  const [batchComment, setBatchComment] = useState("");
  const batchId = useRef(randomId());
  const counts = useCounts();
  const list = useInbox(box, filters, page);
  const apps = useStartableApps();
  const batch = useBatchApprove();

  const setBox = (next: Box) => {
    setParams(next === "todo" ? {} : { box: next });
    setPage(1);
    setSelected([]);
  };
  const rows = useMemo(() => list.data?.results ?? [], [list.data]);
  const selectable = box === "todo";
  const taskIds = rows.filter((row) => selected.includes(row.id)).flatMap((row) => row.my_tasks.map((task) => task.id));

  const runBatch = () => {
    batch.mutate(
      { task_ids: taskIds, comment: batchComment, request_id: batchId.current },
      {
        onSuccess: (results) => {
          const failed = results.filter((item) => !item.ok);
          batchId.current = randomId();
          setBatchOpen(false);
          setBatchComment("");
          setSelected([]);
          if (failed.length) void message.warning(t("inbox.batchPartly", { ok: results.length - failed.length, failed: failed.length, reason: failed[0]?.error?.message ?? "" }));
          else void message.success(t("inbox.batchDone", { count: results.length }));
        },
        onError: (error) => void message.error(errorMessage(error, t("inbox.batchFailed"))),
      },
    );
  };

  return (
    <div className="ws-page">
      <PageHeader title={t("inbox.title")} />
      <Segmented
        block
        value={box}
        onChange={(value) => setBox(value as Box)}
        className="ws-boxes"
        data-testid="inbox-boxes"
        options={BOXES.map((name) => ({
          value: name,
          label: (
            <span className="ws-box-label" data-testid={`box-${name}`}>
              {t(`inbox.box.${name}`)}
              {(name === "todo" || name === "cc") && (counts.data?.[name] ?? 0) > 0 && (
                <Badge count={counts.data?.[name]} size="small" className="ws-box-count" data-testid={`count-${name}`} />
              )}
            </span>
          ),
        }))}
      />
      <div className="ws-filters">
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t("inbox.search")}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            if (!event.target.value) setFilters((current) => ({ ...current, search: undefined }));
          }}
          onPressEnter={() => {
            setFilters((current) => ({ ...current, search: search.trim() || undefined }));
            setPage(1);
          }}
          aria-label={t("inbox.search")}
          className="ws-search"
        />
        {phone && (
          <Button icon={<FilterOutlined />} onClick={() => setShowFilters((shown) => !shown)} aria-expanded={showFilters}
            className="ws-filter-toggle" data-testid="inbox-filter-toggle">
            {activeFilters ? t("inbox.filtersOn", { count: activeFilters }) : t("inbox.filters")}
          </Button>
        )}
        {(!phone || showFilters) && (
          <>
            <Select allowClear placeholder={t("inbox.app")} value={filters.app} className="ws-filter" aria-label={t("inbox.app")}
              onChange={(app?: string) => { setFilters((current) => ({ ...current, app })); setPage(1); }}
              options={(apps.data ?? []).map((app) => ({ value: app.key, label: i18n.language === "en" && app.name_en ? app.name_en : app.name }))} />
            {box !== "todo" && (
              <Select allowClear placeholder={t("inbox.status")} value={filters.status} className="ws-filter" aria-label={t("inbox.status")}
                onChange={(status?: string) => { setFilters((current) => ({ ...current, status })); setPage(1); }}
                options={["running", "returned", "completed", "withdrawn"].map((value) => ({ value, label: t(`statusFilter.${value}`) }))} />
            )}
            <DatePicker.RangePicker className="ws-filter-dates" aria-label={t("inbox.dates")} placeholder={[t("inbox.dateFrom"), t("inbox.dateTo")]}
              value={filters.createdFrom && filters.createdTo ? [dayjs(filters.createdFrom), dayjs(filters.createdTo)] : null}
              onChange={(range) => {
                setFilters((current) => ({ ...current, createdFrom: range?.[0]?.format("YYYY-MM-DD"), createdTo: range?.[1]?.format("YYYY-MM-DD") }));
                setPage(1);
              }}
              data-testid="inbox-dates" />
            <Select placeholder={t("inbox.sort.label")} value={filters.sort} allowClear className="ws-filter" aria-label={t("inbox.sort.label")} data-testid="inbox-sort"
              onChange={(sort?: InboxSort) => { setFilters((current) => ({ ...current, sort })); setPage(1); }}
              options={SORTS.map((value) => ({ value, label: t(`inbox.sort.${value}`) }))} />
            <Space size={12} wrap>
              <Checkbox checked={Boolean(filters.urgent)} onChange={(event) => { setFilters((current) => ({ ...current, urgent: event.target.checked || undefined })); setPage(1); }}>
                {t("inbox.onlyUrgent")}
              </Checkbox>
              <Checkbox checked={Boolean(filters.overdue)} onChange={(event) => { setFilters((current) => ({ ...current, overdue: event.target.checked || undefined })); setPage(1); }}>
                {t("inbox.onlyOverdue")}
              </Checkbox>
            </Space>
          </>
        )}
      </div>
      {selectable && rows.length > 0 && (
        <div className="ws-batch">
          <Checkbox
            checked={selected.length > 0 && selected.length === rows.length}
            indeterminate={selected.length > 0 && selected.length < rows.length}
            onChange={(event) => setSelected(event.target.checked ? rows.map((row) => row.id) : [])}
          >
            {t("inbox.selectAll")}
          </Checkbox>
          <Button type="primary" ghost disabled={!taskIds.length} onClick={() => setBatchOpen(true)} data-testid="batch-approve">
            {t("inbox.batchApprove", { count: taskIds.length })}
          </Button>
        </div>
      )}
      <QueryState isLoading={false} error={list.error} onRetry={() => void list.refetch()} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : rows.length === 0 && !list.error ? (
        <Empty className="ws-empty" description={t(`inbox.empty.${box}`)} />
      ) : (
        <ul className="ws-list" data-testid="inbox-list" aria-busy={list.isFetching}>
          {rows.map((row) => (
            <Row key={row.id} row={row} box={box} checked={selected.includes(row.id)}
              onCheck={selectable ? (checked) => setSelected((current) => (checked ? [...current, row.id] : current.filter((id) => id !== row.id))) : undefined} />
          ))}
        </ul>
      )}
      {(list.data?.count ?? 0) > PAGE_SIZE && (
        <Pagination className="ws-pagination" current={page} pageSize={PAGE_SIZE} total={list.data?.count ?? 0} onChange={setPage} showSizeChanger={false} />
      )}
      <Modal open={batchOpen} title={t("inbox.batchTitle", { count: taskIds.length })} okText={t("actions.approve")} cancelText={t("actions.cancel")}
        confirmLoading={batch.isPending} onOk={runBatch} onCancel={() => setBatchOpen(false)} okButtonProps={{ "data-testid": "batch-confirm" } as never}>
        <Typography.Paragraph type="secondary">{t("inbox.batchHint")}</Typography.Paragraph>
        <Input.TextArea value={batchComment} onChange={(event) => setBatchComment(event.target.value)} maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }}
          placeholder={t("actions.commentPlaceholder")} aria-label={t("actions.comment")} />
      </Modal>
    </div>
  );
}
