import { createBrowserRouter, type RouteObject } from "react-router-dom";

import { AppDetailPage } from "../pages/apps/app-detail-page";
import { AppListPage } from "../pages/apps/app-list-page";
import { DictionaryPage } from "../pages/dictionary/dictionary-page";
import { FormDesignerPage } from "../pages/designer/form-designer-page";
import { FlowDesignerPage } from "../pages/flow-designer/flow-designer-page";
import { HomePage } from "../pages/home-page";
import { NotFoundPage } from "../pages/not-found-page";
import { StartPage } from "../pages/start/start-page";
import { InboxPage } from "../workspace/inbox/inbox-page";
import { InstancePage } from "../workspace/instance/instance-page";
import { NotificationsPage } from "../workspace/notifications/notifications-page";
import { ProgressPage } from "../workspace/progress/progress-page";
import { Shell } from "./shell";

export const routes: RouteObject[] = [
  {
    element: <Shell />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "apps", element: <AppListPage /> },
      { path: "apps/:key", element: <AppDetailPage /> },
      { path: "start/:key", element: <StartPage /> },
      { path: "inbox", element: <InboxPage /> },
      { path: "instances/:id", element: <InstancePage /> },
      { path: "notifications", element: <NotificationsPage /> },
      { path: "progress", element: <ProgressPage /> },
      { path: "dictionary", element: <DictionaryPage /> },
      { path: "dictionary/:entryKey", element: <DictionaryPage /> },
      // The designer takes the whole width under the shared top bar.
      { path: "apps/:key/form", element: <FormDesignerPage />, handle: { fullBleed: true } },
      { path: "apps/:key/flow", element: <FlowDesignerPage />, handle: { fullBleed: true } },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function createAppRouter(basename: string) {
  return createBrowserRouter(routes, { basename: basename.replace(/\/$/, "") });
}
