"""Uploaded files: the bytes live in Django's default storage, the facts about them here."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_file_id() -> str:
    """A random, unguessable id (32 hex characters; fits the forms' file-id limit of 64)."""
    return uuid.uuid4().hex


class FilePurpose(models.TextChoices):
    ATTACHMENT = "attachment", _("Attachment")
    IMAGE = "image", _("Image")
    SIGNATURE = "signature", _("Signature")


class StoredFile(models.Model):
    """One uploaded file. Never changed after upload; form data refers to it by ``file_id``."""

    file_id = models.CharField(max_length=64, unique=True, default=new_file_id, editable=False)
    name = models.CharField(max_length=255, help_text=_("The name the file had on the uploader's device."))
    content_type = models.CharField(max_length=127, help_text=_("Decided by looking at the content."))
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, choices=FilePurpose.choices, default=FilePurpose.ATTACHMENT)
    storage_path = models.CharField(max_length=500, help_text=_("The name in the default storage."))
    exif = models.JSONField(default=dict, blank=True,
                            help_text=_("Of photos: taken_at, latitude, longitude, make, model (when present)."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="uploaded_files")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return f"{self.file_id} {self.name}"

    @property
    def is_image(self) -> bool:
        """Shown inline by the download (images only; everything else is an attachment)."""
        return self.content_type.startswith("image/")


class InstanceFile(models.Model):
    """A request's form data refers to this uploaded file (written whenever a step changes data with files).

    Links are added, never removed when a later step drops the file: the download check reads
    the request's current visible data anyway, and a file once part of a request stays kept
    (the orphan purge only removes uploads no request and no draft ever referred to).
    """

    instance = models.ForeignKey("instances.Instance", on_delete=models.CASCADE, related_name="file_links")
    file_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file of a request")
        verbose_name_plural = _("files of requests")
        constraints = [models.UniqueConstraint(fields=["instance", "file_id"], name="instance_file_once")]
        indexes = [models.Index(fields=["file_id"], name="instance_file_by_file")]

    def __str__(self) -> str:
        return f"{self.instance_id}:{self.file_id}"
