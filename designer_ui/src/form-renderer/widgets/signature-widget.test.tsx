import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";

import { ApiError } from "../../api/errors";
import { initI18n } from "../../i18n";
import type { FieldSchema } from "../../schema/form";
import { uploadFile } from "../lib/upload";
import { SignatureWidget, signatureValue } from "./signature-widget";
import type { RendererUser } from "./types";

// jsdom has no canvas: a stand-in pad that the test "draws" on.
const { FakePad, pads } = vi.hoisted(() => {
  const pads: InstanceType<typeof FakePad>[] = [];
  class FakePad extends EventTarget {
    empty = true;
    enabled = true;
    constructor(public canvas: HTMLCanvasElement) {
      super();
      pads.push(this);
    }
    isEmpty() {
      return this.empty;
    }
    clear() {
      this.empty = true;
    }
    toData() {
      return [];
    }
    fromData() {}
    on() {
      this.enabled = true;
    }
    off() {
      this.enabled = false;
    }
    toDataURL(type?: string) {
      return type === "image/png" ? "data:image/png;base64,iVBORw0KGgo=" : "";
    }
    draw() {
      this.empty = false;
      this.dispatchEvent(new CustomEvent("endStroke"));
    }
  }
  return { FakePad, pads };
});
type FakePad = InstanceType<typeof FakePad>;
vi.mock("signature_pad", () => ({ default: FakePad }));
vi.mock("../lib/upload", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../lib/upload")>()),
  uploadFile: vi.fn(),
}));
const upload = vi.mocked(uploadFile);

const field = { "x-type": "signature", type: "object", "x-label": { zh: "申请人签名" } } as FieldSchema;
const lina: RendererUser = { id: "42", name: "王丽娜" };

function Harness({ initial, spy, device = "desktop" }: { initial?: unknown; spy?: (value: unknown) => void; device?: "desktop" | "phone" }) {
  const [value, setValue] = useState<unknown>(initial);
  return (
    <SignatureWidget
      id="qb-field-sign"
      field={field}
      ui={{}}
      value={value}
      device={device}
      currentUser={lina}
      onChange={(next) => {
        spy?.(next);
        setValue(next);
      }}
    />
  );
}

const button = (name: RegExp) => screen.getByRole("button", { name });

async function drawAndConfirm() {
  await act(async () => {
    fireEvent.click(button(/点击签名|重新签名/));
  });
  const pad = pads.at(-1);
  if (!pad) throw new Error("no pad");
  expect(screen.getByRole("img", { name: "签名板" })).toBe(pad.canvas);
  expect((button(/完\s?成/) as HTMLButtonElement).disabled).toBe(true);
  await act(async () => pad.draw());
  expect((button(/完\s?成/) as HTMLButtonElement).disabled).toBe(false);
  await act(async () => {
    fireEvent.click(button(/完\s?成/));
  });
  return pad;
}

// jsdom does not implement getComputedStyle(element, pseudoElement) (the modal's scroll lock asks for it).
const computedStyle = window.getComputedStyle.bind(window);

beforeAll(() => {
  initI18n("zh-Hans");
  window.getComputedStyle = (element: Element) => computedStyle(element);
});
afterAll(() => {
  window.getComputedStyle = computedStyle;
});

beforeEach(() => {
  upload.mockReset();
  pads.length = 0;
});

describe("SignatureWidget", { timeout: 20_000 }, () => {
  it("uploads the drawing as a PNG and stores file_id, signer and signed_at", async () => {
    upload.mockResolvedValue({ file_id: "f_sig", name: "signature.png", size: 8, content_type: "image/png", url: "/api/v1/files/f_sig/", exif: {} });
    const spy = vi.fn();
    render(<Harness spy={spy} device="phone" />);
    await drawAndConfirm();

    await waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
    const [blob, options] = upload.mock.calls[0] ?? [];
    expect(blob).toBeInstanceOf(Blob);
    expect((blob as Blob).type).toBe("image/png");
    expect(options).toMatchObject({ purpose: "signature", name: "signature.png" });
    const value = spy.mock.calls[0]?.[0] as Record<string, string>;
    expect(Object.keys(value).sort()).toEqual(["file_id", "signed_at", "signer"]);
    expect(value.file_id).toBe("f_sig");
    expect(value.signer).toBe("42");
    expect(value.signed_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);

    // The saved signature: the image from the server, who and when; the pad is gone.
    const image = await screen.findByRole("img", { name: "王丽娜的签名" });
    expect(image.getAttribute("src")).toBe("/api/v1/files/f_sig/");
    expect(screen.getByTestId("signature-meta").textContent).toMatch(/^王丽娜 签于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await waitFor(() => expect(screen.queryByRole("img", { name: "签名板" })).toBeNull());
  });

  it("keeps the pad open with the server's message when saving fails, then signs again", async () => {
    upload.mockRejectedValueOnce(new ApiError(400, { code: "file_type_not_allowed", message: "只能上传 PNG 签名。" }));
    upload.mockResolvedValueOnce({ file_id: "f_2", name: "signature.png", size: 8, content_type: "image/png", url: "/api/v1/files/f_2/", exif: {} });
    const spy = vi.fn();
    render(<Harness spy={spy} />);
    await drawAndConfirm();
    expect((await screen.findByRole("alert")).textContent).toBe("签名未能保存：只能上传 PNG 签名。");
    expect(spy).not.toHaveBeenCalled();
    expect(screen.getByRole("img", { name: "签名板" })).toBeTruthy();

    await act(async () => {
      fireEvent.click(button(/完\s?成/));
    });
    await waitFor(() => expect(spy).toHaveBeenCalledWith(expect.objectContaining({ file_id: "f_2", signer: "42" })));
  });

  it("re-signs and removes a saved signature", async () => {
    upload.mockResolvedValue({ file_id: "f_new", name: "signature.png", size: 8, content_type: "image/png", url: "/api/v1/files/f_new/", exif: {} });
    const spy = vi.fn();
    render(<Harness spy={spy} initial={{ file_id: "f_old", signer: "42", signed_at: "2026-03-01T09:30:00+08:00" }} />);
    expect(screen.getByRole("img", { name: "王丽娜的签名" }).getAttribute("src")).toBe("/api/v1/files/f_old/");

    await drawAndConfirm();
    await waitFor(() => expect(spy).toHaveBeenLastCalledWith(expect.objectContaining({ file_id: "f_new" })));

    await act(async () => {
      fireEvent.click(button(/删除签名/));
    });
    expect(spy).toHaveBeenLastCalledWith(undefined);
    expect(button(/点击签名/)).toBeTruthy();
  });

  it("clears the pad", async () => {
    render(<Harness />);
    await act(async () => {
      fireEvent.click(button(/点击签名/));
    });
    const pad = pads.at(-1) as FakePad;
    await act(async () => pad.draw());
    await act(async () => {
      fireEvent.click(button(/清\s?除/));
    });
    expect(pad.isEmpty()).toBe(true);
    expect((button(/完\s?成/) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("signatureValue", () => {
  it("writes the time with its offset, to the second", async () => {
    const dayjs = (await import("dayjs")).default;
    const value = signatureValue("f", "7", dayjs("2026-03-01T09:30:12.345"));
    expect(value.file_id).toBe("f");
    expect(value.signer).toBe("7");
    expect(value.signed_at).toMatch(/^2026-03-01T09:30:12[+-]\d{2}:\d{2}$/);
  });
});
