// signature: a small canvas pad (pointer events: mouse, pen and touch) →
// {file_id, signer: the current user, signed_at}. The drawing stays in the page as a
// data URL until the documents work uploads it.
import { DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { Button, Modal, Space } from "antd";
import dayjs from "dayjs";
import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { isRecord } from "../lib/fields";
import { localPreviews, randomId } from "../lib/ids";
import type { WidgetProps } from "./types";

function SignaturePad({ onDone, onCancel }: { onDone: (dataUrl: string) => void; onCancel: () => void }) {
  const { t } = useTranslation("renderer");
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const drawing = useRef(false);
  const [empty, setEmpty] = useState(true);

  const setup = useCallback((element: HTMLCanvasElement | null) => {
    canvas.current = element;
    if (!element) return;
    const ratio = window.devicePixelRatio || 1;
    const width = element.clientWidth || 320;
    const height = element.clientHeight || 180;
    element.width = width * ratio;
    element.height = height * ratio;
    const context = element.getContext?.("2d");
    if (!context) return;
    context.scale(ratio, ratio);
    context.lineWidth = 2.2;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#1f1f1f";
  }, []);

  const point = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const clear = () => {
    const element = canvas.current;
    const context = element?.getContext?.("2d");
    if (element && context) context.clearRect(0, 0, element.width, element.height);
    setEmpty(true);
  };

  return (
    <div className="qb-fr-signature-pad">
      <div className="qb-fr-hint">{t("signature.hint")}</div>
      <canvas
        ref={setup}
        className="qb-fr-signature-canvas"
        aria-label={t("signature.pad")}
        role="img"
        tabIndex={0}
        onPointerDown={(event) => {
          const context = event.currentTarget.getContext?.("2d");
          if (!context) return;
          event.currentTarget.setPointerCapture?.(event.pointerId);
          drawing.current = true;
          const { x, y } = point(event);
          context.beginPath();
          context.moveTo(x, y);
          context.lineTo(x + 0.1, y + 0.1);
          context.stroke();
          setEmpty(false);
        }}
        onPointerMove={(event) => {
          if (!drawing.current) return;
          const context = event.currentTarget.getContext?.("2d");
          if (!context) return;
          const { x, y } = point(event);
          context.lineTo(x, y);
          context.stroke();
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
        onPointerCancel={() => {
          drawing.current = false;
        }}
      />
      <div className="qb-fr-signature-actions">
        <Button onClick={clear} disabled={empty}>
          {t("signature.clear")}
        </Button>
        <Space>
          <Button onClick={onCancel}>{t("signature.cancel")}</Button>
          <Button type="primary" disabled={empty} onClick={() => onDone(canvas.current?.toDataURL?.("image/png") ?? "")}>
            {t("signature.done")}
          </Button>
        </Space>
      </div>
    </div>
  );
}

export function SignatureWidget({ id, value, onChange, currentUser, ariaLabel, device }: WidgetProps) {
  const { t } = useTranslation("renderer");
  const [open, setOpen] = useState(false);
  const signature = isRecord(value) && typeof value.file_id === "string" ? value : null;
  const preview = signature ? localPreviews.get(signature.file_id as string) : undefined;
  return (
    <div className="qb-fr-signature" aria-label={ariaLabel}>
      {signature ? (
        <div className="qb-fr-signature-done">
          {preview ? (
            <img src={preview} alt={t("signature.signed")} className="qb-fr-signature-image" />
          ) : (
            <span className="qb-fr-signature-placeholder">{t("signature.signed")}</span>
          )}
          <div className="qb-fr-signature-meta">
            {typeof signature.signed_at === "string" &&
              t("signature.signedAt", { time: dayjs(signature.signed_at).format("YYYY-MM-DD HH:mm") })}
          </div>
          <Space size={4}>
            <Button size="small" icon={<EditOutlined />} onClick={() => setOpen(true)}>
              {t("signature.again")}
            </Button>
            <Button size="small" icon={<DeleteOutlined />} aria-label={t("signature.remove")} onClick={() => onChange(undefined)} />
          </Space>
        </div>
      ) : (
        <Button id={id} icon={<EditOutlined />} onClick={() => setOpen(true)} className="qb-fr-signature-start">
          {t("signature.sign")}
        </Button>
      )}
      <Modal
        open={open}
        title={t("signature.title")}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        maskClosable={false}
        width={device === "phone" ? "calc(100vw - 24px)" : 520}
        centered
      >
        <SignaturePad
          onCancel={() => setOpen(false)}
          onDone={(dataUrl) => {
            const fileId = randomId();
            if (dataUrl) localPreviews.set(fileId, dataUrl);
            onChange({ file_id: fileId, signer: currentUser?.id ?? "", signed_at: dayjs().second(0).millisecond(0).format("YYYY-MM-DDTHH:mm:ssZ") });
            setOpen(false);
          }}
        />
      </Modal>
    </div>
  );
}
