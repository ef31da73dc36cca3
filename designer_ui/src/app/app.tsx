import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useMemo } from "react";
import { RouterProvider } from "react-router-dom";

import { ApiError } from "../api/errors";
import type { Boot } from "./boot";
import { BootContext } from "./boot-context";
import { createAppRouter } from "./routes";
import { theme } from "./theme";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Retrying a 4xx never helps (permission, not found, validation).
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
}

export function App({ boot, router }: { boot: Boot; router?: ReturnType<typeof createAppRouter> }) {
  const queryClient = useMemo(makeQueryClient, []);
  const appRouter = useMemo(() => router ?? createAppRouter(boot.urls.root), [router, boot.urls.root]);
  const english = boot.language === "en";
  dayjs.locale(english ? "en" : "zh-cn");
  return (
    <BootContext.Provider value={boot}>
      <ConfigProvider locale={english ? enUS : zhCN} theme={theme}>
        <AntApp>
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={appRouter} />
          </QueryClientProvider>
        </AntApp>
      </ConfigProvider>
    </BootContext.Provider>
  );
}
