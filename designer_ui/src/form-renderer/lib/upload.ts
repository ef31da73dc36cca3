// Uploads to POST /api/v1/files/ (multipart: file, purpose). XMLHttpRequest rather than
// fetch because only XHR reports upload progress; the headers are api/client.ts's (CSRF
// token from the cookie, Accept-Language so the server's error message is in our language).
import { readCookie } from "../../api/csrf";
import { ApiError, toApiError } from "../../api/errors";
import i18n from "../../i18n";

export type UploadPurpose = "attachment" | "image" | "signature";

/** Facts the server copied out of a photo's EXIF block (only those the photo carries). */
export interface UploadedExif {
  taken_at?: string;
  latitude?: number;
  longitude?: number;
  make?: string;
  model?: string;
}

/** The server's answer (201). */
export interface UploadedFile {
  file_id: string;
  name: string;
  size: number;
  content_type: string;
  url: string;
  exif: UploadedExif;
}

export interface UploadOptions {
  purpose: UploadPurpose;
  /** File name sent with a Blob (a File's own name otherwise). */
  name?: string;
  /** The CSRF cookie's name (boot.csrf_cookie). */
  csrfCookie?: string;
  /** 0–100 while the bytes go up. */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

export const FILES_URL = "/api/v1/files/";

/** Where a stored file is downloaded (images are served inline, so this is also a thumbnail). */
export function fileUrl(fileId: string): string {
  return `${FILES_URL}${encodeURIComponent(fileId)}/`;
}

/** Was this rejection an abort (the user removed the file while it was uploading)? */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// Uploads still running in this page: a page can hold its submit until they are done
// (the value only ever holds stored files, so a submit during an upload would miss one).
let inFlight = 0;
const listeners = new Set<() => void>();

function setInFlight(change: number): void {
  inFlight += change;
  listeners.forEach((listener) => listener());
}

/** How many uploads are running (for useSyncExternalStore with subscribeUploads). */
export function uploadsInFlight(): number {
  return inFlight;
}

/** Be told when an upload starts or ends; returns the unsubscribe function. */
export function subscribeUploads(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Upload one file; resolves with the stored file, rejects with ApiError (the server's code and message). */
export function uploadFile(file: Blob, options: UploadOptions): Promise<UploadedFile> {
  setInFlight(1);
  return sendFile(file, options).finally(() => setInFlight(-1));
}

function sendFile(file: Blob, options: UploadOptions): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException("Upload aborted", "AbortError"));
      return;
    }
    const body = new FormData();
    const name = options.name ?? (file instanceof File ? file.name : "file");
    body.append("file", file, name);
    body.append("purpose", options.purpose);

    const xhr = new XMLHttpRequest();
    xhr.open("POST", FILES_URL);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Accept-Language", i18n.language === "en" ? "en" : "zh-hans");
    const token = readCookie(options.csrfCookie ?? "csrftoken");
    if (token) xhr.setRequestHeader("X-CSRFToken", token);

    const abort = () => xhr.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    const done = () => options.signal?.removeEventListener("abort", abort);

    xhr.upload.onprogress = (event: ProgressEvent) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(Math.min(99, Math.floor((event.loaded / event.total) * 100)));
    };
    xhr.onload = () => {
      done();
      const payload = parseJson(xhr.responseText);
      if (xhr.status === 201 || (xhr.status >= 200 && xhr.status < 300)) {
        options.onProgress?.(100);
        resolve(payload as UploadedFile);
        return;
      }
      if (xhr.status === 401) {
        // The session ended: sign in again and come back (as api/client.ts does).
        window.location.assign("/accounts/login/?next=" + encodeURIComponent(window.location.pathname));
      }
      // A 413 from a proxy in front of Django has no JSON body: say "too large" all the same.
      const fallback =
        xhr.status === 413 ? i18n.t("renderer:upload.tooLarge") : i18n.t("common:errors.server", { status: xhr.status });
      reject(toApiError(xhr.status, payload, fallback));
    };
    xhr.onerror = () => {
      done();
      reject(toApiError(0, null, i18n.t("common:errors.network")));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException("Upload aborted", "AbortError"));
    };
    xhr.send(body);
  });
}

/** The message to show for a failed upload. */
export function uploadErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.message) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return i18n.t("renderer:upload.failed");
}

/** A data: URL (signature_pad's toDataURL) as a Blob, without fetch (which a CSP may refuse for data:). */
export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(dataUrl);
  if (!match) throw new Error("Not a data URL");
  const type = match[1] || "application/octet-stream";
  const data = match[3] ?? "";
  if (!match[2]) return new Blob([decodeURIComponent(data)], { type });
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** A photo's taken_at as the camera's own wall-clock time ("2026-03-01 09:30"), whatever the browser's zone. */
export function photoTime(takenAt: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(takenAt);
  return match ? `${match[1]} ${match[2]}` : takenAt;
}
