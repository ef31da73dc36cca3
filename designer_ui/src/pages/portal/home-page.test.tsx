import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { App as AntApp } from "antd";
import { MemoryRouter, Route, Routes } from "react-router-dom";

import type { Boot } from "../../app/boot";
import { BootContext } from "../../app/boot-context";
import { initI18n } from "../../i18n";
import { HomePage } from "../home-page";

const BOOT: Boot = {
  user: { id: "3", username: "lina", name: "李娜", department: null, is_superuser: false, permissions: [] },
  language: "zh-Hans",
  languages: [],
  urls: { root: "/app/", api: "/api/v1/", logout: "", password_change: "", set_language: "", api_docs: "", websocket: "" },
  csrf_cookie: "csrftoken",
};

const app = (key: string, name: string, category: string, name_en = "") =>
  ({ key, name, name_en, icon: "", category, description: "", version: 1 });
const APPS = [app("leave", "请假申请", "人事", "Leave"), app("travel", "差旅申请", "行政"), app("seal", "用章申请", "")];

function json(data: unknown, status = 200): Response {
  return new Response(status === 204 ? null : JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

function fakeServer({ favorites = ["travel"], failFavorite = false } = {}) {
  const state = { favorites: [...favorites] };
  const sent: string[] = [];
  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
  vi.stubGlobal("fetch", vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    sent.push(`${request.method} ${url.pathname}`);
    if (url.pathname === "/api/v1/apps/") return json({ count: APPS.length, next: null, previous: null, results: APPS });
    if (url.pathname === "/api/v1/favorites/") return json({ apps: state.favorites });
    const star = /^\/api\/v1\/favorites\/([\w-]+)\/$/.exec(url.pathname);
    if (star) {
      if (failFavorite) return json({ error: { code: "app_not_found", message: "应用不存在。" } }, 404);
      const key = star[1] ?? "";
      state.favorites = state.favorites.filter((k) => k !== key);
      if (request.method === "PUT") state.favorites.push(key);
      return request.method === "PUT" ? json({ apps: state.favorites }) : json(null, 204);
    }
    if (url.pathname === "/api/v1/drafts/") {
      return json([{ app: { key: "leave", name: "请假申请", name_en: "Leave", icon: "", category: "人事" }, urgent: false, updated_at: minutesAgo(5) }]);
    }
    if (url.pathname === "/api/v1/instances/") {
      return json({ count: 1, next: null, previous: null, results: [{ app: { key: "travel" }, created_at: minutesAgo(60) }] });
    }
    return json({ error: { code: "not_found", message: "no route" } }, 404);
  }));
  return { state, sent };
}

function renderHome() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <BootContext.Provider value={BOOT}>
        <AntApp>
          <MemoryRouter initialEntries={["/"]}>
            <Routes>
              <Route path="/" element={<HomePage />} />
            </Routes>
          </MemoryRouter>
        </AntApp>
      </BootContext.Provider>
    </QueryClientProvider>,
  );
}

beforeAll(() => {
  initI18n("zh-Hans");
});
afterEach(() => vi.unstubAllGlobals());

describe("HomePage (工作台)", () => {
  it("shows favourites, recent apps, drafts and all apps grouped by category with 其他 last", async () => {
    fakeServer();
    renderHome();
    await screen.findByTestId("start-leave");
    const all = screen.getByTestId("portal-all");
    const headings = within(all).getAllByRole("heading", { level: 5 }).map((heading) => heading.textContent);
    expect(headings).toEqual(["人事1", "行政1", "其他1"]);
    expect(await within(screen.getByTestId("portal-favorites")).findByTestId("favorite-travel")).toBeTruthy();
    // Recently used: the draft (5 minutes ago) before the request (an hour ago).
    const recent = await screen.findByTestId("portal-recent");
    await waitFor(() => expect(within(recent).getAllByRole("link").map((link) => link.getAttribute("href"))).toEqual(["/start/leave", "/start/travel"]));
    const draft = await screen.findByTestId("draft-leave");
    expect(draft.textContent).toContain("请假申请");
    expect(draft.textContent).toContain("5 分钟前保存");
    expect(within(draft).getByRole("link").getAttribute("href")).toBe("/start/leave");
  });

  it("filters by name and category; other sections hide while searching", async () => {
    fakeServer();
    renderHome();
    await screen.findByTestId("start-leave");
    fireEvent.change(screen.getByPlaceholderText("搜索应用名称或分类"), { target: { value: "行政" } });
    await waitFor(() => expect(screen.queryByTestId("start-leave")).toBeNull());
    expect(screen.getByTestId("start-travel")).toBeTruthy();
    expect(screen.queryByTestId("portal-favorites")).toBeNull();
    expect(screen.queryByTestId("portal-drafts")).toBeNull();
    fireEvent.change(screen.getByPlaceholderText("搜索应用名称或分类"), { target: { value: "报销" } });
    expect((await screen.findByTestId("portal-no-results")).textContent).toContain("没有找到与「报销」相关的应用");
  });

  it("stars an app at once and keeps it after the server agrees", async () => {
    const server = fakeServer({ favorites: [] });
    renderHome();
    await screen.findByText("点应用右上角的 ☆，把常用的应用放在这里。");
    fireEvent.click(screen.getByRole("button", { name: "把「请假申请」加入常用" }));
    expect(await within(screen.getByTestId("portal-favorites")).findByTestId("favorite-leave")).toBeTruthy();
    await waitFor(() => expect(server.sent).toContain("PUT /api/v1/favorites/leave/"));
    expect(screen.getAllByRole("button", { name: "把「请假申请」移出常用" }).length).toBe(2);
  });

  it("rolls the star back and says so when the server refuses", async () => {
    fakeServer({ favorites: [], failFavorite: true });
    renderHome();
    await screen.findByText("点应用右上角的 ☆，把常用的应用放在这里。");
    fireEvent.click(screen.getByRole("button", { name: "把「差旅申请」加入常用" }));
    expect(await screen.findByText("应用不存在。")).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId("favorite-travel")).toBeNull());
  });
});
