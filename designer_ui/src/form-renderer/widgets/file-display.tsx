// Files, photos and signatures as a reader sees them (read-only fields and the widgets'
// own lists): names link to the download, photos are thumbnails with a preview and the
// time and place they were taken, a signature shows who signed and when.
import { PaperClipOutlined } from "@ant-design/icons";
import { Image } from "antd";
import dayjs from "dayjs";
import type { TFunction } from "i18next";
import { useContext } from "react";
import { useTranslation } from "react-i18next";

import { BootContext } from "../../app/boot-context";
import { isRecord } from "../lib/fields";
import { fileUrl, photoTime } from "../lib/upload";
import { userNames } from "./org-widgets";
import type { RendererUser } from "./types";
import "./file-widgets.css";

/** One item of an attachment or image value (runtime/forms/field_types/files.py). */
export interface FileRef {
  file_id: string;
  name?: string;
  size?: number;
  content_type?: string;
  /** Images: when the photo was taken (RFC 3339 with offset). */
  taken_at?: string;
  /** Images: where. */
  location?: { lat: number; lng: number; address?: string };
}

/** The well-formed file references of a value. */
export function fileRefs(value: unknown): FileRef[] {
  return Array.isArray(value) ? value.filter((v): v is FileRef => isRecord(v) && typeof v.file_id === "string" && v.file_id !== "") : [];
}

/** "拍摄于 2026-03-01 09:30 · 31.2340, 121.4750" ("" when the photo says neither). */
export function exifCaption(ref: FileRef, t: TFunction): string {
  const parts: string[] = [];
  if (typeof ref.taken_at === "string" && ref.taken_at) parts.push(t("renderer:upload.takenAt", { time: photoTime(ref.taken_at) }));
  const place = ref.location;
  if (isRecord(place) && typeof place.lat === "number" && typeof place.lng === "number") {
    parts.push(typeof place.address === "string" && place.address ? place.address : `${place.lat.toFixed(4)}, ${place.lng.toFixed(4)}`);
  }
  return parts.join(" · ");
}

function displayName(ref: FileRef): string {
  return ref.name || ref.file_id;
}

/** Attachment names as links that open the download in a new tab. */
export function FileLinks({ refs, id }: { refs: FileRef[]; id?: string }) {
  const { t } = useTranslation("renderer");
  return (
    <ul className="qb-fr-file-links" id={id}>
      {refs.map((ref) => (
        <li key={ref.file_id}>
          <PaperClipOutlined aria-hidden />
          <a href={fileUrl(ref.file_id)} target="_blank" rel="noopener noreferrer" title={t("upload.open", { name: displayName(ref) })}>
            {displayName(ref)}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Photos as thumbnails (click: preview), each with its time and place when known. */
export function ImageThumbs({ refs, id }: { refs: FileRef[]; id?: string }) {
  const { t } = useTranslation("renderer");
  return (
    <div className="qb-fr-photos" id={id}>
      <Image.PreviewGroup>
        {refs.map((ref) => {
          const caption = exifCaption(ref, t);
          return (
            <figure key={ref.file_id} className="qb-fr-photo">
              <Image src={fileUrl(ref.file_id)} alt={displayName(ref)} width={72} height={72} className="qb-fr-photo-image" />
              <figcaption>
                <a href={fileUrl(ref.file_id)} target="_blank" rel="noopener noreferrer" className="qb-fr-photo-name">
                  {displayName(ref)}
                </a>
                {caption && <span className="qb-fr-exif">{caption}</span>}
              </figcaption>
            </figure>
          );
        })}
      </Image.PreviewGroup>
    </div>
  );
}

/** A signature's value when it is well formed. */
export function signatureOf(value: unknown): { file_id: string; signer: string; signed_at: string } | null {
  if (!isRecord(value) || typeof value.file_id !== "string" || !value.file_id) return null;
  return {
    file_id: value.file_id,
    signer: typeof value.signer === "string" ? value.signer : "",
    signed_at: typeof value.signed_at === "string" ? value.signed_at : "",
  };
}

/** The signer's name: the current user's own, or one the user pickers have seen. */
export function signerName(signer: string, currentUser?: RendererUser | null): string {
  if (!signer) return "";
  if (currentUser && currentUser.id === signer) return currentUser.name ?? "";
  return userNames.get(signer) ?? "";
}

/** The signature image with "王丽娜 签于 2026-03-01 09:30". */
export function SignatureView({ value, currentUser, id }: { value: unknown; currentUser?: RendererUser | null; id?: string }) {
  const { t } = useTranslation("renderer");
  const boot = useContext(BootContext);
  const signature = signatureOf(value);
  if (!signature) return null;
  const name = signerName(signature.signer, currentUser ?? (boot?.user.id ? { id: boot.user.id, name: boot.user.name } : null));
  const time = signature.signed_at && dayjs(signature.signed_at).isValid() ? dayjs(signature.signed_at).format("YYYY-MM-DD HH:mm") : "";
  return (
    <div className="qb-fr-signature-view" id={id}>
      <img
        className="qb-fr-signature-image"
        src={fileUrl(signature.file_id)}
        alt={name ? t("signature.image", { name }) : t("signature.signed")}
      />
      <span className="qb-fr-signature-meta" data-testid="signature-meta">
        {name ? t("signature.signedBy", { name, time }) : time ? t("signature.signedAt", { time }) : t("signature.signed")}
      </span>
    </div>
  );
}
