// attachment / image: each chosen file is uploaded at once (POST /api/v1/files/, with
// progress); the value holds only stored files: {file_id, name, size, content_type}, and for
// photos the EXIF time and place the server read ({taken_at, location: {lat, lng}}).
// Files still uploading or refused stay in this widget (with retry) and never reach the value.
import { CameraOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Image, Upload, type UploadFile } from "antd";
import { useContext, useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";

import { BootContext } from "../../app/boot-context";
import { formatBytes, randomId } from "../lib/ids";
import { issueText } from "../lib/messages";
import { fileUrl, isAbort, uploadErrorMessage, uploadFile, type UploadedFile } from "../lib/upload";
import { fileAccepted } from "../lib/validate";
import { exifCaption, fileRefs, type FileRef } from "./file-display";
import type { WidgetProps } from "./types";

/** A file on its way up, or one the server refused. */
interface Pending {
  uid: string;
  file: File;
  status: "uploading" | "error";
  percent: number;
  error?: string;
  /** Object URL of a picked photo (revoked when the entry goes). */
  preview?: string;
}

/** The value item for a stored file (images carry the EXIF time and place when the photo had them). */
export function fileRefFromUpload(stored: UploadedFile, image: boolean): FileRef {
  const ref: FileRef = { file_id: stored.file_id, name: stored.name, size: stored.size, content_type: stored.content_type };
  if (!image) return ref;
  const exif = stored.exif ?? {};
  if (typeof exif.taken_at === "string" && exif.taken_at) ref.taken_at = exif.taken_at;
  if (typeof exif.latitude === "number" && typeof exif.longitude === "number") ref.location = { lat: exif.latitude, lng: exif.longitude };
  return ref;
}

/** The field's key from the renderer's element id ("qb-field-attachments" → "attachments"). */
function fieldKey(id: string): string {
  return id.replace(/^qb-field-/, "");
}

export function FileWidget({ id, field, value, onChange, ariaLabel, device }: WidgetProps) {
  const { t, i18n } = useTranslation("renderer");
  const boot = useContext(BootContext);
  const image = field["x-type"] === "image";
  const files = fileRefs(value);
  const maxItems = typeof field.maxItems === "number" ? field.maxItems : 50;
  const maxSize = typeof field["x-max-size"] === "number" ? field["x-max-size"] : undefined;
  const accept = Array.isArray(field["x-accept"]) ? field["x-accept"] : [];
  // Photos: image/* unless the admin narrowed it; on a phone the camera opens directly.
  const acceptAttribute = accept.join(",") || (image ? "image/*" : undefined);
  const capture = image && (device === "phone" || field["x-camera-only"] === true) ? "environment" : undefined;

  const [pending, setPending] = useState<Pending[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [preview, setPreview] = useState<number | null>(null);
  // A stored file keeps the list id it had while uploading: antd then turns the item into
  // "done" in place instead of fading one item out and another in.
  const [listIds, setListIds] = useState<Record<string, string>>({});
  const listId = (ref: FileRef) => listIds[ref.file_id] ?? ref.file_id;
  const controllers = useRef(new Map<string, AbortController>());
  // Uploads finish after later renders: they add to the newest value through the newest
  // onChange (the renderer's closes over the whole form value).
  const latest = useRef({ files, onChange });
  // Files picked together arrive one by one before a render: count them as they come.
  const taken = useRef(files.length);
  useLayoutEffect(() => {
    latest.current = { files, onChange };
    taken.current = files.length + pending.length;
  });
  useEffect(() => {
    const running = controllers.current;
    return () => running.forEach((controller) => controller.abort());
  }, []);
  const pendingRef = useRef(pending);
  useLayoutEffect(() => {
    pendingRef.current = pending;
  });
  useEffect(() => () => pendingRef.current.forEach((entry) => entry.preview && URL.revokeObjectURL(entry.preview)), []);

  const drop = (uid: string) => {
    controllers.current.get(uid)?.abort();
    controllers.current.delete(uid);
    setPending((list) => {
      const entry = list.find((item) => item.uid === uid);
      if (entry?.preview) URL.revokeObjectURL(entry.preview);
      return list.filter((item) => item.uid !== uid);
    });
  };

  const start = (uid: string, file: File) => {
    const controller = new AbortController();
    controllers.current.set(uid, controller);
    setPending((list) => list.map((item) => (item.uid === uid ? { ...item, status: "uploading", percent: 0, error: undefined } : item)));
    uploadFile(file, {
      purpose: image ? "image" : "attachment",
      name: file.name,
      csrfCookie: boot?.csrf_cookie,
      signal: controller.signal,
      onProgress: (percent) => setPending((list) => list.map((item) => (item.uid === uid ? { ...item, percent } : item))),
    }).then(
      (stored) => {
        if (controller.signal.aborted) return;
        controllers.current.delete(uid);
        drop(uid);
        setListIds((ids) => ({ ...ids, [stored.file_id]: uid }));
        const next = [...latest.current.files, fileRefFromUpload(stored, image)];
        latest.current = { ...latest.current, files: next };
        latest.current.onChange(next);
      },
      (error: unknown) => {
        controllers.current.delete(uid);
        if (isAbort(error)) return;
        setPending((list) => list.map((item) => (item.uid === uid ? { ...item, status: "error", error: uploadErrorMessage(error) } : item)));
      },
    );
  };

  const add = (file: File) => {
    if (taken.current >= maxItems) {
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
    taken.current += 1;
    setRefusal(null);
    const uid = randomId();
    const objectUrl = image && file.type.startsWith("image/") && typeof URL.createObjectURL === "function" ? URL.createObjectURL(file) : undefined;
    setPending((list) => [...list, { uid, file, status: "uploading", percent: 0, preview: objectUrl }]);
    start(uid, file);
  };

  const remove = (uid: string) => {
    if (pending.some((item) => item.uid === uid)) {
      drop(uid);
      return;
    }
    const next = files.filter((ref) => listId(ref) !== uid);
    latest.current = { ...latest.current, files: next };
    onChange(next.length ? next : undefined);
  };

  const captions = new Map<string, string>();
  const list: UploadFile[] = files.map((ref) => {
    if (image) captions.set(listId(ref), exifCaption(ref, t));
    const url = fileUrl(ref.file_id);
    return {
      uid: listId(ref),
      name: ref.name || ref.file_id,
      size: ref.size,
      type: ref.content_type,
      status: "done",
      url,
      thumbUrl: image ? url : undefined,
      // The name opens the download in a new tab; only the thumbnail opens the preview.
      linkProps: image ? { onClick: (event: MouseEvent) => nameClick(event, url) } : undefined,
    };
  });
  for (const item of pending) {
    list.push({
      uid: item.uid,
      name: item.file.name,
      size: item.file.size,
      type: item.file.type,
      status: item.status,
      percent: item.percent,
      thumbUrl: item.preview,
      response: item.error,
      "aria-label": t("upload.uploading", { name: item.file.name }),
    });
  }
  const failed = pending.filter((item) => item.status === "error");
  const room = maxItems - files.length - pending.length;

  const hints = [
    accept.length ? t("upload.accept", { accept: accept.join(", ") }) : null,
    maxSize !== undefined ? t("upload.maxSize", { size: formatBytes(maxSize, i18n.language) }) : null,
    maxItems < 50 ? t("upload.maxItems", { count: maxItems }) : null,
  ].filter(Boolean);

  return (
    <div className={`qb-fr-upload${image ? " is-image" : ""}`} id={id} aria-label={ariaLabel}>
      <Upload
        accept={acceptAttribute}
        capture={capture}
        data-testid={`upload-input-${fieldKey(id)}`}
        multiple={room > 1}
        listType={image ? "picture" : "text"}
        fileList={list}
        beforeUpload={(file) => {
          add(file);
          return Upload.LIST_IGNORE;
        }}
        onRemove={(file) => {
          remove(file.uid);
          return false;
        }}
        onPreview={
          image
            ? (file) => {
                const index = files.findIndex((ref) => listId(ref) === file.uid);
                if (index >= 0) setPreview(index);
              }
            : undefined
        }
        showUploadList={{
          showPreviewIcon: false,
          showDownloadIcon: false,
          showRemoveIcon: true,
        }}
        iconRender={() => <PaperClipOutlined />}
        itemRender={(node, file) => {
          const caption = captions.get(file.uid);
          return caption ? (
            <div className="qb-fr-upload-item">
              {node}
              <div className="qb-fr-exif">{caption}</div>
            </div>
          ) : (
            node
          );
        }}
        openFileDialogOnClick
      >
        {room <= 0 ? null : image ? (
          <Button icon={device === "phone" ? <CameraOutlined /> : <PlusOutlined />} className="qb-fr-upload-image">
            {device === "phone" ? t("upload.camera") : t("upload.image")}
          </Button>
        ) : (
          <Button icon={<UploadOutlined />}>{t("upload.file")}</Button>
        )}
      </Upload>
      {hints.length > 0 && <div className="qb-fr-hint">{hints.join(i18n.language === "en" ? "; " : "；")}</div>}
      {(refusal || failed.length > 0) && (
        <div className="qb-fr-inline-error qb-fr-upload-errors" role="alert">
          {refusal && <div>{refusal}</div>}
          {failed.map((item) => (
            <div key={item.uid} className="qb-fr-upload-failed">
              <span>{t("upload.failedItem", { name: item.file.name, message: item.error ?? t("upload.failed") })}</span>
              <Button
                type="link"
                size="small"
                aria-label={t("upload.retryItem", { name: item.file.name })}
                onClick={() => start(item.uid, item.file)}
              >
                {t("upload.retry")}
              </Button>
            </div>
          ))}
        </div>
      )}
      {image && files.length > 0 && (
        <Image.PreviewGroup
          items={files.map((ref) => ({ src: fileUrl(ref.file_id), alt: ref.name ?? "" }))}
          preview={{
            open: preview !== null,
            current: preview ?? 0,
            onOpenChange: (open) => {
              if (!open) setPreview(null);
            },
            onChange: (current) => setPreview(current),
          }}
        />
      )}
    </div>
  );
}

function nameClick(event: MouseEvent, url: string): void {
  // Stops antd's preview (it runs unless the default is prevented) and opens the file instead.
  event.preventDefault();
  window.open(url, "_blank", "noopener");
}
