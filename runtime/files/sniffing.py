"""What an uploaded file really is, decided from its bytes (never from its name or Content-Type).

Allowed: JPEG, PNG, WebP and GIF images (opened and verified by Pillow, decompression bombs
refused), PDF, Office Open XML (docx, xlsx, pptx; macro-enabled ones refused) and plain
text / CSV. Everything else is refused, in particular executables and anything a browser
could run as a page: HTML, SVG, XML (stored XSS).
"""

from __future__ import annotations

import codecs
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO

from PIL import Image

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
PDF = "application/pdf"
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
TEXT, CSV = "text/plain", "text/csv"
# What a browser would treat as a page or a script when it guesses (WHATWG MIME sniffing) —
# refused even inside "text" files.
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg", b"<?xml", b"<object",
           b"<embed", b"<style", b"<img", b"<meta")
_EXECUTABLE = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_HEAD = 4096


@dataclass(frozen=True)
class Sniffed:
    """The verdict: a content type (None: not allowed), its kind, and why it was refused."""

    content_type: str | None
    kind: str = ""  # "image" | "pdf" | "office" | "text" | "" (refused)
    reason: str = ""  # why it was refused (logs only; the user sees the allowed list)


def sniff(stream: IO[bytes], name: str = "") -> Sniffed:
    """Decide what ``stream`` holds; the stream is rewound afterwards."""
    try:
        stream.seek(0)
        head = stream.read(_HEAD)
        stream.seek(0)
        if not head:
            return Sniffed(None, reason="empty")
        if head.startswith(_EXECUTABLE):
            return Sniffed(None, reason="executable")
        image = _image(stream)
        if image is not None:
            return image
        stream.seek(0)
        if head.startswith(b"%PDF-"):
            return Sniffed(PDF, "pdf")
        if head.startswith(b"PK\x03\x04"):
            return _office(stream)
        return _text(head, name)
    finally:
        stream.seek(0)


def _image(stream: IO[bytes]) -> Sniffed | None:
    """An allowed image that Pillow opens and verifies; None when it is no image at all."""
    try:
        with warnings.catch_warnings():
            # Over MAX_IMAGE_PIXELS Pillow only warns (an error from twice that): refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as img:
                fmt = img.format or ""
                width, height = img.size
                limit = Image.MAX_IMAGE_PIXELS
                if limit and width * height > limit:
                    return Sniffed(None, reason="decompression_bomb")
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Sniffed(None, reason="decompression_bomb")
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a non-image or a broken one
        return None
    if fmt not in IMAGE_TYPES:
        return Sniffed(None, reason=f"image format {fmt}")
    return Sniffed(IMAGE_TYPES[fmt], "image")


def _office(stream: IO[bytes]) -> Sniffed:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return Sniffed(None, reason="broken zip")
    if "[Content_Types].xml" not in names:
        return Sniffed(None, reason="zip without [Content_Types].xml")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return Sniffed(None, reason="macros")
    for prefix, content_type in OFFICE_TYPES.items():
        if any(n.startswith(prefix) for n in names):
            return Sniffed(content_type, "office")
    return Sniffed(None, reason="zip that is no Office document")


def _text(head: bytes, name: str) -> Sniffed:
    if b"\x00" in head:
        return Sniffed(None, reason="binary")
    text = head.removeprefix(b"\xef\xbb\xbf")
    final = len(head) < _HEAD  # a longer file's head may end inside a multi-byte character
    try:
        codecs.getincrementaldecoder("utf-8")().decode(text, final=final)
    except UnicodeDecodeError:
        try:
            codecs.getincrementaldecoder("gb18030")().decode(text, final=final)
        except UnicodeDecodeError:
            return Sniffed(None, reason="not text")
    lowered = text.lstrip().lower()
    if lowered.startswith(b"<") or any(tag in lowered for tag in _MARKUP):
        return Sniffed(None, reason="markup")
    return Sniffed(CSV if name.lower().endswith(".csv") else TEXT, "text")


def allowed_summary(purpose: str) -> str:
    """The allowed kinds of a purpose, for the refusal message."""
    if purpose == "signature":
        return "PNG"
    if purpose == "image":
        return "JPEG, PNG, WebP, GIF"
    return "JPEG, PNG, WebP, GIF, PDF, Word, Excel, PowerPoint, TXT, CSV"


def allowed_for(purpose: str, verdict: Sniffed) -> bool:
    """Whether a sniffed file fits the upload's purpose."""
    if verdict.content_type is None:
        return False
    if purpose == "signature":
        return verdict.content_type == "image/png"
    if purpose == "image":
        return verdict.kind == "image"
    return True


