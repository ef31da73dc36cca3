"""Serializers of the background jobs API."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from platform_core.background.models import BackgroundJob, JobStatus


class JobErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(required=False)


class JobSerializer(serializers.ModelSerializer):
    """A job as its creator sees it; ``download_url`` once a file is ready."""

    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    error = JobErrorSerializer(allow_null=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = BackgroundJob
        fields = ["id", "kind", "status", "params", "progress_done", "progress_total", "result", "error",
                  "input_name", "output_name", "output_content_type", "download_url", "created_by", "language",
                  "created_at", "started_at", "finished_at", "attempts"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, job: BackgroundJob) -> str | None:
        if job.status != JobStatus.SUCCEEDED or not job.output_file:
            return None
        return reverse("api:job-download", kwargs={"pk": job.pk})


class JobCreateSerializer(serializers.Serializer):
    """JSON ``{"kind", "params"}``, or multipart with ``kind``, ``params`` (a JSON string) and ``file``."""

    kind = serializers.CharField(max_length=64)
    params = serializers.JSONField(required=False, default=dict)
    file = serializers.FileField(required=False, allow_empty_file=False)

    def validate_params(self, value: Any) -> dict[str, Any]:
        if isinstance(value, str):
            # A multipart form carries the params as JSON text.
            try:
                value = json.loads(value) if value.strip() else {}
            except ValueError:
                raise serializers.ValidationError(gettext("A JSON object is required.")) from None
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise serializers.ValidationError(gettext("A JSON object is required."))
        return value
