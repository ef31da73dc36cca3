// The task timeline (甘特图) of the progress page: one row per task, grouped under its
// request, with a bar from creation to completion (or now while open), a lighter planned
// part up to the due time, a diamond at the deadline and a red, striped part once late.
// The window (zoom, date) and the app filter live in the URL so a link shows the same view.
// The date maths is in gantt-layout.ts; this file only draws.
import { ClockCircleOutlined, FireOutlined, LeftOutlined, RightOutlined } from "@ant-design/icons";
import { Alert, Button, Empty, Segmented, Select, Tooltip, Typography } from "antd";
import { useEffect, useMemo, useRef, useState, type CSSProperties, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { QueryState } from "../../components/query-state";
import { duration } from "../lib";
import {
  barLayout,
  contains,
  DAY_WIDTH,
  dayColumns,
  dayOffset,
  formatDateTime,
  formatDay,
  formatWindow,
  groupByRequest,
  hitArea,
  intlLocale,
  isZoom,
  monthLabel,
  monthSpans,
  parseInstant,
  parseIsoDate,
  parsePlannedStart,
  shiftAnchor,
  startOfDay,
  toIsoDate,
  unionExtent,
  weekdayLabel,
  windowBetween,
  windowFor,
  ZOOMS,
  type BarLayout,
  type GanttWindow,
  type Zoom,
} from "./gantt-layout";
import { useSchedule, type Schedule, type ScheduleScope, type ScheduleTask } from "./use-schedule";

const DEFAULT_ZOOM: Zoom = "month";
/** The smallest clickable width of a bar (a task of a few minutes is a sliver). */
const MIN_HIT = 40;
/** The smallest drawn width of the worked part, so that it can be seen at all. */
const MIN_BAR = 4;
/** A month narrower than this (pixels) is labelled "Dec" / "12月", without its year. */
const COMPACT_MONTH = 110;

type Translate = ReturnType<typeof useTranslation<"workspace">>["t"];

function appName(app: ScheduleTask["request"]["app"]): string {
  return app.name ?? app.key ?? "";
}

/** The apps seen in any answer so far: the filter keeps offering them once one is picked. */
function useSeenApps(data: Schedule | undefined): Array<{ key: string; name: string }> {
  const [apps, setApps] = useState<ReadonlyMap<string, string>>(() => new Map());
  const [seen, setSeen] = useState<Schedule | undefined>(undefined);
  if (data && data !== seen) {
    // Adjusting state while rendering (react.dev "storing information from previous renders").
    setSeen(data);
    const fresh = data.results.filter((task) => task.request.app.key && !apps.has(task.request.app.key));
    if (fresh.length) {
      const next = new Map(apps);
      for (const task of fresh) next.set(task.request.app.key ?? "", appName(task.request.app));
      setApps(next);
    }
  }
  return useMemo(() => [...apps].map(([key, name]) => ({ key, name })), [apps]);
}

function Segments({ bar, hitLeft }: { bar: BarLayout; hitLeft: number }) {
  const place = (segment: { left: number; width: number }, min = 0): CSSProperties => ({
    left: segment.left - hitLeft,
    width: Math.max(segment.width, min),
  });
  const edges = (segment: { clippedStart: boolean; clippedEnd: boolean }) =>
    `${segment.clippedStart ? " is-clipped-start" : ""}${segment.clippedEnd ? " is-clipped-end" : ""}`;
  return (
    <>
      {bar.planned && <span className={`ws-gantt-planned${edges(bar.planned)}`} style={place(bar.planned)} />}
      {bar.actual && <span className={`ws-gantt-bar${edges(bar.actual)}`} style={place(bar.actual, MIN_BAR)} />}
      {bar.late && <span className={`ws-gantt-late${edges(bar.late)}`} style={place(bar.late)} />}
      {bar.due !== null && <span className="ws-gantt-due" style={{ left: bar.due - hitLeft }} />}
    </>
  );
}

function TaskTip({ task, bar, now, locale, t }: { task: ScheduleTask; bar: BarLayout; now: Date; locale: string; t: Translate }) {
  const created = parseInstant(task.created_at);
  const plannedStart = parsePlannedStart(task.planned_start);
  const due = parseInstant(task.due_at);
  const completed = bar.open ? null : parseInstant(task.completed_at);
  const when = (instant: Date | null) => (instant ? formatDateTime(instant, locale, now) : "");
  const left = bar.open && due && due > now ? (due.getTime() - now.getTime()) / 1000 : null;
  return (
    <div className="ws-gantt-tip">
      <div className="ws-gantt-tip-title">{task.request.title}</div>
      <dl>
        <dt>{t("gantt.tip.node")}</dt>
        <dd>{task.node_name || task.node_id}</dd>
        <dt>{t("gantt.tip.assignee")}</dt>
        <dd>{task.assignee.name}</dd>
        {plannedStart && (
          <>
            <dt>{t("gantt.tip.plannedStart")}</dt>
            <dd>{task.planned_start && task.planned_start.length === 10 ? formatDay(plannedStart, locale, now) : when(plannedStart)}</dd>
          </>
        )}
        <dt>{t("gantt.tip.start")}</dt>
        <dd>{when(created)}</dd>
        <dt>{t("gantt.tip.due")}</dt>
        <dd>{due ? when(due) : t("gantt.tip.noDue")}</dd>
        {completed && (
          <>
            <dt>{t("gantt.tip.completed")}</dt>
            <dd>{when(completed)}</dd>
          </>
        )}
        <dt>{t("gantt.tip.status")}</dt>
        <dd>
          {t(`gantt.status.${task.status}`, { defaultValue: task.status })}
          {bar.lateMs > 0 && <span className="ws-gantt-tip-late"> · {t("gantt.tip.lateBy", { duration: duration(bar.lateMs / 1000, t) })}</span>}
          {left !== null && <> · {t("gantt.tip.leftUntilDue", { duration: duration(left, t) })}</>}
        </dd>
      </dl>
    </div>
  );
}

function TaskRow({ task, range, dayWidth, now, locale }: { task: ScheduleTask; range: GanttWindow; dayWidth: number; now: Date; locale: string }) {
  const { t } = useTranslation("workspace");
  const bar = barLayout(task, range, now, dayWidth);
  const node = task.node_name || task.node_id;
  const due = parseInstant(task.due_at);
  const status = t(`gantt.status.${task.status}`, { defaultValue: task.status });
  const name = t("gantt.barLabel", {
    title: task.request.title,
    node,
    assignee: task.assignee.name,
    due: due ? t("gantt.dueAt", { time: formatDateTime(due, locale, now) }) : t("gantt.tip.noDue"),
    status: bar.tone === "overdue" ? t("gantt.statusOverdue", { status }) : bar.tone === "late" ? t("gantt.statusLate", { status }) : status,
  });
  const hit = bar.extent ? hitArea(bar.extent, range.days * dayWidth, MIN_HIT) : null;
  return (
    <div className={`ws-gantt-row ws-gantt-task tone-${bar.tone}`} data-testid={`gantt-row-${task.id}`}>
      <div className="ws-gantt-label">
        <span className="ws-gantt-task-text">
          <span className="ws-gantt-node">{node}</span>
          <span className="ws-gantt-sep" aria-hidden="true">·</span>
          <span className="ws-gantt-who">{task.assignee.name}</span>
        </span>
        {bar.overdue && bar.open && <ClockCircleOutlined className="ws-gantt-late-icon" aria-label={t("inbox.overdue")} />}
      </div>
      <div className="ws-gantt-track">
        {hit && (
          <Tooltip title={<TaskTip task={task} bar={bar} now={now} locale={locale} t={t} />} trigger={["hover", "focus"]} mouseEnterDelay={0.15}
            classNames={{ root: "ws-gantt-tip-overlay" }}>
            <Link to={`/instances/${task.request.id}`} className={`ws-gantt-hit tone-${bar.tone}`} data-testid={`gantt-bar-${task.id}`} aria-label={name}
              style={{ left: hit.left, width: hit.width }}>
              <Segments bar={bar} hitLeft={hit.left} />
            </Link>
          </Tooltip>
        )}
      </div>
    </div>
  );
}

function RequestRows({ request, tasks, range, dayWidth, now, locale }: {
  request: ScheduleTask["request"]; tasks: ScheduleTask[]; range: GanttWindow; dayWidth: number; now: Date; locale: string;
}) {
  const { t } = useTranslation("workspace");
  const summary = unionExtent(tasks.map((task) => barLayout(task, range, now, dayWidth).extent));
  const headingId = `gantt-request-${request.id}`;
  return (
    <div role="group" aria-labelledby={headingId} className="ws-gantt-group" data-testid={`gantt-request-${request.id}`}>
      <div className="ws-gantt-row ws-gantt-request">
        <div className="ws-gantt-label">
          <Link to={`/instances/${request.id}`} className="ws-gantt-title" title={request.title} aria-labelledby={headingId}>
            <span className="ws-gantt-title-text" id={headingId}>
              {request.urgent && <FireOutlined className="ws-gantt-urgent" aria-label={t("inbox.urgent")} />}
              {request.title}
            </span>
            <span className="ws-gantt-sub">{appName(request.app)} · {request.initiator.name}</span>
          </Link>
        </div>
        <div className="ws-gantt-track">
          {summary && <span className="ws-gantt-summary" style={{ left: summary.left, width: Math.max(summary.width, MIN_BAR) }} aria-hidden="true" />}
        </div>
      </div>
      {tasks.map((task) => <TaskRow key={task.id} task={task} range={range} dayWidth={dayWidth} now={now} locale={locale} />)}
    </div>
  );
}

/** The width left for the days beside the label column, followed as the container resizes. */
function useTrackSpace(scroller: RefObject<HTMLDivElement | null>): number {
  const [space, setSpace] = useState(0);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => {
      const label = element.querySelector<HTMLElement>(".ws-gantt-corner")?.offsetWidth ?? 0;
      setSpace(Math.max(0, element.clientWidth - label));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [scroller]);
  return space;
}

function Chart({ data, range, zoom, now, label }: { data: Schedule; range: GanttWindow; zoom: Zoom; now: Date; label: string }) {
  const { t, i18n } = useTranslation("workspace");
  const locale = intlLocale(i18n.language);
  const scroller = useRef<HTMLDivElement>(null);
  const space = useTrackSpace(scroller);
  // A zoom's day width is a minimum: a short window stretches to fill a wide screen.
  const dayWidth = Math.max(DAY_WIDTH[zoom], Math.floor((space / range.days) * 100) / 100);
  const columns = dayColumns(range, now);
  const months = monthSpans(columns);
  const groups = groupByRequest(data.results);
  const todayX = contains(range, now) ? dayOffset(range, now) * dayWidth : null;
  const todayRef = useRef(todayX);
  todayRef.current = todayX;
  const rangeKey = `${toIsoDate(range.start)}:${range.days}:${zoom}`;

  // Open on today when the window holds it (a third from the left: some past, more future),
  // else at the window's start. Only when the window changes, not on every refetch.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const labelWidth = element.querySelector<HTMLElement>(".ws-gantt-corner")?.offsetWidth ?? 0;
    const visible = element.clientWidth - labelWidth;
    const x = todayRef.current;
    element.scrollLeft = x === null ? 0 : Math.max(0, x - visible / 3);
  }, [rangeKey, dayWidth]);

  // A quarter labels Mondays only; one next to today's badge would run into it.
  const todayIndex = columns.findIndex((column) => column.today);
  const nearToday = (index: number) => todayIndex >= 0 && index !== todayIndex && Math.abs(index - todayIndex) <= 1;
  const sheet = { "--gantt-track": `${range.days * dayWidth}px`, "--gantt-day": `${dayWidth}px` } as CSSProperties;
  const span = (start: number, length: number): CSSProperties => ({ left: start * dayWidth, width: length * dayWidth });
  return (
    <div className={`ws-gantt zoom-${zoom}`} data-testid="gantt" role="region" aria-label={label}>
      <div className="ws-gantt-scroll" ref={scroller}>
        <div className="ws-gantt-sheet" style={sheet}>
          <div className="ws-gantt-head">
            <div className="ws-gantt-label ws-gantt-corner">{t("gantt.task")}</div>
            <div className="ws-gantt-track ws-gantt-scale" aria-hidden="true">
              <div className="ws-gantt-months">
                {months.map((month) => (
                  <div key={month.start} className="ws-gantt-month" style={span(month.start, month.length)}>
                    <span>{monthLabel(month.date, locale, now, month.start === 0, month.length * dayWidth < COMPACT_MONTH)}</span>
                  </div>
                ))}
              </div>
              <div className="ws-gantt-days">
                {columns.map((column) => (
                  <div key={column.iso} style={span(column.index, 1)}
                    className={`ws-gantt-day${column.weekend ? " is-weekend" : ""}${column.today ? " is-today" : ""}${column.weekStart ? " is-week-start" : ""}`}>
                    {zoom !== "quarter" && <span className="ws-gantt-weekday">{weekdayLabel(column.date, locale)}</span>}
                    {(zoom !== "quarter" || column.today || (column.weekStart && !nearToday(column.index))) && <span className="ws-gantt-date">{column.day}</span>}
                  </div>
                ))}
              </div>
            </div>
          </div>
          <div className="ws-gantt-body">
            <div className="ws-gantt-grid" aria-hidden="true">
              {columns.map((column) => (
                <div key={column.iso} style={span(column.index, 1)}
                  className={`ws-gantt-col${column.weekend ? " is-weekend" : ""}${zoom !== "quarter" || column.weekStart ? " has-line" : ""}${column.monthStart ? " is-month-start" : ""}`} />
              ))}
              {todayX !== null && <div className="ws-gantt-now" style={{ left: todayX }} data-testid="gantt-now" />}
            </div>
            {groups.map((group) => (
              <RequestRows key={group.request.id} request={group.request} tasks={group.tasks} range={range} dayWidth={dayWidth} now={now} locale={locale} />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

function Legend() {
  const { t } = useTranslation("workspace");
  const items = ["open", "planned", "overdue", "done", "late", "rejected", "due", "today"] as const;
  return (
    <ul className="ws-gantt-legend" aria-label={t("gantt.legend.label")}>
      {items.map((item) => (
        <li key={item}>
          <span className={`ws-gantt-swatch swatch-${item}`} aria-hidden="true" />
          {t(`gantt.legend.${item}`)}
        </li>
      ))}
    </ul>
  );
}

/** The timeline view: toolbar, chart, legend. `scope` is shared with the board (the page owns it). */
export function Gantt({ scope, onScopeChange }: { scope: ScheduleScope; onScopeChange: (scope: ScheduleScope) => void }) {
  const { t, i18n } = useTranslation("workspace");
  const locale = intlLocale(i18n.language);
  const [params, setParams] = useSearchParams();
  const zoomParam = params.get("zoom");
  const zoom: Zoom = isZoom(zoomParam) ? zoomParam : DEFAULT_ZOOM;
  const dateParam = params.get("date");
  const app = params.get("app") || undefined;
  const [today] = useState(() => startOfDay(new Date()));
  const range = useMemo(() => windowFor(zoom, parseIsoDate(dateParam) ?? today), [zoom, dateParam, today]);
  const query = useSchedule({ scope, start: toIsoDate(range.start), end: toIsoDate(range.end), app });
  const apps = useSeenApps(query.data);
  const data = query.data;
  // While the next window loads, the previous bars stay, drawn in their own window.
  const shown = useMemo(() => {
    if (!data || !query.isPlaceholderData) return range;
    const start = parseIsoDate(data.start);
    const end = parseIsoDate(data.end);
    return start && end ? windowBetween(zoom, start, end) : range;
  }, [data, query.isPlaceholderData, range, zoom]);
  const now = parseInstant(data?.now) ?? new Date();

  const update = (changes: Record<string, string | null>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      return next;
    }, { replace: true });
  const go = (step: -1 | 1) => update({ date: toIsoDate(shiftAnchor(zoom, range.start, step)) });

  const rangeText = formatWindow(range, locale);
  const appOptions = apps.map((item) => ({ value: item.key, label: item.name }));
  if (app && !appOptions.some((option) => option.value === app)) appOptions.push({ value: app, label: app });
  appOptions.sort((a, b) => a.label.localeCompare(b.label, locale));
  const appLabel = appOptions.find((option) => option.value === app)?.label ?? app ?? "";

  return (
    <div className="ws-gantt-view">
      <div className="ws-gantt-toolbar">
        <Segmented value={scope} onChange={(value) => onScopeChange(value as ScheduleScope)} data-testid="gantt-scope" aria-label={t("gantt.scope")}
          className="ws-touch-segmented ws-gantt-scope" options={[{ value: "mine", label: t("gantt.mine") }, { value: "visible", label: t("gantt.visible") }]} />
        <Select allowClear placeholder={t("gantt.app")} aria-label={t("gantt.appLabel")} value={app} className="ws-gantt-app-filter" data-testid="gantt-app"
          onChange={(value?: string) => update({ app: value ?? null })} options={appOptions} showSearch={{ optionFilterProp: "label" }} />
        <div className="ws-gantt-nav">
          <Button icon={<LeftOutlined />} aria-label={t("gantt.prev")} title={t("gantt.prev")} onClick={() => go(-1)} data-testid="gantt-prev" />
          <Button onClick={() => update({ date: null })} data-testid="gantt-today">{t("gantt.today")}</Button>
          <Button icon={<RightOutlined />} aria-label={t("gantt.next")} title={t("gantt.next")} onClick={() => go(1)} data-testid="gantt-next" />
          <span className="ws-gantt-range" aria-live="polite" data-testid="gantt-range">{rangeText}</span>
        </div>
        <Segmented value={zoom} onChange={(value) => update({ zoom: value === DEFAULT_ZOOM ? null : (value as string) })} data-testid="gantt-zoom"
          aria-label={t("gantt.zoom.label")} className="ws-touch-segmented ws-gantt-zoom"
          options={ZOOMS.map((value) => ({ value, label: t(`gantt.zoom.${value}`) }))} />
      </div>
      <Typography.Paragraph type="secondary" className="ws-board-hint">{t(scope === "mine" ? "gantt.mineHint" : "gantt.visibleHint")}</Typography.Paragraph>
      <QueryState isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()} rows={8} />
      {data?.truncated && (
        <Alert type="warning" showIcon className="ws-gantt-alert" data-testid="gantt-truncated" title={t("gantt.truncated", { count: data.results.length })} />
      )}
      {data && !query.isLoading && (data.results.length === 0 ? (
        <Empty className="ws-empty" data-testid="gantt-empty"
          description={
            <>
              <div className="ws-gantt-empty-title">{t("gantt.empty")}</div>
              <Typography.Text type="secondary">
                {app ? t("gantt.emptyApp", { app: appLabel }) : t(scope === "mine" ? "gantt.emptyMine" : "gantt.emptyVisible")}
              </Typography.Text>
            </>
          }>
          {app && <Button onClick={() => update({ app: null })}>{t("gantt.clearApp")}</Button>}
        </Empty>
      ) : (
        <div className={query.isPlaceholderData ? "ws-gantt-stale" : undefined} aria-busy={query.isFetching}>
          <Chart data={data} range={shown} zoom={zoom} now={now} label={t("gantt.chartLabel", { range: formatWindow(shown, locale) })} />
          <div className="ws-gantt-foot">
            <Typography.Text type="secondary">{t("gantt.taskCount", { count: data.results.length })}</Typography.Text>
            <Legend />
          </div>
        </div>
      ))}
    </div>
  );
}
