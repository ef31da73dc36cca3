"""Writes of uploaded files: ``file_upload`` is the only way a file enters the platform."""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from platform_core.audit.services import RequestMeta, audit_record
from runtime.files import sniffing
from runtime.files.exceptions import FileEmpty, FileMissing, FileTooLarge, FileTypeNotAllowed
from runtime.files.exif import extract_exif
from runtime.files.models import FilePurpose, InstanceFile, StoredFile, new_file_id

logger = logging.getLogger("qiaoban.files")

DEFAULT_MAX_SIZE = 20 * 1024 * 1024
DEFAULT_ORPHAN_DAYS = 7


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


# --- links from requests, and uploads nobody used ---------------------------------------------

def file_links_add(instance_id: int, file_ids: Iterable[str]) -> None:
    """Record that a request's data refers to these files (one INSERT; existing links are kept)."""
    rows = [InstanceFile(instance_id=instance_id, file_id=file_id[:64]) for file_id in sorted(set(file_ids))]
    if rows:
        InstanceFile.objects.bulk_create(rows, ignore_conflicts=True)


def orphan_age() -> timedelta:
    """How old an upload no request or draft refers to must be before it is deleted
    (``QIAOBAN_FILE_ORPHAN_DAYS``, default 7: a form left open over a long weekend keeps its photos)."""
    return timedelta(days=float(getattr(settings, "QIAOBAN_FILE_ORPHAN_DAYS", DEFAULT_ORPHAN_DAYS)))


@dataclass
class PurgeCounts:
    examined: int = 0
    deleted: int = 0
    kept_in_drafts: int = 0


def files_purge_orphans(*, now: datetime | None = None, limit: int = 200) -> PurgeCounts:
    """Delete uploads older than ``orphan_age()`` that no request ever referred to and no draft holds.

    Uploads happen before the form is sent (progress bars, photos from the phone), so a form
    abandoned — or a file removed before sending — leaves an upload behind; this job takes
    them away, bytes and row. A file that was ever part of a request is never removed here.
    Each deletion is its own transaction; the bytes go after the row is gone.
    """
    from runtime.drafts.models import RequestDraft
    from runtime.files.selectors import file_ids_in

    now = now or timezone.now()
    linked = InstanceFile.objects.values("file_id")
    candidates = list(
        StoredFile.objects.filter(created_at__lt=now - orphan_age()).exclude(file_id__in=linked)
        .order_by("id")[:limit]
    )
    counts = PurgeCounts(examined=len(candidates))
    if not candidates:
        return counts
    in_drafts: set[str] = set()
    drafts = RequestDraft.objects.annotate(text=Cast("data", output_field=TextField())).filter(
        text__contains="file_id").values_list("data", flat=True)
    for data in drafts.iterator(chunk_size=200):
        in_drafts.update(file_ids_in(data))
    for stored in candidates:
        if stored.file_id in in_drafts:
            counts.kept_in_drafts += 1
            continue
        with transaction.atomic():
            # Linked meanwhile (a request sent right now)? Then it stays.
            if InstanceFile.objects.filter(file_id=stored.file_id).exists():
                continue
            deleted, _ = StoredFile.objects.filter(pk=stored.pk).delete()
        if deleted:
            try:
                default_storage.delete(stored.storage_path)
            except OSError:
                logger.warning("the bytes of purged upload %s could not be deleted", stored.file_id)
            counts.deleted += 1
    return counts
