import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";

import { ApiError } from "../../api/errors";
import { BootContext } from "../../app/boot-context";
import { readBoot } from "../../app/boot";
import { initI18n } from "../../i18n";
import type { FieldSchema } from "../../schema/form";
import { uploadFile, type UploadedFile } from "../lib/upload";
import { ReadOnlyValue } from "./display";
import { FileWidget } from "./file-widget";

vi.mock("../lib/upload", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/upload")>()),
  uploadFile: vi.fn(),
}));
const upload = vi.mocked(uploadFile);

const PHOTO: UploadedFile = {
  file_id: "f_photo",
  name: "site.jpg",
  size: 2048,
  content_type: "image/jpeg",
  url: "/api/v1/files/f_photo/",
  exif: { taken_at: "2026-03-01T09:30:00+08:00", latitude: 31.234, longitude: 121.475, make: "Apple" },
};

const imageField = { "x-type": "image", type: "array", "x-label": { zh: "现场照片" }, maxItems: 3 } as FieldSchema;
const fileField = {
  "x-type": "attachment",
  type: "array",
  "x-label": { zh: "附件" },
  maxItems: 2,
  "x-accept": [".pdf", ".txt"],
  "x-max-size": 1000,
} as FieldSchema;

function Harness({ field, initial, device = "desktop", spy }: { field: FieldSchema; initial?: unknown; device?: "desktop" | "phone"; spy?: (value: unknown) => void }) {
  const [value, setValue] = useState<unknown>(initial);
  const key = field["x-type"] === "image" ? "photos" : "files";
  return (
    <BootContext.Provider value={{ ...readBoot(), csrf_cookie: "qb_csrf" }}>
      <FileWidget
        id={`qb-field-${key}`}
        field={field}
        ui={{}}
        value={value}
        device={device}
        onChange={(next) => {
          spy?.(next);
          setValue(next);
        }}
      />
    </BootContext.Provider>
  );
}

function input(key: string): HTMLInputElement {
  const element = document.querySelector<HTMLInputElement>(`[data-testid=upload-input-${key}]`);
  if (!element) throw new Error(`no input for ${key}`);
  return element;
}

async function choose(key: string, ...files: File[]) {
  await act(async () => {
    fireEvent.change(input(key), { target: { files } });
  });
}

beforeAll(() => {
  initI18n("zh-Hans");
});

beforeEach(() => {
  upload.mockReset();
});

describe("FileWidget", { timeout: 20_000 }, () => {
  it("opens the camera for photos on a phone", () => {
    render(<Harness field={imageField} device="phone" />);
    const element = input("photos");
    expect(element.type).toBe("file");
    expect(element.getAttribute("accept")).toBe("image/*");
    expect(element.getAttribute("capture")).toBe("environment");
    expect(screen.getByText("拍照上传")).toBeTruthy();
  });

  it("takes accept from x-accept and does not force the camera for attachments", () => {
    render(<Harness field={fileField} device="phone" />);
    const element = input("files");
    expect(element.getAttribute("accept")).toBe(".pdf,.txt");
    expect(element.hasAttribute("capture")).toBe(false);
    expect(screen.getByText(/支持格式：.pdf, .txt/)).toBeTruthy();
  });

  it("uploads a chosen photo and stores it with the EXIF time and place", async () => {
    let finish: (stored: UploadedFile) => void = () => undefined;
    upload.mockImplementation((_file, options) => {
      options.onProgress?.(40);
      return new Promise((resolve) => {
        finish = resolve;
      });
    });
    const spy = vi.fn();
    render(<Harness field={imageField} spy={spy} />);
    await choose("photos", new File(["jpeg"], "site.jpg", { type: "image/jpeg" }));

    expect(upload).toHaveBeenCalledTimes(1);
    const [sent, options] = upload.mock.calls[0] ?? [];
    expect((sent as File).name).toBe("site.jpg");
    expect(options).toMatchObject({ purpose: "image", name: "site.jpg", csrfCookie: "qb_csrf" });
    // While it uploads: in the list with its progress, not yet in the value.
    expect(document.querySelector(".ant-upload-list-item-uploading")).toBeTruthy();
    expect(spy).not.toHaveBeenCalled();

    await act(async () => finish(PHOTO));
    expect(spy).toHaveBeenLastCalledWith([
      {
        file_id: "f_photo",
        name: "site.jpg",
        size: 2048,
        content_type: "image/jpeg",
        taken_at: "2026-03-01T09:30:00+08:00",
        location: { lat: 31.234, lng: 121.475 },
      },
    ]);
    expect(screen.getByText("拍摄于 2026-03-01 09:30 · 31.2340, 121.4750")).toBeTruthy();
    const name = document.querySelector("a.ant-upload-list-item-name") as HTMLElement;
    expect(name.textContent).toBe("site.jpg");
    expect(name.getAttribute("href")).toBe("/api/v1/files/f_photo/");
    expect(name.getAttribute("target")).toBe("_blank");
    const thumbnail = document.querySelector<HTMLImageElement>(".ant-upload-list-item-image");
    expect(thumbnail?.getAttribute("src")).toBe("/api/v1/files/f_photo/");
  });

  it("keeps a photo without EXIF plain", async () => {
    upload.mockResolvedValue({ ...PHOTO, file_id: "f_plain", name: "plain.png", content_type: "image/png", exif: {} });
    const spy = vi.fn();
    render(<Harness field={imageField} spy={spy} />);
    await choose("photos", new File(["png"], "plain.png", { type: "image/png" }));
    await waitFor(() => expect(spy).toHaveBeenCalled());
    expect(spy).toHaveBeenLastCalledWith([{ file_id: "f_plain", name: "plain.png", size: 2048, content_type: "image/png" }]);
    expect(document.querySelector(".qb-fr-exif")).toBeNull();
  });

  it("shows the server's refusal at the field and retries", async () => {
    upload.mockRejectedValueOnce(
      new ApiError(413, { code: "file_too_large", message: "文件太大（最多接受 20971520 字节）。" }),
    );
    upload.mockResolvedValueOnce({ ...PHOTO, file_id: "f_note", name: "说明.txt", content_type: "text/plain", size: 5, exif: {} });
    const spy = vi.fn();
    render(<Harness field={fileField} spy={spy} />);
    await choose("files", new File(["hello"], "说明.txt", { type: "text/plain" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("说明.txt 上传失败：文件太大（最多接受 20971520 字节）。");
    expect(document.querySelector(".ant-upload-list-item-error")).toBeTruthy();
    expect(spy).not.toHaveBeenCalled();

    await act(async () => {
      fireEvent.click(within(alert).getByRole("button", { name: "重新上传 说明.txt" }));
    });
    await waitFor(() => expect(spy).toHaveBeenLastCalledWith([{ file_id: "f_note", name: "说明.txt", size: 5, content_type: "text/plain" }]));
    expect(upload).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("link", { name: "说明.txt" }).getAttribute("href")).toBe("/api/v1/files/f_note/");
  });

  it("refuses a file over x-max-size in the browser without uploading it", async () => {
    render(<Harness field={fileField} />);
    await choose("files", new File(["x".repeat(2000)], "big.pdf", { type: "application/pdf" }));
    expect((await screen.findByRole("alert")).textContent).toContain("文件大小超过了允许的 1000 字节。");
    expect(upload).not.toHaveBeenCalled();
  });

  it("uploads several files picked together, up to maxItems", async () => {
    let count = 0;
    upload.mockImplementation(async (file) => {
      count += 1;
      return { ...PHOTO, file_id: `f_${count}`, name: (file as File).name, content_type: "application/pdf", exif: {} };
    });
    const spy = vi.fn();
    render(<Harness field={fileField} spy={spy} />);
    await choose(
      "files",
      new File(["a"], "a.pdf", { type: "application/pdf" }),
      new File(["b"], "b.pdf", { type: "application/pdf" }),
      new File(["c"], "c.pdf", { type: "application/pdf" }),
    );
    await waitFor(() => expect((spy.mock.lastCall?.[0] as unknown[] | undefined)?.length).toBe(2));
    expect(upload).toHaveBeenCalledTimes(2);
    expect((spy.mock.lastCall?.[0] as { name: string }[]).map((ref) => ref.name)).toEqual(["a.pdf", "b.pdf"]);
    expect(screen.getByRole("alert").textContent).toContain("最多只能选择或添加 2 项。");
  });

  it("removes a stored file", async () => {
    const spy = vi.fn();
    render(
      <Harness
        field={fileField}
        spy={spy}
        initial={[
          { file_id: "f_a", name: "a.pdf" },
          { file_id: "f_b", name: "b.pdf" },
        ]}
      />,
    );
    const item = screen.getByRole("link", { name: "a.pdf" }).closest(".ant-upload-list-item") as HTMLElement;
    await act(async () => {
      fireEvent.click(within(item).getByRole("button"));
    });
    expect(spy).toHaveBeenLastCalledWith([{ file_id: "f_b", name: "b.pdf" }]);
    expect(screen.queryByRole("link", { name: "a.pdf" })).toBeNull();
  });
});

describe("read-only files", () => {
  it("shows attachments as links, photos as thumbnails with their EXIF caption, and a signature", () => {
    const { container } = render(
      <>
        <ReadOnlyValue field={fileField} value={[{ file_id: "f_a", name: "报告.pdf" }]} />
        <ReadOnlyValue
          field={imageField}
          value={[{ file_id: "f_p", name: "p.jpg", taken_at: "2026-03-01T09:30:00+08:00", location: { lat: 31.234, lng: 121.475 } }]}
        />
        <ReadOnlyValue field={{ "x-type": "signature", type: "object" } as FieldSchema} value={{ file_id: "f_s", signer: "7", signed_at: "2026-03-01T09:30:00+08:00" }} />
      </>,
    );
    const link = screen.getByRole("link", { name: "报告.pdf" });
    expect(link.getAttribute("href")).toBe("/api/v1/files/f_a/");
    expect(link.getAttribute("target")).toBe("_blank");
    expect(container.querySelector<HTMLImageElement>(".qb-fr-photo img")?.getAttribute("src")).toBe("/api/v1/files/f_p/");
    expect(screen.getByText("拍摄于 2026-03-01 09:30 · 31.2340, 121.4750")).toBeTruthy();
    expect(container.querySelector<HTMLImageElement>(".qb-fr-signature-image")?.getAttribute("src")).toBe("/api/v1/files/f_s/");
    expect(screen.getByTestId("signature-meta").textContent).toMatch(/^签于 2026-03-0\d \d{2}:\d{2}$/);
  });
});
