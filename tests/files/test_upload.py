"""POST /api/v1/files/: types decided from the bytes, size limit, EXIF of photos, audit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.files.conftest import docx, jpeg_with_exif, pdf, png, upload_file

pytestmark = pytest.mark.django_db
SHAPE = {"file_id", "name", "size", "content_type", "url", "exif"}


def test_jpeg_with_exif_gps(people: Any, upload: Any) -> None:
    from platform_core.audit.models import AuditEvent
    from runtime.files.models import StoredFile

    content = jpeg_with_exif()
    res = upload(people.requester, "现场照片.jpg", content, purpose="image")
    assert res.status_code == 201, res.json()
    body = res.json()
    assert set(body) == SHAPE
    assert body["content_type"] == "image/jpeg" and body["size"] == len(content) and body["name"] == "现场照片.jpg"
    assert body["url"] == f"/api/v1/files/{body['file_id']}/"
    exif = body["exif"]
    assert exif["taken_at"] == "2026-03-01T09:30:00+08:00"
    assert exif["latitude"] == pytest.approx(31.234, abs=1e-6)
    assert exif["longitude"] == pytest.approx(121.475, abs=1e-6)
    assert exif["make"] == "Apple" and exif["model"] == "iPhone 15"
    stored = StoredFile.objects.get(file_id=body["file_id"])
    assert stored.uploaded_by == people.requester and len(stored.sha256) == 64
    with stored_open(stored) as handle:
        assert handle.read() == content  # the original, nothing stripped
    event = AuditEvent.objects.get(action="file.upload", target_id=body["file_id"])
    assert event.actor_id == people.requester.pk and event.after["sha256"] == stored.sha256


def stored_open(stored: Any) -> Any:
    from django.core.files.storage import default_storage

    return default_storage.open(stored.storage_path, "rb")


@pytest.mark.parametrize(("name", "content", "purpose", "content_type"), [
    ("签名.png", png(), "signature", "image/png"),
    ("scan.png", png(), None, "image/png"),
    ("合同.pdf", pdf(), None, "application/pdf"),
    ("报告.docx", docx(), None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("清单.csv", "名称,数量\n笔记本,2\n".encode(), None, "text/csv"),
    ("说明.txt", "出差说明".encode("gb18030"), "attachment", "text/plain"),
])
def test_allowed_types(people: Any, upload: Any, name: str, content: bytes, purpose: str | None,
                       content_type: str) -> None:
    res = upload(people.requester, name, content, purpose=purpose)
    assert res.status_code == 201, res.json()
    assert res.json()["content_type"] == content_type and res.json()["exif"] == {}


@pytest.mark.parametrize(("name", "content", "purpose"), [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', None),
    ("page.html", b"<!DOCTYPE html><html><body>hi</body></html>", None),
    ("notes.txt", b"hello\n<script>alert(document.cookie)</script>", None),
    ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, None),  # an .exe named .jpg
    ("run.sh", b"#!/bin/sh\nrm -rf /\n", None),
    ("photo.jpg", pdf(), "image"),  # a PDF is no image
    ("sign.jpg", jpeg_with_exif(), "signature"),  # signatures are PNG only
    ("macro.docm", b"", None),  # filled below
])
def test_refused_types(people: Any, upload: Any, name: str, content: bytes, purpose: str | None) -> None:
    if name == "macro.docm":
        import io
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
            archive.writestr("word/vbaProject.bin", "macros")
        content = out.getvalue()
    res = upload(people.requester, name, content, purpose=purpose, content_type="image/jpeg")
    assert res.status_code == 400, res.json()
    assert res.json()["error"]["code"] == "file_type_not_allowed"
    assert res.json()["error"]["message"]


def test_decompression_bomb_refused(people: Any, upload: Any, monkeypatch: Any) -> None:
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    res = upload(people.requester, "big.png", png(), purpose="image")
    assert res.status_code == 400 and res.json()["error"]["code"] == "file_type_not_allowed"


def test_too_large(people: Any, upload: Any, settings: Any) -> None:
    settings.QIAOBAN_FILE_MAX_SIZE = 1000
    res = upload(people.requester, "big.pdf", pdf() + b"0" * 2000)
    assert res.status_code == 413
    assert res.json()["error"]["code"] == "file_too_large"
    assert res.json()["error"]["details"]["limit_bytes"] == 1000


def test_upload_above_request_body_limit_reaches_the_file_limit(people: Any, upload: Any, settings: Any) -> None:
    """The route's body limit follows the file limit, not DATA_UPLOAD_MAX_MEMORY_SIZE."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    res = upload(people.requester, "ok.pdf", pdf() + b"0" * 5000)
    assert res.status_code == 201, res.json()


def test_missing_file_and_bad_purpose(people: Any, api_as: Any) -> None:
    client = api_as(people.requester)
    res = client.post("/api/v1/files/", {}, format="multipart")
    assert res.status_code == 400 and res.json()["error"]["code"] == "file_required"
    res = client.post("/api/v1/files/", {"file": upload_file("a.pdf", pdf()), "purpose": "avatar"},
                      format="multipart")
    assert res.status_code == 400 and res.json()["error"]["code"] == "validation_failed"


def test_anonymous_refused(api: Any, db: Any) -> None:
    res = api.post("/api/v1/files/", {"file": upload_file("a.pdf", pdf())}, format="multipart")
    assert res.status_code == 401 and res.json()["error"]["code"] == "not_authenticated"
    assert api.get("/api/v1/files/0123456789abcdef/").status_code == 401


def test_zh_message(people: Any, api_as: Any) -> None:
    client = api_as(people.requester)
    res = client.post("/api/v1/files/", {"file": upload_file("x.svg", b"<svg/>")}, format="multipart",
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert res.status_code == 400 and res.json()["error"]["code"] == "file_type_not_allowed"
