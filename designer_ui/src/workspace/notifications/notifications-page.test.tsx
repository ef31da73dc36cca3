import { fireEvent, screen, waitFor, within } from "@testing-library/react";

import { initI18n } from "../../i18n";
import { fakeServer, makeNotification, renderPage } from "./notifications.fixture";
import { NotificationsPage } from "./notifications-page";

beforeAll(() => {
  initI18n("zh-Hans");
});
afterEach(() => vi.unstubAllGlobals());

const ITEMS = [
  makeNotification({ id: 1, kind: "new_task", subject: "请审批：差旅报销", instance_id: 42 }),
  makeNotification({ id: 2, kind: "approved", subject: "你的请假申请已通过", read: true, read_at: "2026-01-01T00:00:00Z" }),
  makeNotification({ id: 3, kind: "error", subject: "自动步骤失败，管理员已收到提醒", instance_id: null }),
];

function posts(sent: { method: string; path: string }[]): string[] {
  return sent.filter((request) => request.method === "POST").map((request) => request.path);
}

describe("NotificationsPage", () => {
  it("lists notifications, unread ones in bold, with counts on the tabs", async () => {
    fakeServer({ notifications: ITEMS });
    renderPage(<NotificationsPage />);
    const unreadSubject = await screen.findByTestId("notification-subject-1");
    expect(unreadSubject.tagName).toBe("STRONG");
    expect(unreadSubject.textContent).toContain("请审批：差旅报销");
    expect(screen.getByTestId("notification-subject-2").tagName).toBe("SPAN");
    expect(screen.getByTestId("notification-1").className).toContain("is-unread");
    expect(screen.getByTestId("notification-2").className).not.toContain("is-unread");
    expect(screen.getByTestId("notification-3").querySelector('[data-kind="error"]')).toBeTruthy();
    const first = within(screen.getByTestId("notification-1"));
    expect(first.getByText("5 分钟前")).toBeTruthy();
    expect(first.getByText("新待办")).toBeTruthy();
    expect(first.getByText("张三提交了「差旅报销」，请审批。")).toBeTruthy();
    // A read notification has no "mark read" button.
    expect(screen.queryByTestId("notification-mark-2")).toBeNull();
    await waitFor(() => expect(screen.getByRole("tab", { name: /未读\s*2/ })).toBeTruthy());
    expect(screen.getByRole("tab", { name: /全部\s*3/ })).toBeTruthy();
  });

  it("shows an overdue task with its own red clock and label, and an unknown kind as a plain notification", async () => {
    fakeServer({ notifications: [
      makeNotification({ id: 7, kind: "overdue", subject: "[差旅报销] 逾期：出差申请" }),
      makeNotification({ id: 8, kind: "something_new" as never, subject: "新类型" }),
    ] });
    renderPage(<NotificationsPage />);
    const overdue = within(await screen.findByTestId("notification-7"));
    expect(overdue.getByText("任务逾期")).toBeTruthy();
    expect(screen.getByTestId("notification-7").querySelector('[data-kind="overdue"] .anticon-field-time')).toBeTruthy();
    expect(within(screen.getByTestId("notification-8")).getByText("通知")).toBeTruthy();
  });

  it("renders server text as text, never as HTML", async () => {
    fakeServer({ notifications: [makeNotification({ id: 9, subject: "<img src=x onerror=alert(1)>", body: "<b>粗</b>" })] });
    renderPage(<NotificationsPage />);
    expect((await screen.findByTestId("notification-subject-9")).textContent).toContain("<img src=x onerror=alert(1)>");
    expect(screen.getByTestId("notification-9").querySelector("img, b")).toBeNull();
  });

  it("marks one read with the button: calls the endpoint and un-bolds it", async () => {
    const server = fakeServer({ notifications: ITEMS });
    renderPage(<NotificationsPage />);
    fireEvent.click(await screen.findByRole("button", { name: "将「请审批：差旅报销」标为已读" }));
    await waitFor(() => expect(screen.getByTestId("notification-subject-1").tagName).toBe("SPAN"));
    expect(posts(server.sent)).toEqual(["/api/v1/notifications/1/read/"]);
    await waitFor(() => expect(screen.getByRole("tab", { name: /未读\s*1/ })).toBeTruthy());
    expect(screen.queryByTestId("instance-page")).toBeNull(); // the button only marks, it does not open
  });

  it("opens a notification: marks it read and goes to its request", async () => {
    const server = fakeServer({ notifications: ITEMS });
    renderPage(<NotificationsPage />);
    fireEvent.click(await screen.findByText("请审批：差旅报销"));
    expect(await screen.findByTestId("instance-page")).toBeTruthy();
    await waitFor(() => expect(posts(server.sent)).toEqual(["/api/v1/notifications/1/read/"]));
  });

  it("opens one without a request in place; a read one opens without marking it again", async () => {
    const server = fakeServer({ notifications: ITEMS });
    renderPage(<NotificationsPage />);
    fireEvent.click(await screen.findByText("自动步骤失败，管理员已收到提醒"));
    await waitFor(() => expect(screen.getByTestId("notification-subject-3").tagName).toBe("SPAN"));
    expect(screen.queryByTestId("instance-page")).toBeNull();
    fireEvent.click(screen.getByText("你的请假申请已通过"));
    expect(await screen.findByTestId("instance-page")).toBeTruthy();
    expect(posts(server.sent)).toEqual(["/api/v1/notifications/3/read/"]);
  });

  it("marks all read", async () => {
    const server = fakeServer({ notifications: ITEMS });
    renderPage(<NotificationsPage />);
    const button = await screen.findByTestId("notifications-mark-all");
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(button);
    expect(await screen.findByText("已将 2 条通知标为已读")).toBeTruthy();
    expect(posts(server.sent)).toEqual(["/api/v1/notifications/read-all/"]);
    await waitFor(() => expect(screen.getByTestId("notification-subject-1").tagName).toBe("SPAN"));
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(true));
  });

  it("shows only unread ones on the unread tab", async () => {
    const server = fakeServer({ notifications: ITEMS });
    renderPage(<NotificationsPage />);
    await screen.findByTestId("notification-1");
    fireEvent.click(screen.getByRole("tab", { name: /未读/ }));
    await waitFor(() => expect(screen.queryByTestId("notification-2")).toBeNull());
    expect(screen.getByTestId("notification-1")).toBeTruthy();
    expect(server.sent.some((request) => request.search.get("unread") === "true")).toBe(true);
  });

  it("says so when there is nothing", async () => {
    fakeServer({ notifications: [] });
    renderPage(<NotificationsPage />);
    expect(await screen.findByText("没有通知")).toBeTruthy();
    expect(screen.getByText("有新的待办、审批结果或抄送时，会在这里提醒你。")).toBeTruthy();
    expect((screen.getByTestId("notifications-mark-all") as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows the server's error with a retry", async () => {
    fakeServer({ notifications: ITEMS, listError: true });
    renderPage(<NotificationsPage />);
    expect(await screen.findByText("服务器坏了")).toBeTruthy();
    expect(screen.getByRole("button", { name: /重\s*试/ })).toBeTruthy();
  });

  it("pages through many notifications", async () => {
    const many = Array.from({ length: 25 }, (_, index) => makeNotification({ id: index + 1, read: true }));
    const server = fakeServer({ notifications: many });
    renderPage(<NotificationsPage />);
    await screen.findByTestId("notification-1");
    expect(screen.queryByTestId("notification-21")).toBeNull();
    fireEvent.click(document.querySelector(".qb-notif-pager .ant-pagination-next")!);
    expect(await screen.findByTestId("notification-21")).toBeTruthy();
    expect(server.sent.some((request) => request.search.get("page") === "2")).toBe(true);
  });
});
