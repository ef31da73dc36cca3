// signature: a signature_pad canvas (pointer events: mouse, pen and touch). Confirming
// uploads the drawing as a PNG (purpose=signature) and stores
// {file_id, signer: the current user's id, signed_at: now with the offset}; the server
// refuses a new signature whose signer is not the submitting user.
import { DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { Button, Modal, Space } from "antd";
import dayjs from "dayjs";
import SignaturePad from "signature_pad";
import { useContext, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { BootContext } from "../../app/boot-context";
import { dataUrlToBlob, uploadErrorMessage, uploadFile } from "../lib/upload";
import { SignatureView, signatureOf } from "./file-display";
import type { WidgetProps } from "./types";

/** The value of a signature made now by `signer` ("2026-03-01T09:30:12+08:00"). */
export function signatureValue(fileId: string, signer: string, now: dayjs.Dayjs = dayjs()): { file_id: string; signer: string; signed_at: string } {
  return { file_id: fileId, signer, signed_at: now.millisecond(0).format("YYYY-MM-DDTHH:mm:ssZ") };
}

/** Size the canvas's bitmap to its CSS box × devicePixelRatio (sharp lines), keeping the strokes. */
function fitCanvas(canvas: HTMLCanvasElement, pad: SignaturePad): void {
  const ratio = Math.max(window.devicePixelRatio || 1, 1);
  const width = canvas.offsetWidth;
  const height = canvas.offsetHeight;
  if (!width || !height) return;
  if (canvas.width === Math.round(width * ratio) && canvas.height === Math.round(height * ratio)) return;
  const strokes = pad.toData();
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.getContext("2d")?.scale(ratio, ratio);
  pad.fromData(strokes); // clears, then redraws at the new scale
}

function Pad({ onConfirm, onCancel, saving, error }: { onConfirm: (dataUrl: string) => void; onCancel: () => void; saving: boolean; error: string | null }) {
  const { t } = useTranslation("renderer");
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [empty, setEmpty] = useState(true);
  const hint = useId();

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const instance = new SignaturePad(element, { penColor: "#1f1f1f", minWidth: 0.8, maxWidth: 2.8 });
    pad.current = instance;
    const changed = () => setEmpty(instance.isEmpty());
    instance.addEventListener("endStroke", changed);
    fitCanvas(element, instance);
    const refit = () => fitCanvas(element, instance);
    const observer = typeof ResizeObserver === "function" ? new ResizeObserver(refit) : null;
    observer?.observe(element);
    window.addEventListener("resize", refit); // devicePixelRatio changes (zoom, another screen)
    return () => {
      observer?.disconnect();
      window.removeEventListener("resize", refit);
      instance.removeEventListener("endStroke", changed);
      instance.off();
      pad.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = pad.current;
    if (!instance) return;
    if (saving) instance.off();
    else instance.on();
  }, [saving]);

  return (
    <div className="qb-fr-signature-pad">
      <div className="qb-fr-hint" id={hint}>
        {t("signature.hint")}
      </div>
      <canvas ref={canvas} className="qb-fr-signature-canvas" role="img" aria-label={t("signature.pad")} aria-describedby={hint} />
      {error && (
        <div className="qb-fr-inline-error" role="alert">
          {t("signature.failed", { message: error })}
        </div>
      )}
      {saving && (
        <div className="qb-fr-hint" role="status">
          {t("signature.saving")}
        </div>
      )}
      <div className="qb-fr-signature-actions">
        <Button
          onClick={() => {
            pad.current?.clear();
            setEmpty(true);
          }}
          disabled={empty || saving}
        >
          {t("signature.clear")}
        </Button>
        <Space>
          <Button onClick={onCancel} disabled={saving}>
            {t("signature.cancel")}
          </Button>
          <Button type="primary" disabled={empty} loading={saving} onClick={() => pad.current && onConfirm(pad.current.toDataURL("image/png"))}>
            {t("signature.done")}
          </Button>
        </Space>
      </div>
    </div>
  );
}

export function SignatureWidget({ id, value, onChange, currentUser, ariaLabel, device }: WidgetProps) {
  const { t } = useTranslation("renderer");
  const boot = useContext(BootContext);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signature = signatureOf(value);
  // The upload finishes after later renders: hand the value to the newest onChange.
  const latest = useRef(onChange);
  useLayoutEffect(() => {
    latest.current = onChange;
  });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const confirm = async (dataUrl: string) => {
    setSaving(true);
    setError(null);
    try {
      const stored = await uploadFile(dataUrlToBlob(dataUrl), { purpose: "signature", name: "signature.png", csrfCookie: boot?.csrf_cookie });
      if (!mounted.current) return;
      latest.current(signatureValue(stored.file_id, currentUser?.id ?? ""));
      setOpen(false);
    } catch (failure) {
      if (mounted.current) setError(uploadErrorMessage(failure));
    } finally {
      if (mounted.current) setSaving(false);
    }
  };

  const begin = () => {
    setError(null);
    setOpen(true);
  };

  return (
    <div className="qb-fr-signature" aria-label={ariaLabel}>
      {signature ? (
        <div className="qb-fr-signature-done">
          <SignatureView value={signature} currentUser={currentUser} />
          <Space size={4}>
            <Button id={id} size="small" icon={<EditOutlined />} onClick={begin}>
              {t("signature.again")}
            </Button>
            <Button size="small" icon={<DeleteOutlined />} aria-label={t("signature.remove")} title={t("signature.remove")} onClick={() => onChange(undefined)} />
          </Space>
        </div>
      ) : (
        <Button id={id} icon={<EditOutlined />} onClick={begin} className="qb-fr-signature-start">
          {t("signature.sign")}
        </Button>
      )}
      <Modal
        open={open}
        title={t("signature.title")}
        footer={null}
        onCancel={() => !saving && setOpen(false)}
        closable={!saving}
        destroyOnHidden
        mask={{ closable: false }}
        width={device === "phone" ? "calc(100vw - 24px)" : 520}
        centered
      >
        <Pad onCancel={() => setOpen(false)} onConfirm={(dataUrl) => void confirm(dataUrl)} saving={saving} error={error} />
      </Modal>
    </div>
  );
}
