"""Request and response shapes of the files API (translation only: no business rules)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from runtime.files.models import FilePurpose, StoredFile


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False,
                                 help_text=_("The file (multipart/form-data)."))
    purpose = serializers.ChoiceField(choices=FilePurpose.choices, default=FilePurpose.ATTACHMENT, help_text=_(
        "attachment (images, PDF, Office, text), image (JPEG, PNG, WebP, GIF) or signature (PNG)."))


class ExifSerializer(serializers.Serializer):
    taken_at = serializers.CharField(required=False, help_text=_("RFC 3339 with offset (DateTimeOriginal)."))
    latitude = serializers.FloatField(required=False)
    longitude = serializers.FloatField(required=False)
    make = serializers.CharField(required=False)
    model = serializers.CharField(required=False)


class StoredFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    exif = ExifSerializer(help_text=_("Photos only; just the facts the photo carries."))

    class Meta:
        model = StoredFile
        fields = ("file_id", "name", "size", "content_type", "url", "exif")

    def get_url(self, obj: StoredFile) -> str:
        """Where the file is downloaded (the same permission check applies there)."""
        return reverse("api:file-download", kwargs={"file_id": obj.file_id})
