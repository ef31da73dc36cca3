"""Audit log API: list, export and chain check; all need ``audit.read``."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.audit import exporting, selectors
from platform_core.audit.api import serializers as s
from platform_core.audit.models import AuditEvent
from platform_core.audit.services import RequestMeta, audit_record
from platform_core.org.permissions import AUDIT_READ, has_permission


class CanReadAudit(permissions.BasePermission):
    """Signed in (else 401) and holding ``audit.read`` (else 403)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and has_permission(request.user, AUDIT_READ))


FILTER_PARAMETERS = [
    OpenApiParameter("target_type", str, description="Events about this kind of object, e.g. user, app, instance"),
    OpenApiParameter("target_id", str, description="Events about this object (with target_type: one record's log)"),
    OpenApiParameter("actor", int, description="Events by this user id"),
    OpenApiParameter("action", str, description="Events of this action, e.g. org.user_update"),
    OpenApiParameter("from", str, description="From this date (YYYY-MM-DD, server time zone) or ISO date-time"),
    OpenApiParameter("to", str, description="Up to this date (inclusive) or ISO date-time (exclusive)"),
]


class JSONErrorsNegotiation(BaseContentNegotiation):
    """The export's ``?format=`` names the file type, not a DRF renderer: errors are JSON."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        renderer = JSONRenderer()
        return renderer, renderer.media_type


class AuditEventViewSet(viewsets.GenericViewSet):
    """The hash-chained audit log, newest first; per record with ``target_type`` + ``target_id``."""

    queryset = AuditEvent.objects.none()
    serializer_class = s.AuditEventSerializer
    permission_classes = [CanReadAudit]
    filter_backends: list[Any] = []

    @extend_schema(parameters=FILTER_PARAMETERS, responses=s.AuditEventSerializer(many=True))
    def list(self, request: Request) -> Response:
        qs = selectors.audit_event_list(request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.AuditEventSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("format", str, enum=sorted(exporting.FORMATS), default="xlsx",
                             description="xlsx (Excel) or csv (UTF-8 with BOM)"),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV file"),
            (200, exporting.FORMATS["xlsx"][0]): OpenApiResponse(OpenApiTypes.BINARY, description="Excel file"),
        },
    )
    @action(detail=False, methods=["get"], content_negotiation_class=JSONErrorsNegotiation, pagination_class=None)
    def export(self, request: Request) -> HttpResponse:
        """The filtered events as a file (at most 50,000; more is refused, narrow the filters)."""
        kind = request.query_params.get("format") or "xlsx"
        if kind not in exporting.FORMATS:
            raise serializers.ValidationError({"format": [gettext("Use xlsx or csv.")]})
        qs = exporting.checked(selectors.audit_event_list(request.query_params))
        events = qs.iterator(chunk_size=2000)
        if kind == "csv":
            body = exporting.to_csv(events)
        else:
            body = exporting.to_xlsx(events, title=str(AuditEvent._meta.verbose_name_plural))
        # Reading the log out of the system is itself recorded.
        filters = {k: request.query_params[k] for k in selectors.FILTERS if request.query_params.get(k)}
        audit_record(actor=request.user, action="audit.export", target_type="audit_log", target_id="-",
                     after={"format": kind, "filters": filters}, meta=RequestMeta.from_request(request))
        content_type, extension = exporting.FORMATS[kind]
        response = HttpResponse(body, content_type=content_type)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.{extension}"'
        response["Cache-Control"] = "no-store"
        return response


class AuditVerifyView(APIView):
    """Recompute the hash chain: is the log intact, and where is it first broken?"""

    permission_classes = [CanReadAudit]

    @extend_schema(responses=s.AuditVerifySerializer)
    def get(self, request: Request) -> Response:
        return Response(s.AuditVerifySerializer(selectors.audit_chain_status()).data)
