import { fireEvent, screen, waitFor } from "@testing-library/react";

import { initI18n } from "../../i18n";
import { DEFAULT_PREFERENCES, fakeServer, renderPage } from "./notifications.fixture";
import { PreferencesDrawer } from "./preferences-drawer";

// jsdom cannot compute pseudo-element styles (antd's scroll-bar measure asks): answer for the element.
const computedStyle = window.getComputedStyle.bind(window);

beforeAll(() => {
  initI18n("zh-Hans");
  window.getComputedStyle = (element: Element) => computedStyle(element);
});
afterAll(() => {
  window.getComputedStyle = computedStyle;
});
afterEach(() => vi.unstubAllGlobals());

function puts(sent: { method: string; body: unknown }[]): unknown[] {
  return sent.filter((request) => request.method === "PUT").map((request) => request.body);
}

async function openDrawer(onClose = vi.fn()) {
  renderPage(<PreferencesDrawer open onClose={onClose} />);
  await screen.findByTestId("notification-preferences-form");
  return onClose;
}

describe("PreferencesDrawer", () => {
  it("shows the settings: in-app always on, the channels, the time zone", async () => {
    fakeServer({ preferences: { ...DEFAULT_PREFERENCES, email_enabled: true, im_enabled: false } });
    await openDrawer();
    const inApp = screen.getByRole("switch", { name: /站内通知/ });
    expect(inApp.getAttribute("aria-checked")).toBe("true");
    expect((inApp as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("switch", { name: /邮件/ }).getAttribute("aria-checked")).toBe("true");
    expect(screen.getByRole("switch", { name: /群机器人/ }).getAttribute("aria-checked")).toBe("false");
    expect(screen.getByTestId("pref-time-zone").textContent).toBe("Asia/Shanghai");
  });

  it("refuses half-set quiet hours with a clear message and sends nothing", async () => {
    const server = fakeServer({ preferences: { ...DEFAULT_PREFERENCES, quiet_start: "22:00", quiet_end: "08:00" } });
    await openDrawer();
    const end = screen.getByTestId("pref-quiet-end").closest(".ant-picker")!;
    const clear = end.querySelector(".ant-picker-clear")!;
    fireEvent.mouseDown(clear);
    fireEvent.click(clear);
    await waitFor(() => expect((screen.getByLabelText("结束时间") as HTMLInputElement).value).toBe(""));
    fireEvent.click(screen.getByTestId("pref-save"));
    expect(await screen.findByText("免打扰时段需要同时填写开始和结束时间，或者都不填。")).toBeTruthy();
    expect(puts(server.sent)).toEqual([]);
  });

  it("saves once however often Save is clicked, and says so", async () => {
    const server = fakeServer({ putDelayMs: 100 });
    const onClose = await openDrawer();
    fireEvent.click(screen.getByRole("switch", { name: /邮件/ }));
    const save = screen.getByTestId("pref-save");
    fireEvent.click(save);
    fireEvent.click(save);
    await waitFor(() => expect(puts(server.sent)).toHaveLength(1));
    await waitFor(() => expect(save.className).toContain("ant-btn-loading"));
    fireEvent.click(save); // while the request is in flight
    expect(await screen.findByText("通知设置已保存")).toBeTruthy();
    expect(puts(server.sent)).toEqual([
      { email_enabled: false, im_enabled: false, quiet_start: null, quiet_end: null, digest: "off" },
    ]);
    expect(onClose).toHaveBeenCalled();
  });

  it("asks for the time of a daily digest and sends it", async () => {
    const server = fakeServer();
    await openDrawer();
    expect(screen.queryByTestId("pref-digest-time")).toBeNull();
    fireEvent.click(screen.getByLabelText("每小时汇总一次"));
    expect(await screen.findByText("每个整点发送一次汇总。")).toBeTruthy();
    fireEvent.click(screen.getByLabelText("每天汇总一次"));
    expect(await screen.findByTestId("pref-digest-time")).toBeTruthy();
    fireEvent.click(screen.getByTestId("pref-save"));
    await waitFor(() => expect(puts(server.sent)).toHaveLength(1));
    expect(puts(server.sent)[0]).toMatchObject({ digest: "daily", digest_time: "09:00" });
  });

  it("shows the server's message when it refuses", async () => {
    const onClose = vi.fn();
    fakeServer({
      putPreferences: () =>
        new Response(
          JSON.stringify({ error: { code: "preference_invalid", message: "免打扰时段必须同时有开始和结束。", details: { field: "quiet_end" } } }),
          { status: 400, headers: { "Content-Type": "application/json" } },
        ),
    });
    await openDrawer(onClose);
    fireEvent.click(screen.getByTestId("pref-save"));
    expect((await screen.findAllByText("免打扰时段必须同时有开始和结束。")).length).toBeGreaterThan(0);
    expect(onClose).not.toHaveBeenCalled();
    expect((screen.getByTestId("pref-save") as HTMLButtonElement).disabled).toBe(false);
  });
});
