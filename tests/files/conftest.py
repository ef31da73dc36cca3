"""Fixtures of the file tests: media in a temporary folder, sample files built in memory."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from PIL import Image

# 上海 人民广场: 31°14'2.4" N, 121°28'30" E
LAT_DMS, LNG_DMS = (31.0, 14.0, 2.4), (121.0, 28.0, 30.0)


@pytest.fixture(autouse=True)
def media_root(tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg_with_exif(size: tuple[int, int] = (32, 24)) -> bytes:
    """A photo with camera, DateTimeOriginal (+08:00) and GPS position."""
    exif = Image.Exif()
    exif[271] = "Apple"
    exif[272] = "iPhone 15"
    details = exif.get_ifd(0x8769)
    details[36867] = "2026:03:01 09:30:00"
    details[36881] = "+08:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", LAT_DMS, "E", LNG_DMS
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (40, 20), (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload_file(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def upload(api_as: Any) -> Any:
    """``upload(user, name, content, purpose=None)``: POST /api/v1/files/ as ``user``; returns the response."""

    def run(user: Any, name: str, content: bytes, purpose: str | None = None,
            content_type: str = "application/octet-stream") -> Any:
        client = api_as(user)
        body: dict[str, Any] = {"file": upload_file(name, content, content_type)}
        if purpose:
            body["purpose"] = purpose
        return client.post("/api/v1/files/", body, format="multipart")

    return run
