// The typed API client: paths and bodies come from the server's OpenAPI document
// (npm run gen:api writes schema.d.ts at build time), so API drift fails `tsc`.
import createClient, { type Middleware } from "openapi-fetch";

import i18n from "../i18n";
import { readCookie } from "./csrf";
import { toApiError } from "./errors";
import type { paths } from "./schema";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let csrfCookieName = "csrftoken";

export function configureApi(options: { csrfCookie: string }): void {
  csrfCookieName = options.csrfCookie;
}

const csrf: Middleware = {
  onRequest({ request }) {
    request.headers.set("Accept-Language", i18n.language === "en" ? "en" : "zh-hans");
    if (UNSAFE.has(request.method)) {
      const token = readCookie(csrfCookieName);
      if (token) request.headers.set("X-CSRFToken", token);
    }
    return request;
  },
};

export const api = createClient<paths>({
  // Absolute (the page's origin), so the same client runs under vitest's jsdom; fetch is looked
  // up per call, so tests can stub it.
  baseUrl: typeof window === "undefined" ? "" : window.location.origin,
  credentials: "same-origin",
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(csrf);

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwrap an openapi-fetch result: the data, or throw ApiError with the server's message. */
export async function unwrap<T>(promise: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await promise;
  } catch {
    throw toApiError(0, null, i18n.t("common:errors.network"));
  }
  if (result.response.status === 401) {
    // The session ended (signed out elsewhere, expired): sign in again and come back.
    window.location.assign("/accounts/login/?next=" + encodeURIComponent(window.location.pathname));
  }
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error, i18n.t("common:errors.server", { status: result.response.status }));
  }
  return result.data as T;
}

/** A raw fetch for what the typed client does not cover (file downloads, form posts). */
export async function rawFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const method = (init.method ?? "GET").toUpperCase();
  if (UNSAFE.has(method)) {
    const token = readCookie(csrfCookieName);
    if (token) headers.set("X-CSRFToken", token);
  }
  headers.set("Accept-Language", i18n.language === "en" ? "en" : "zh-hans");
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, credentials: "same-origin" });
  } catch {
    throw toApiError(0, null, i18n.t("common:errors.network"));
  }
  if (!response.ok) {
    let payload: unknown = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    throw toApiError(response.status, payload, i18n.t("common:errors.server", { status: response.status }));
  }
  return response;
}

/** Save a Response body as a file named by its Content-Disposition. */
export async function downloadResponse(response: Response, fallbackName: string): Promise<void> {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
