import { screen, waitFor } from "@testing-library/react";

import { initI18n } from "../../i18n";
import { NotificationBell } from "./notification-bell";
import { fakeServer, makeNotification, renderPage } from "./notifications.fixture";

beforeAll(() => {
  initI18n("zh-Hans");
});
afterEach(() => vi.unstubAllGlobals());

describe("NotificationBell", () => {
  it("shows the unread count and links to the notification center", async () => {
    fakeServer({
      notifications: [
        makeNotification({ id: 1 }),
        makeNotification({ id: 2 }),
        makeNotification({ id: 3 }),
        makeNotification({ id: 4, read: true }),
      ],
    });
    renderPage(<NotificationBell />);
    const bell = await screen.findByRole("link", { name: "通知（3 条未读）" });
    expect(bell.getAttribute("href")).toBe("/notifications");
    expect(bell.textContent).toContain("3");
  });

  it("has a plain label without unread notifications", async () => {
    const server = fakeServer({ notifications: [makeNotification({ id: 1, read: true })] });
    renderPage(<NotificationBell />);
    await waitFor(() => expect(server.handler).toHaveBeenCalled());
    expect(await screen.findByRole("link", { name: "通知" })).toBeTruthy();
  });
});
