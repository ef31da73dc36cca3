// Server state of the notification center (react-query). Every change invalidates
// NOTIFICATIONS_KEY; the realtime client does the same on "notification.created" /
// "notification.read" frames (invalidateNotifications).
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Notification = Schemas["Notification"];
export type NotificationKind = Schemas["KindEnum"];
export type NotificationPage = Schemas["PaginatedNotificationList"];
export type NotificationPreferences = Schemas["Preference"];
export type NotificationPreferencesUpdate = Schemas["PreferenceRequest"];
export type DigestMode = Schemas["DigestEnum"];

export const NOTIFICATIONS_PAGE_SIZE = 20;

/** The prefix of every notification query: invalidate it when something changed. */
export const NOTIFICATIONS_KEY = ["notifications"] as const;

export const notificationKeys = {
  all: NOTIFICATIONS_KEY,
  unread: [...NOTIFICATIONS_KEY, "unread"] as const,
  lists: [...NOTIFICATIONS_KEY, "list"] as const,
  list: (filters: { unreadOnly: boolean; page: number; pageSize: number }) =>
    [...NOTIFICATIONS_KEY, "list", filters] as const,
  preferences: [...NOTIFICATIONS_KEY, "preferences"] as const,
};

/** Refetch what is on screen (for the realtime client's notification frames). */
export function invalidateNotifications(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
}

/** `{unread}`; polled once a minute as a fallback for when the realtime connection is down. */
export function useUnreadCount(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: notificationKeys.unread,
    enabled: options.enabled ?? true,
    queryFn: () => unwrap(api.GET("/api/v1/notifications/unread-count/")),
    refetchInterval: 60_000,
    staleTime: 15_000,
  });
}

export function useNotifications(
  { unreadOnly, page, pageSize = NOTIFICATIONS_PAGE_SIZE }: { unreadOnly: boolean; page: number; pageSize?: number },
  options: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: notificationKeys.list({ unreadOnly, page, pageSize }),
    enabled: options.enabled ?? true,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/notifications/", {
          params: { query: { unread: unreadOnly ? true : undefined, page, page_size: pageSize } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

interface MarkReadContext {
  lists: [readonly unknown[], NotificationPage | undefined][];
  unread: { unread: number } | undefined;
}

/** Mark one notification read; the lists and the count change at once and roll back on failure. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation<Notification, unknown, number, MarkReadContext>({
    mutationFn: (id) => unwrap(api.POST("/api/v1/notifications/{id}/read/", { params: { path: { id } } })),
    onMutate: async (id) => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.lists });
      await queryClient.cancelQueries({ queryKey: notificationKeys.unread });
      const lists = queryClient.getQueriesData<NotificationPage>({ queryKey: notificationKeys.lists });
      const unread = queryClient.getQueryData<{ unread: number }>(notificationKeys.unread);
      const wasUnread = lists.some(([, page]) => page?.results.some((item) => item.id === id && !item.read));
      const now = new Date().toISOString();
      queryClient.setQueriesData<NotificationPage>({ queryKey: notificationKeys.lists }, (page) =>
        page
          ? {
              ...page,
              results: page.results.map((item) => (item.id === id && !item.read ? { ...item, read: true, read_at: now } : item)),
            }
          : page,
      );
      if (wasUnread && unread) {
        queryClient.setQueryData(notificationKeys.unread, { unread: Math.max(0, unread.unread - 1) });
      }
      return { lists, unread };
    },
    onError: (_error, _id, context) => {
      if (!context) return;
      for (const [key, page] of context.lists) queryClient.setQueryData(key, page);
      if (context.unread) queryClient.setQueryData(notificationKeys.unread, context.unread);
    },
    onSettled: () => invalidateNotifications(queryClient),
  });
}

/** `{marked}`: how many were unread. */
export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/notifications/read-all/")),
    onSettled: () => invalidateNotifications(queryClient),
  });
}

export function usePreferences(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: notificationKeys.preferences,
    enabled: options.enabled ?? true,
    queryFn: () => unwrap(api.GET("/api/v1/notifications/preferences/")),
  });
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationPreferencesUpdate) =>
      unwrap(api.PUT("/api/v1/notifications/preferences/", { body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(notificationKeys.preferences, saved);
      return invalidateNotifications(queryClient);
    },
  });
}
