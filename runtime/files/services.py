"""Writes of uploaded files: ``file_upload`` is the only way a file enters the platform."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from platform_core.audit.services import RequestMeta, audit_record
from runtime.files import sniffing
from runtime.files.exceptions import FileEmpty, FileMissing, FileTooLarge, FileTypeNotAllowed
from runtime.files.exif import extract_exif
from runtime.files.models import FilePurpose, StoredFile, new_file_id

DEFAULT_MAX_SIZE = 20 * 1024 * 1024


def max_upload_size() -> int:
    """The largest file accepted, in bytes (``QIAOBAN_FILE_MAX_SIZE``, default 20 MB)."""
    return int(getattr(settings, "QIAOBAN_FILE_MAX_SIZE", DEFAULT_MAX_SIZE))


def clean_name(name: str) -> str:
    """The uploader's file name without folders or control characters (at most 255 characters)."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext[:20])] + ext[:20]
    return base or "file"


def file_upload(*, actor: Any, upload: Any, purpose: str = FilePurpose.ATTACHMENT,
                meta: RequestMeta | None = None) -> StoredFile:
    """Store an uploaded file after checking its size and, from its bytes, its type.

    ``upload`` is a Django ``UploadedFile``. The stored bytes are the original's; images
    additionally get their EXIF facts copied into ``exif``. The upload is audited
    (``file.upload``: name, size, type, sha256; never the content).
    """
    if upload is None:
        raise FileMissing()
    limit = max_upload_size()
    if upload.size > limit:
        raise FileTooLarge(params={"limit": limit}, details={"limit_bytes": limit, "size": upload.size})
    if upload.size == 0:
        raise FileEmpty()
    if purpose not in FilePurpose.values:
        purpose = FilePurpose.ATTACHMENT
    name = clean_name(upload.name)
    verdict = sniffing.sniff(upload, name)
    if not sniffing.allowed_for(purpose, verdict):
        allowed = sniffing.allowed_summary(purpose)
        raise FileTypeNotAllowed(params={"allowed": allowed}, details={"allowed": allowed, "purpose": purpose})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    exif = extract_exif(upload, settings.TIME_ZONE) if verdict.kind == "image" else {}
    now = timezone.now()
    file_id = new_file_id()
    # The storage name carries no part of the user's file name: no path tricks, no odd characters.
    path = default_storage.save(f"files/{now:%Y/%m}/{file_id}", upload)
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                file_id=file_id, name=name, content_type=verdict.content_type, size=upload.size,
                sha256=digest.hexdigest(), purpose=purpose, storage_path=path, exif=exif,
                uploaded_by=actor if getattr(actor, "pk", None) else None, created_at=now,
            )
            audit_record(
                actor=actor, action="file.upload", target_type="file", target_id=file_id, target_label=name,
                after={"name": name, "size": stored.size, "content_type": stored.content_type,
                       "sha256": stored.sha256, "purpose": purpose},
                meta=meta,
            )
    except Exception:
        default_storage.delete(path)  # no row, no bytes
        raise
    return stored
