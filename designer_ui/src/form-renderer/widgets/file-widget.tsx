// attachment / image: files are kept in the page as {file_id, name, size, content_type}
// (the upload itself comes with the documents work); images show thumbnails from object URLs.
import { PaperClipOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Upload, type UploadFile } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { isRecord } from "../lib/fields";
import { formatBytes, localPreviews, randomId } from "../lib/ids";
import { issueText } from "../lib/messages";
import { fileAccepted } from "../lib/validate";
import type { WidgetProps } from "./types";

interface FileRef {
  file_id: string;
  name?: string;
  size?: number;
  content_type?: string;
  [key: string]: unknown;
}

function refs(value: unknown): FileRef[] {
  return Array.isArray(value) ? value.filter((v): v is FileRef => isRecord(v) && typeof v.file_id === "string") : [];
}

export function FileWidget({ id, field, value, onChange, ariaLabel }: WidgetProps) {
  const { t, i18n } = useTranslation("renderer");
  const image = field["x-type"] === "image";
  const files = refs(value);
  const maxItems = typeof field.maxItems === "number" ? field.maxItems : 50;
  const maxSize = typeof field["x-max-size"] === "number" ? field["x-max-size"] : undefined;
  const accept = Array.isArray(field["x-accept"]) ? field["x-accept"] : [];
  const [refusal, setRefusal] = useState<string | null>(null);
  // Several files picked at once arrive one by one before the value updates.
  const pending = useRef<FileRef[] | null>(null);

  const add = (file: File) => {
    const current = pending.current ?? files;
    if (current.length >= maxItems) {
      setRefusal(issueText({ code: "max_items", message: "", params: { limit: maxItems } }));
      return;
    }
    if (!fileAccepted(field, file.name, file.type)) {
      setRefusal(issueText({ code: "file_type_not_allowed", message: "", params: { accept: accept.join(", ") } }));
      return;
    }
    if (maxSize !== undefined && file.size > maxSize) {
      setRefusal(issueText({ code: "file_too_large", message: "", params: { limit: maxSize } }));
      return;
    }
    const ref: FileRef = { file_id: randomId(), name: file.name, size: file.size, content_type: file.type || "application/octet-stream" };
    if (typeof URL.createObjectURL === "function" && (file.type.startsWith("image/") || image)) {
      localPreviews.set(ref.file_id, URL.createObjectURL(file));
    }
    const next = [...current, ref];
    pending.current = next;
    queueMicrotask(() => {
      pending.current = null;
    });
    setRefusal(null);
    onChange(next);
  };

  const list: UploadFile[] = files.map((ref) => ({
    uid: ref.file_id,
    name: ref.name ?? ref.file_id,
    size: ref.size,
    type: ref.content_type,
    status: "done",
    thumbUrl: localPreviews.get(ref.file_id),
    url: localPreviews.get(ref.file_id),
  }));

  const hints = [
    accept.length ? t("upload.accept", { accept: accept.join(", ") }) : null,
    maxSize !== undefined ? t("upload.maxSize", { size: formatBytes(maxSize, i18n.language) }) : null,
    maxItems < 50 ? t("upload.maxItems", { count: maxItems }) : null,
  ].filter(Boolean);

  return (
    <div className="qb-fr-upload" id={id} aria-label={ariaLabel}>
      <Upload
        accept={accept.join(",") || undefined}
        multiple={maxItems - files.length > 1}
        listType={image ? "picture-card" : "text"}
        fileList={list}
        beforeUpload={(file) => {
          add(file);
          return Upload.LIST_IGNORE;
        }}
        onRemove={(file) => {
          const url = localPreviews.get(file.uid);
          if (url?.startsWith("blob:")) URL.revokeObjectURL(url);
          localPreviews.delete(file.uid);
          const next = files.filter((ref) => ref.file_id !== file.uid);
          onChange(next.length ? next : undefined);
          return true;
        }}
        showUploadList={{ showPreviewIcon: false, showDownloadIcon: false, showRemoveIcon: true }}
        iconRender={() => <PaperClipOutlined />}
        openFileDialogOnClick
      >
        {files.length >= maxItems ? null : image ? (
          <button type="button" className="qb-fr-upload-card">
            <PlusOutlined aria-hidden />
            <span>{t("upload.image")}</span>
          </button>
        ) : (
          <Button icon={<UploadOutlined />}>{t("upload.file")}</Button>
        )}
      </Upload>
      {hints.length > 0 && <div className="qb-fr-hint">{hints.join(i18n.language === "en" ? "; " : "；")}</div>}
      {refusal && (
        <div className="qb-fr-inline-error" role="alert">
          {refusal}
        </div>
      )}
    </div>
  );
}
