import { ApiError } from "../../api/errors";
import { initI18n } from "../../i18n";
import { dataUrlToBlob, fileUrl, isAbort, photoTime, subscribeUploads, uploadErrorMessage, uploadFile, uploadsInFlight } from "./upload";

/** A stand-in for XMLHttpRequest: records the request, the test answers it. */
class FakeXhr {
  static last: FakeXhr | null = null;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = "";
  withCredentials = false;
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  aborted = false;

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  answer(status: number, payload: unknown) {
    this.status = status;
    this.responseText = typeof payload === "string" ? payload : JSON.stringify(payload);
    this.onload?.();
  }
}

function lastRequest(): FakeXhr {
  if (!FakeXhr.last) throw new Error("no request was sent");
  return FakeXhr.last;
}

const STORED = {
  file_id: "f_1",
  name: "site.jpg",
  size: 1234,
  content_type: "image/jpeg",
  url: "/api/v1/files/f_1/",
  exif: { taken_at: "2026-03-01T09:30:00+08:00", latitude: 31.234, longitude: 121.475 },
};

beforeAll(() => {
  initI18n("zh-Hans");
});

beforeEach(() => {
  FakeXhr.last = null;
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  document.cookie = "csrftoken=token-123";
  document.cookie = "qb_csrf=other-token";
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("uploadFile", () => {
  it("posts the file and its purpose with the CSRF header, reports progress and resolves with the stored file", async () => {
    const progress: number[] = [];
    const file = new File(["jpeg bytes"], "site.jpg", { type: "image/jpeg" });
    const result = uploadFile(file, { purpose: "image", onProgress: (percent) => progress.push(percent) });
    const xhr = lastRequest();
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/api/v1/files/");
    expect(xhr.headers["X-CSRFToken"]).toBe("token-123");
    expect(xhr.headers["Accept-Language"]).toBe("zh-hans");
    expect(xhr.body?.get("purpose")).toBe("image");
    const sent = xhr.body?.get("file");
    expect(sent).toBeInstanceOf(File);
    expect((sent as File).name).toBe("site.jpg");

    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 } as ProgressEvent);
    xhr.answer(201, STORED);
    await expect(result).resolves.toEqual(STORED);
    expect(progress).toEqual([50, 100]);
  });

  it("counts the uploads in flight", async () => {
    const seen: number[] = [];
    const unsubscribe = subscribeUploads(() => seen.push(uploadsInFlight()));
    const first = uploadFile(new File(["a"], "a.txt"), { purpose: "attachment" });
    const firstXhr = lastRequest();
    const second = uploadFile(new File(["b"], "b.txt"), { purpose: "attachment" });
    expect(uploadsInFlight()).toBe(2);
    firstXhr.answer(201, STORED);
    lastRequest().answer(400, { error: { code: "file_empty", message: "文件是空的。" } });
    await first;
    await second.catch(() => undefined);
    expect(uploadsInFlight()).toBe(0);
    expect(seen).toEqual([1, 2, 1, 0]);
    unsubscribe();
  });

  it("reads the CSRF token from the configured cookie and names a Blob", async () => {
    const result = uploadFile(new Blob(["png"], { type: "image/png" }), { purpose: "signature", name: "signature.png", csrfCookie: "qb_csrf" });
    const xhr = lastRequest();
    expect(xhr.headers["X-CSRFToken"]).toBe("other-token");
    expect((xhr.body?.get("file") as File).name).toBe("signature.png");
    expect(xhr.body?.get("purpose")).toBe("signature");
    xhr.answer(201, { ...STORED, file_id: "sig" });
    await expect(result).resolves.toMatchObject({ file_id: "sig" });
  });

  it("rejects with the server's code and message on 413", async () => {
    const result = uploadFile(new File(["x"], "big.pdf"), { purpose: "attachment" });
    lastRequest().answer(413, {
      error: { code: "file_too_large", message: "文件太大（最多接受 1000 字节）。", details: { limit_bytes: 1000 } },
    });
    const error = await result.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(413);
    expect((error as ApiError).code).toBe("file_too_large");
    expect(uploadErrorMessage(error)).toBe("文件太大（最多接受 1000 字节）。");
  });

  it("says the file is too large when a proxy answers 413 without JSON", async () => {
    const result = uploadFile(new File(["x"], "big.pdf"), { purpose: "attachment" });
    lastRequest().answer(413, "<html>Request Entity Too Large</html>");
    const error = await result.catch((failure: unknown) => failure);
    expect(uploadErrorMessage(error)).toBe("文件太大，服务器未接收。");
  });

  it("rejects a type the server refuses with its message", async () => {
    const result = uploadFile(new File(["MZ"], "tool.exe"), { purpose: "attachment" });
    lastRequest().answer(400, { error: { code: "file_type_not_allowed", message: "不能上传这种文件。" } });
    await expect(result).rejects.toMatchObject({ code: "file_type_not_allowed", message: "不能上传这种文件。" });
  });

  it("reports a network failure", async () => {
    const result = uploadFile(new File(["x"], "a.txt"), { purpose: "attachment" });
    lastRequest().onerror?.();
    await expect(result).rejects.toMatchObject({ code: "network_error" });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const result = uploadFile(new File(["x"], "a.txt"), { purpose: "attachment", signal: controller.signal });
    controller.abort();
    expect(lastRequest().aborted).toBe(true);
    const error = await result.catch((failure: unknown) => failure);
    expect(isAbort(error)).toBe(true);
  });
});

describe("upload helpers", () => {
  it("builds download addresses", () => {
    expect(fileUrl("f_1")).toBe("/api/v1/files/f_1/");
    expect(fileUrl("a/b")).toBe("/api/v1/files/a%2Fb/");
  });

  it("turns a data URL into a Blob", async () => {
    const blob = dataUrlToBlob("data:image/png;base64,iVBORw0KGgo=");
    expect(blob.type).toBe("image/png");
    expect(blob.size).toBe(8);
    const buffer = await new Promise<ArrayBuffer>((resolve) => {
      const reader = new FileReader(); // jsdom's Blob has no arrayBuffer()
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.readAsArrayBuffer(blob);
    });
    const bytes = new Uint8Array(buffer);
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(() => dataUrlToBlob("not a data url")).toThrow();
  });

  it("shows a photo's time as the camera's wall clock", () => {
    expect(photoTime("2026-03-01T09:30:00+08:00")).toBe("2026-03-01 09:30");
    expect(photoTime("2026-03-01T01:30:00Z")).toBe("2026-03-01 01:30");
    expect(photoTime("odd")).toBe("odd");
  });
});
