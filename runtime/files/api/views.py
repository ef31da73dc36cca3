"""Files API: upload (multipart) and download (streamed, checked per viewer)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.audit.services import RequestMeta
from runtime.files import selectors, services
from runtime.files.api import serializers as s
from runtime.files.exceptions import FileTooLarge, StoredFileDoesNotExist


class FileUploadView(APIView):
    """Upload a file for an attachment, image or signature field; form data then refers to its ``file_id``."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.UploadSerializer},
        responses={
            201: s.StoredFileSerializer,
            400: OpenApiResponse(description="file_required, file_empty, file_type_not_allowed, validation_failed"),
            413: OpenApiResponse(description="file_too_large, request_too_large"),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = s.UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            stored = services.file_upload(actor=request.user, upload=data.get("file"), purpose=data["purpose"],
                                          meta=RequestMeta.from_request(request))
        except FileTooLarge as exc:
            # The one upload error with its own status: 413, like request_too_large.
            return Response({"error": exc.as_dict(translate=gettext)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        return Response(s.StoredFileSerializer(stored).data, status=status.HTTP_201_CREATED)


class FileDownloadView(APIView):
    """Download a file: its uploader, or whoever may see it in a visible field of a request they may see."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                   404: OpenApiResponse(description="file_not_found")},
    )
    def get(self, request: Request, file_id: str) -> FileResponse:
        stored = selectors.file_get_for(request.user, file_id)
        try:
            handle = default_storage.open(stored.storage_path, "rb")
        except (FileNotFoundError, OSError):
            raise StoredFileDoesNotExist() from None
        # Only images are shown inline; everything else downloads. nosniff and a sandboxing CSP
        # keep a browser from running anything that slipped through as a page.
        response = FileResponse(handle, as_attachment=not stored.is_image, filename=stored.name,
                                content_type=stored.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response
