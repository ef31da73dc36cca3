// The signed-in user's websocket (docs/realtime.md): frames are hints to re-read, so each
// one invalidates the queries it concerns; a new task, a decision or an overdue task also
// shows a toast (TOASTS). The socket
// reconnects with backoff (and re-reads everything) unless the server closed it for
// authentication (4401 signed out, 4403 deactivated).
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { App as AntApp } from "antd";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { useBoot } from "../app/boot-context";

export interface Frame {
  type: string;
  payload: Record<string, unknown>;
}

/** What a frame means for cached data: the query keys to re-read. */
export function keysFor(frame: Frame): unknown[][] {
  const id = frame.payload.instance_id;
  switch (frame.type) {
    case "inbox.changed":
      return [["inbox"], ...(id != null ? [["instance", Number(id)]] : [])];
    case "instance.updated":
      return [["instance", Number(id)], ["inbox"]];
    case "notification.created":
    case "notification.read":
      return [["notifications"]];
    default:
      return [];
  }
}

/**
 * The notification kinds that pop a toast, and how. Reminders, escalations and the like stay in
 * the notification list only (reminders repeat and would nag); an overdue task is rare and
 * wants doing, so it warns.
 */
export const TOASTS: Readonly<Record<string, "info" | "warning">> = {
  new_task: "info", returned: "info", approved: "info", rejected: "info", cc: "info", urged: "info", transferred: "info",
  overdue: "warning",
};

/** The toast a frame pops, if any: its kind and level. */
export function toastFor(frame: Frame): { kind: string; level: "info" | "warning" } | null {
  if (frame.type !== "notification.created") return null;
  const kind = String(frame.payload.kind ?? "");
  const level = Object.hasOwn(TOASTS, kind) ? TOASTS[kind] : undefined;
  return level ? { kind, level } : null;
}

export function socketUrl(path: string, location: Pick<Location, "protocol" | "host">): string {
  if (/^wss?:\/\//.test(path)) return path;
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
}

function invalidate(client: QueryClient, frame: Frame): void {
  for (const key of keysFor(frame)) void client.invalidateQueries({ queryKey: key });
}

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const boot = useBoot();
  const client = useQueryClient();
  const { notification } = AntApp.useApp();
  const { t } = useTranslation("workspace");
  const navigate = useNavigate();
  const toast = useRef<(frame: Frame) => void>(() => undefined);
  toast.current = (frame) => {
    const toastOf = toastFor(frame);
    if (!toastOf) return;
    const { kind, level } = toastOf;
    notification[level]({
      // A kind without a toast sentence of its own is titled by its name in the notification list.
      title: t(`toast.${kind}`, { defaultValue: t(`kinds.${kind}`, { ns: "notifications" }) }),
      description: t("toast.open"),
      placement: "bottomRight",
      duration: level === "warning" ? 8 : 4,
      key: `n-${String(frame.payload.instance_id ?? "")}-${kind}`,
      onClick: () => {
        if (frame.payload.instance_id != null) navigate(`/instances/${String(frame.payload.instance_id)}`);
      },
    });
  };

  const url = boot.urls.websocket;
  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let ping: ReturnType<typeof setInterval> | null = null;
    const connect = () => {
      socket = new WebSocket(socketUrl(url, window.location));
      socket.onopen = () => {
        if (attempt > 0) {
          // Anything may have happened while we were away.
          void client.invalidateQueries({ queryKey: ["inbox"] });
          void client.invalidateQueries({ queryKey: ["instance"] });
          void client.invalidateQueries({ queryKey: ["notifications"] });
        }
        attempt = 0;
        ping = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ type: "ping" })), 45_000);
      };
      socket.onmessage = (event: MessageEvent<string>) => {
        let frame: Frame;
        try {
          frame = JSON.parse(event.data) as Frame;
        } catch {
          return;
        }
        if (!frame || typeof frame.type !== "string") return;
        invalidate(client, { type: frame.type, payload: frame.payload ?? {} });
        toast.current({ type: frame.type, payload: frame.payload ?? {} });
      };
      socket.onclose = (event) => {
        if (ping) clearInterval(ping);
        if (stopped || event.code === 4401 || event.code === 4403) return;
        attempt += 1;
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)) * (0.75 + Math.random() / 2);
        retry = setTimeout(connect, wait);
      };
    };
    if (typeof WebSocket !== "undefined") connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (ping) clearInterval(ping);
      socket?.close();
    };
  }, [url, client]);

  return <>{children}</>;
}
