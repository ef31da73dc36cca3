import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, waitFor } from "@testing-library/react";
import { App as AntApp } from "antd";
import { MemoryRouter } from "react-router-dom";

import type { Boot } from "../app/boot";
import { BootContext } from "../app/boot-context";
import { initI18n } from "../i18n";
import { keysFor, RealtimeProvider, socketUrl, toastFor } from "./realtime";

const BOOT: Boot = {
  user: { id: "3", username: "lina", name: "李娜", department: null, is_superuser: false, permissions: [] },
  language: "zh-Hans",
  languages: [],
  urls: { root: "/app/", api: "/api/v1/", logout: "", password_change: "", set_language: "", api_docs: "", websocket: "/ws/" },
  csrf_cookie: "csrftoken",
};

/** A websocket that never connects; the test pushes frames into it. */
class FakeSocket {
  static OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(): void {}
  close(): void {}
  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function created(kind: string, instanceId = 42) {
  return { type: "notification.created", payload: { unread: 1, kind, instance_id: instanceId } };
}

function renderProvider() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <BootContext.Provider value={BOOT}>
        <AntApp>
          <MemoryRouter>
            <RealtimeProvider><div>page</div></RealtimeProvider>
          </MemoryRouter>
        </AntApp>
      </BootContext.Provider>
    </QueryClientProvider>,
  );
}

beforeAll(() => {
  initI18n("zh-Hans");
});
beforeEach(() => {
  FakeSocket.last = null;
  vi.stubGlobal("WebSocket", FakeSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe("which frames pop a toast", () => {
  it("toasts new tasks and decisions, warns about an overdue task, and leaves reminders in the list", () => {
    expect(toastFor(created("new_task"))).toEqual({ kind: "new_task", level: "info" });
    expect(toastFor(created("approved"))).toEqual({ kind: "approved", level: "info" });
    expect(toastFor(created("overdue"))).toEqual({ kind: "overdue", level: "warning" });
    expect(toastFor(created("reminder"))).toBeNull();
    expect(toastFor(created("escalated"))).toBeNull();
    expect(toastFor(created("toString"))).toBeNull();
    expect(toastFor({ type: "notification.read", payload: { kind: "overdue" } })).toBeNull();
    expect(toastFor({ type: "inbox.changed", payload: {} })).toBeNull();
  });

  it("re-reads the notifications on a notification frame and builds the socket address", () => {
    expect(keysFor(created("overdue"))).toEqual([["notifications"]]);
    expect(socketUrl("/ws/", { protocol: "https:", host: "qb.example.com" })).toBe("wss://qb.example.com/ws/");
  });
});

describe("RealtimeProvider", () => {
  it("shows an overdue notice as a warning toast", async () => {
    renderProvider();
    await waitFor(() => expect(FakeSocket.last).not.toBeNull());
    act(() => FakeSocket.last?.receive(created("overdue", 7)));
    // Titled "任务逾期" (its name in the notification list) until workspace.json has a toast.overdue sentence.
    const title = await screen.findByText(/逾期/);
    const notice = title.closest(".ant-notification-notice");
    expect(notice?.className).toContain("ant-notification-notice-warning");
    expect(notice?.textContent).toContain("点击查看");
  });

  it("shows a new task as an info toast and no toast for a reminder", async () => {
    renderProvider();
    await waitFor(() => expect(FakeSocket.last).not.toBeNull());
    act(() => FakeSocket.last?.receive(created("reminder", 8)));
    act(() => FakeSocket.last?.receive(created("new_task", 9)));
    const title = await screen.findByText("你有一条新的待办");
    expect(title.closest(".ant-notification-notice")?.className).toContain("ant-notification-notice-info");
    expect(screen.queryByText("催办提醒")).toBeNull();
    expect(document.querySelectorAll(".ant-notification-notice")).toHaveLength(1);
  });
});
