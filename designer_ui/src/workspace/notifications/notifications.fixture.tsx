// A small in-memory notifications API on a stubbed fetch, and the providers pages need.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { App as AntApp } from "antd";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";

import type { Notification, NotificationPreferences } from "./use-notifications";

export interface SentRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
}

export function makeNotification(overrides: Partial<Notification> & { id: number }): Notification {
  return {
    kind: "new_task",
    instance_id: 42,
    task_id: "t1",
    node_id: "n1",
    subject: `通知 ${overrides.id}`,
    body: "张三提交了「差旅报销」，请审批。",
    url: null,
    params: {},
    read: false,
    read_at: null,
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    ...overrides,
  };
}

export const DEFAULT_PREFERENCES: NotificationPreferences = {
  in_app: true,
  email_enabled: true,
  im_enabled: false,
  quiet_start: null,
  quiet_end: null,
  digest: "off",
  digest_time: "09:00",
  time_zone: "Asia/Shanghai",
};

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

/** Stub fetch with the notification endpoints; returns the server state and the requests sent. */
export function fakeServer(
  options: {
    notifications?: Notification[];
    preferences?: NotificationPreferences;
    putPreferences?: (body: Record<string, unknown>) => Response | undefined;
    listError?: boolean;
    putDelayMs?: number;
  } = {},
) {
  const state = {
    notifications: options.notifications ?? [],
    preferences: { ...(options.preferences ?? DEFAULT_PREFERENCES) },
  };
  const sent: SentRequest[] = [];
  const handler = vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    const body: unknown = request.method === "GET" ? null : await request.text().then((text) => (text ? JSON.parse(text) : null));
    sent.push({ method: request.method, path: url.pathname, search: url.searchParams, body });
    const path = url.pathname;
    const unread = () => state.notifications.filter((item) => !item.read);
    if (request.method === "GET" && path === "/api/v1/notifications/") {
      if (options.listError) return json({ error: { code: "boom", message: "服务器坏了" } }, 500);
      const all = url.searchParams.get("unread") === "true" ? unread() : state.notifications;
      const page = Number(url.searchParams.get("page") ?? "1");
      const size = Number(url.searchParams.get("page_size") ?? "50");
      return json({ count: all.length, next: null, previous: null, results: all.slice((page - 1) * size, page * size) });
    }
    if (request.method === "GET" && path === "/api/v1/notifications/unread-count/") return json({ unread: unread().length });
    const read = /^\/api\/v1\/notifications\/(\d+)\/read\/$/.exec(path);
    if (request.method === "POST" && read) {
      const item = state.notifications.find((candidate) => candidate.id === Number(read[1]));
      if (!item) return json({ error: { code: "notification_not_found", message: "not found" } }, 404);
      const updated = { ...item, read: true, read_at: new Date().toISOString() };
      state.notifications = state.notifications.map((candidate) => (candidate.id === item.id ? updated : candidate));
      return json(updated);
    }
    if (request.method === "POST" && path === "/api/v1/notifications/read-all/") {
      const marked = unread().length;
      state.notifications = state.notifications.map((item) => ({ ...item, read: true, read_at: item.read_at ?? new Date().toISOString() }));
      return json({ marked });
    }
    if (path === "/api/v1/notifications/preferences/") {
      if (request.method === "GET") return json(state.preferences);
      if (request.method === "PUT") {
        if (options.putDelayMs) await new Promise((resolve) => setTimeout(resolve, options.putDelayMs));
        const answer = options.putPreferences?.(body as Record<string, unknown>);
        if (answer) return answer;
        state.preferences = { ...state.preferences, ...(body as Partial<NotificationPreferences>) };
        return json(state.preferences);
      }
    }
    return json({ error: { code: "not_found", message: "no route" } }, 404);
  });
  vi.stubGlobal("fetch", handler);
  return { state, sent, handler };
}

/** Render under react-query, antd's App (messages) and a router with /instances/:id. */
export function renderPage(node: ReactNode, route = "/notifications") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <QueryClientProvider client={client}>
      <AntApp>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path="/notifications" element={node} />
            <Route path="/instances/:id" element={<p data-testid="instance-page">instance</p>} />
          </Routes>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
  return { ...result, client };
}
