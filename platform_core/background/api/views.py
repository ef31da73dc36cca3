"""Background jobs API: a user's own exports and imports, their progress, their files."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.audit.services import RequestMeta
from platform_core.background import selectors, services
from platform_core.background.api import serializers as s
from platform_core.background.exceptions import JobOutputMissing
from platform_core.background.models import BackgroundJob, JobStatus


class JobViewSet(viewsets.GenericViewSet):
    """The signed-in user's background jobs, newest first; other users' jobs are not found (404)."""

    queryset = BackgroundJob.objects.none()
    serializer_class = s.JobSerializer
    filter_backends: list[Any] = []
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser]

    def get_object(self) -> BackgroundJob:
        return selectors.job_get_for(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=s.JobSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.job_list_for(request.user))
        return self.get_paginated_response(s.JobSerializer(page, many=True).data)

    @extend_schema(
        request={"application/json": s.JobCreateSerializer, "multipart/form-data": s.JobCreateSerializer},
        responses={202: s.JobSerializer},
        description="Kinds: audit_export (params: format xlsx|csv and the filters of the audit export) and "
                    "app_import (a multipart file: an exported app).",
    )
    def create(self, request: Request) -> Response:
        """Queue an export or import; follow it here or by ``job.updated`` websocket messages."""
        body = s.JobCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.job_create(actor=request.user, kind=body.validated_data["kind"],
                                  params=body.validated_data.get("params") or {},
                                  upload=body.validated_data.get("file"), meta=RequestMeta.from_request(request))
        return Response(s.JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=s.JobSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(s.JobSerializer(self.get_object()).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                                  description="The job's file")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The file a succeeded job wrote (an export)."""
        job = self.get_object()
        if job.status != JobStatus.SUCCEEDED or not job.output_file:
            raise JobOutputMissing()
        response = FileResponse(job.output_file.open("rb"), as_attachment=True, filename=job.output_name or None,
                                content_type=job.output_content_type or "application/octet-stream")
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses=s.JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a queued or running job (a running one stops at its next progress point)."""
        job = services.job_cancel(actor=request.user, job=self.get_object(), meta=RequestMeta.from_request(request))
        return Response(s.JobSerializer(job).data)
