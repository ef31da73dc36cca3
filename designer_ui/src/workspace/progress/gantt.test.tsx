import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { App as AntApp } from "antd";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";

import i18n, { initI18n } from "../../i18n";
import { ProgressPage } from "./progress-page";
import type { Schedule, ScheduleTask } from "./use-schedule";

// The page works in the browser's local days: pin the zone and "now" (Sunday 6 December 2026,
// noon in Shanghai). Only Date is faked; timers stay real for react-query and antd.
beforeAll(() => {
  initI18n("zh-Hans");
});
beforeEach(() => {
  vi.stubEnv("TZ", "Asia/Shanghai");
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-06T12:00:00+08:00"));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

const NOW = "2026-12-06T12:00:00+08:00";
const REQUEST = {
  id: 7, title: "任务分配 · 整理客户名单", status: "running", urgent: false,
  app: { key: "task_assignment", name: "任务分配" }, initiator: { id: 3, name: "张伟" },
};
const LEAVE = {
  id: 9, title: "请假 · 王芳 12月", status: "completed", urgent: true,
  app: { key: "leave", name: "请假" }, initiator: { id: 4, name: "王芳" },
};

function makeTask(overrides: Partial<ScheduleTask> & { id: number }): ScheduleTask {
  return {
    node_id: "do", node_name: "办理任务", status: "pending", kind: "normal",
    assignee: { id: 5, name: "李娜" }, created_at: "2026-12-02T09:00:00+08:00", completed_at: null, due_at: null,
    planned_start: null, overdue: false, request: REQUEST, ...overrides,
  };
}

const TASKS: ScheduleTask[] = [
  makeTask({ id: 12, due_at: "2026-12-10T18:00:00+08:00" }),
  makeTask({ id: 13, node_id: "check", node_name: "验收", assignee: { id: 6, name: "赵强" }, due_at: "2026-12-04T18:00:00+08:00", overdue: true }),
  makeTask({ id: 20, node_name: "直属主管审批", status: "approved", assignee: { id: 3, name: "张伟" }, created_at: "2026-12-01T10:00:00+08:00",
    completed_at: "2026-12-01T15:00:00+08:00", request: LEAVE }),
  makeTask({ id: 21, node_name: "人事审批", status: "rejected", assignee: { id: 8, name: "陈静" }, created_at: "2026-12-01T15:00:00+08:00",
    completed_at: "2026-12-02T11:00:00+08:00", request: LEAVE }),
];

interface Sent {
  path: string;
  search: URLSearchParams;
}

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

/** Stub fetch: the schedule answers with `tasks` for the days asked (filtered by app); the board's columns are empty. */
function fakeServer(options: { tasks?: ScheduleTask[]; truncated?: boolean; failFirst?: boolean } = {}) {
  const sent: Sent[] = [];
  let failures = options.failFirst ? 1 : 0;
  const handler = vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    sent.push({ path: url.pathname, search: url.searchParams });
    if (url.pathname === "/api/v1/tasks/schedule/") {
      if (failures > 0) {
        failures -= 1;
        return json({ error: { code: "server_error", message: "日程服务暂时不可用" } }, 500);
      }
      const app = url.searchParams.get("app");
      const results = (options.tasks ?? TASKS).filter((task) => !app || task.request.app.key === app);
      const body: Schedule = {
        start: url.searchParams.get("start") ?? "", end: url.searchParams.get("end") ?? "", now: NOW,
        truncated: Boolean(options.truncated), results,
      };
      return json(body);
    }
    if (url.pathname === "/api/v1/instances/") return json({ count: 0, next: null, previous: null, results: [] });
    return json({ error: { code: "not_found", message: "no route" } }, 404);
  });
  vi.stubGlobal("fetch", handler);
  const schedules = () => sent.filter((request) => request.path === "/api/v1/tasks/schedule/").map((request) => request.search);
  return { sent, schedules, last: () => schedules()[schedules().length - 1] };
}

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

function renderPage(route = "/progress?view=gantt") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <AntApp>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path="/progress" element={<><ProgressPage /><Where /></>} />
            <Route path="/instances/:id" element={<p data-testid="instance-page">instance</p>} />
          </Routes>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

const where = () => screen.getByTestId("where").textContent ?? "";

describe("the progress timeline (甘特图)", () => {
  it("asks for this month's tasks and draws them grouped under their requests", async () => {
    const server = fakeServer();
    renderPage();
    const chart = await screen.findByTestId("gantt");
    expect(chart.getAttribute("role")).toBe("region");
    expect(chart.getAttribute("aria-label")).toBe("任务甘特图，2026年12月1日 – 12月31日");
    const asked = server.last();
    expect([asked?.get("scope"), asked?.get("start"), asked?.get("end"), asked?.get("app")]).toEqual(["mine", "2026-12-01", "2026-12-31", null]);

    // Two requests, each a group with its title as a link and its tasks as rows.
    const assignment = within(screen.getByTestId("gantt-request-7"));
    expect(assignment.getByRole("link", { name: "任务分配 · 整理客户名单" }).getAttribute("href")).toBe("/instances/7");
    expect(within(screen.getByTestId("gantt-request-7")).getByTestId("gantt-row-12")).toBeTruthy();
    expect(within(screen.getByTestId("gantt-request-7")).getByTestId("gantt-row-13")).toBeTruthy();
    expect(within(screen.getByTestId("gantt-request-9")).getByTestId("gantt-row-20")).toBeTruthy();
    expect(screen.getAllByText("任务分配 · 整理客户名单")).toHaveLength(1);
    expect(screen.getByTestId("gantt-row-12").textContent).toContain("办理任务");
    expect(screen.getByTestId("gantt-row-12").textContent).toContain("李娜");
    expect(screen.getByRole("group", { name: /请假 · 王芳 12月/ })).toBeTruthy();
    expect(screen.getByText("4 个任务")).toBeTruthy();
  });

  it("colours bars by state and names them for screen readers", async () => {
    fakeServer();
    renderPage();
    const open = await screen.findByTestId("gantt-bar-12");
    expect(open.className).toContain("tone-open");
    expect(open.getAttribute("href")).toBe("/instances/7");
    expect(open.getAttribute("aria-label")).toBe("任务分配 · 整理客户名单：办理任务，李娜，截止 12月10日 18:00，待处理");
    // Open and in time: worked part, a lighter part up to the deadline, and the deadline marker.
    expect(open.querySelector(".ws-gantt-bar")).toBeTruthy();
    expect(open.querySelector(".ws-gantt-planned")).toBeTruthy();
    expect(open.querySelector(".ws-gantt-due")).toBeTruthy();
    expect(open.querySelector(".ws-gantt-late")).toBeNull();

    const overdue = screen.getByTestId("gantt-bar-13");
    expect(overdue.className).toContain("tone-overdue");
    expect(overdue.querySelector(".ws-gantt-late")).toBeTruthy();
    expect(overdue.querySelector(".ws-gantt-planned")).toBeNull();
    expect(overdue.getAttribute("aria-label")).toContain("截止 12月4日 18:00，待处理，已逾期");
    expect(within(screen.getByTestId("gantt-row-13")).getByRole("img", { name: "已逾期" })).toBeTruthy();

    expect(screen.getByTestId("gantt-bar-20").className).toContain("tone-done");
    expect(screen.getByTestId("gantt-bar-20").getAttribute("aria-label")).toContain("未设截止时间，已同意");
    expect(screen.getByTestId("gantt-bar-21").className).toContain("tone-rejected");
    expect(screen.getByTestId("gantt-bar-21").querySelector(".ws-gantt-due")).toBeNull();

    // Today's line: 5.5 days into December at 36 px a day.
    expect((screen.getByTestId("gantt-now") as HTMLElement).style.left).toBe("198px");
    // Bars are at least 40 px wide to tap (the leave approval took five hours: a sliver).
    expect(parseFloat((screen.getByTestId("gantt-bar-20") as HTMLElement).style.width)).toBeGreaterThanOrEqual(40);
  });

  it("shows the details in a tooltip", async () => {
    fakeServer();
    renderPage();
    fireEvent.mouseEnter(await screen.findByTestId("gantt-bar-12"));
    const tip = await screen.findByRole("tooltip");
    await waitFor(() => expect(tip.textContent).toContain("处理人李娜"));
    expect(tip.textContent).toContain("环节办理任务");
    expect(tip.textContent).toContain("开始12月2日 09:00");
    expect(tip.textContent).toContain("截止12月10日 18:00");
    expect(tip.textContent).toContain("状态待处理 · 还剩 4 天 6 小时");
    expect(tip.textContent).not.toContain("完成");
  });

  it("opens the request from a bar", async () => {
    fakeServer();
    renderPage();
    fireEvent.click(await screen.findByTestId("gantt-bar-13"));
    expect(await screen.findByTestId("instance-page")).toBeTruthy();
  });

  it("pages through windows and zooms, keeping it all in the URL", async () => {
    const server = fakeServer();
    renderPage();
    await screen.findByTestId("gantt");
    fireEvent.click(screen.getByTestId("gantt-next"));
    await waitFor(() => expect(server.last()?.get("start")).toBe("2027-01-01"));
    expect(server.last()?.get("end")).toBe("2027-01-31");
    expect(where()).toContain("date=2027-01-01");
    expect(screen.getByTestId("gantt-range").textContent).toBe("2027年1月1日 – 1月31日");

    fireEvent.click(screen.getByTestId("gantt-prev"));
    fireEvent.click(screen.getByTestId("gantt-prev"));
    await waitFor(() => expect(server.last()?.get("start")).toBe("2026-11-01"));
    expect(await screen.findByTestId("gantt")).toBeTruthy();
    expect(screen.queryByTestId("gantt-now")).toBeNull();

    fireEvent.click(screen.getByTestId("gantt-today"));
    await waitFor(() => expect(server.last()?.get("start")).toBe("2026-12-01"));
    expect(where()).not.toContain("date=");

    fireEvent.click(within(screen.getByTestId("gantt-zoom")).getByText("两周"));
    await waitFor(() => expect(server.last()?.get("start")).toBe("2026-11-30"));
    expect(server.last()?.get("end")).toBe("2026-12-13");
    expect(where()).toContain("zoom=weeks");
    fireEvent.click(within(screen.getByTestId("gantt-zoom")).getByText("季度"));
    await waitFor(() => expect(server.last()?.get("end")).toBe("2026-12-31"));
    expect(server.last()?.get("start")).toBe("2026-10-01");
  });

  it("opens a shared link on its window", async () => {
    const server = fakeServer({ tasks: [] });
    renderPage("/progress?view=gantt&zoom=weeks&date=2027-03-10&scope=visible&app=leave");
    await screen.findByTestId("gantt-empty");
    expect([server.last()?.get("scope"), server.last()?.get("start"), server.last()?.get("end"), server.last()?.get("app")])
      .toEqual(["visible", "2027-03-08", "2027-03-21", "leave"]);
    // Filtered by an app and nothing found: say so and offer to clear the filter.
    expect(screen.getByText("当前只看“leave”的任务。")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "看全部应用" }));
    await waitFor(() => expect(server.last()?.get("app")).toBeNull());
  });

  it("switches the scope and keeps it when switching views", async () => {
    const server = fakeServer();
    renderPage();
    await screen.findByTestId("gantt");
    fireEvent.click(within(screen.getByTestId("gantt-scope")).getByText("我能看到的"));
    await waitFor(() => expect(server.last()?.get("scope")).toBe("visible"));
    expect(screen.getByText("你的数据范围内所有申请的任务（部门负责人看到本部门的）。")).toBeTruthy();
    fireEvent.click(within(screen.getByTestId("progress-view")).getByText("看板"));
    expect(await screen.findByTestId("board-column-running")).toBeTruthy();
    expect(where()).toBe("/progress?scope=visible");
    expect(screen.getByText("你的数据范围内的所有申请（部门负责人看到本部门的）。")).toBeTruthy();
    // The board asks for every visible request (no box=started).
    await waitFor(() => expect(server.sent.some((request) => request.path === "/api/v1/instances/")).toBe(true));
    expect(server.sent.filter((request) => request.path === "/api/v1/instances/").every((request) => !request.search.has("box"))).toBe(true);
  });

  it("opens on the board and switches to the timeline", async () => {
    fakeServer();
    renderPage("/progress");
    expect(await screen.findByTestId("board-column-running")).toBeTruthy();
    expect(screen.queryByTestId("gantt")).toBeNull();
    fireEvent.click(within(screen.getByTestId("progress-view")).getByText("甘特图"));
    expect(await screen.findByTestId("gantt")).toBeTruthy();
    expect(where()).toBe("/progress?view=gantt");
  });

  it("filters by an app seen in the results, and keeps offering the others", async () => {
    const server = fakeServer();
    renderPage();
    await screen.findByTestId("gantt");
    fireEvent.mouseDown(within(screen.getByTestId("gantt-app")).getByRole("combobox"));
    const option = (await screen.findAllByTitle("请假")).find((item) => item.classList.contains("ant-select-item-option"));
    if (!option) throw new Error("no option 请假");
    fireEvent.click(option);
    await waitFor(() => expect(server.last()?.get("app")).toBe("leave"));
    await waitFor(() => expect(screen.queryByTestId("gantt-request-7")).toBeNull());
    expect(screen.getByTestId("gantt-request-9")).toBeTruthy();
    expect(where()).toContain("app=leave");
    fireEvent.mouseDown(within(screen.getByTestId("gantt-app")).getByRole("combobox"));
    expect((await screen.findAllByTitle("任务分配")).some((item) => item.classList.contains("ant-select-item-option"))).toBe(true);
  });

  it("warns when the answer was cut short", async () => {
    fakeServer({ truncated: true });
    renderPage();
    expect((await screen.findByTestId("gantt-truncated")).textContent).toContain("任务太多，只显示了前 4 个。请缩短时间范围，或只看一个应用。");
  });

  it("says so when there are no tasks", async () => {
    fakeServer({ tasks: [] });
    renderPage();
    const empty = await screen.findByTestId("gantt-empty");
    expect(empty.textContent).toContain("这段时间里没有任务");
    expect(empty.textContent).toContain("切换到“我能看到的”");
    expect(screen.queryByTestId("gantt")).toBeNull();
  });

  it("shows the server's error with a retry", async () => {
    fakeServer({ failFirst: true });
    renderPage();
    expect(await screen.findByText("日程服务暂时不可用")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /重\s*试/ }));
    expect(await screen.findByTestId("gantt-bar-12")).toBeTruthy();
  });

  it("speaks English too", async () => {
    fakeServer();
    await i18n.changeLanguage("en");
    let view: ReturnType<typeof renderPage> | undefined;
    try {
      view = renderPage();
      const chart = await screen.findByTestId("gantt");
      expect(chart.getAttribute("aria-label")).toBe("Task timeline, Dec 1 – Dec 31, 2026");
      expect(within(screen.getByTestId("progress-view")).getByText("Timeline")).toBeTruthy();
      expect(screen.getByTestId("gantt-bar-13").getAttribute("aria-label"))
        .toBe("任务分配 · 整理客户名单: 验收, 赵强, due Dec 4, 18:00, To do, overdue");
      expect(screen.getByText("4 tasks")).toBeTruthy();
    } finally {
      view?.unmount(); // before switching back, so the switch re-renders nothing outside act()
      await i18n.changeLanguage("zh-Hans");
    }
  });
});
