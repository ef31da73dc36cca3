"""Apps API views: parse, call one service or selector, serialise.

Permissions are checked per action before any lookup (so an employee asking for the
draft of an app gets 403 whether or not the key exists), and again in the services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.audit.api.views import JSONErrorsNegotiation
from platform_core.audit.services import RequestMeta
from platform_core.org.permissions import APPS_DESIGN, APPS_PUBLISH, has_permission
from runtime.definitions import selectors, services
from runtime.definitions.api import serializers as s
from runtime.definitions.documents import MAX_DOCUMENT_BYTES
from runtime.definitions.exceptions import ImportInvalid, RequestTooLarge
from runtime.definitions.models import App
from runtime.definitions.portable import MAX_IMPORT_BYTES
from runtime.definitions.verification import has_errors

DESIGNER = "designer"  # apps.design or apps.publish
# What each action needs beyond being signed in; None: any signed-in user (the view narrows further).
ACTION_PERMISSIONS: dict[str, str | None] = {
    "list": None,
    "retrieve": None,
    "published": None,
    "route_preview": None,
    "create": APPS_DESIGN,
    "partial_update": APPS_DESIGN,
    "draft": APPS_DESIGN,
    "verify": APPS_DESIGN,
    "export": APPS_DESIGN,
    "bpmn": APPS_DESIGN,
    "import_app": APPS_DESIGN,
    "copy": APPS_DESIGN,
    "archive": APPS_DESIGN,
    "unarchive": APPS_DESIGN,
    "simulate": APPS_DESIGN,
    "simulate_batch": APPS_DESIGN,
    "publish": APPS_PUBLISH,
    "rollback": APPS_PUBLISH,
    "versions": DESIGNER,
    "version_detail": DESIGNER,
    "diff": DESIGNER,
}
SMALL_BODY = 1_000_000  # simulate, publish, metadata
DRAFT_BODY = 2 * MAX_DOCUMENT_BYTES + 65_536
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="Version number (1, 2, ...)")
KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description="The app's key")


class AppPermission(permissions.BasePermission):
    """Signed in, plus the permission code the action needs (see ACTION_PERMISSIONS)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        needed = ACTION_PERMISSIONS.get(getattr(view, "action", None) or "", APPS_DESIGN)
        if needed is None:
            return True
        if needed == DESIGNER:
            return selectors.is_designer(user)
        return has_permission(user, needed)


def _meta(request: Request) -> RequestMeta:
    return RequestMeta.from_request(request)


def _limit_body(request: Request, limit: int, error: Any = None) -> None:
    # DRF's parsers read the stream without Django's DATA_UPLOAD_MAX_MEMORY_SIZE check,
    # so refuse big bodies before anything parses them.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise error or RequestTooLarge(params={"limit": limit})


def _version_param(request: Request, name: str, default: str) -> str | int:
    try:
        return s.parse_version(request.query_params.get(name, default))
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from None


def _verify_body(issues: list[dict[str, Any]]) -> dict[str, Any]:
    errors = sum(1 for i in issues if i["severity"] == "error")
    return {"ok": not has_errors(issues), "errors": errors, "warnings": len(issues) - errors, "issues": issues}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("startable", bool, description="Only apps the caller may start (designers see all "
                                                             "apps otherwise)."),
            OpenApiParameter("archived", bool, description="Designers: filter by the archived flag."),
            OpenApiParameter("category", str),
        ],
        responses=s.AppSerializer(many=True),
        description="Designers see every app; everyone else the published, non-archived apps they may start "
                    "(AppPublic shape).",
    ),
    retrieve=extend_schema(responses=s.AppSerializer, parameters=[KEY]),
)
class AppViewSet(viewsets.GenericViewSet):
    """Apps: metadata, the draft, verification, versions, export/import, simulation."""

    permission_classes = [AppPermission]
    serializer_class = s.AppSerializer
    queryset = App.objects.all()
    lookup_field = "key"
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    search_fields = ["key", "name", "name_en", "category"]
    ordering_fields = ["name", "key", "updated_at", "created_at"]
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    parser_classes = [parsers.JSONParser]

    def _designer_view(self) -> bool:
        startable = self.request.query_params.get("startable") in ("1", "true")
        return selectors.is_designer(self.request.user) and not startable

    def get_queryset(self) -> QuerySet[App]:
        qs = selectors.app_list_for(self.request.user, startable_only=not self._designer_view())
        params = self.request.query_params
        if self._designer_view() and params.get("archived") in ("true", "false", "1", "0"):
            qs = qs.filter(is_archived=params["archived"] in ("true", "1"))
        if params.get("category"):
            qs = qs.filter(category=params["category"])
        return qs.order_by("name", "id")

    def get_object(self) -> App:
        return selectors.app_get(self.kwargs["key"])

    def list(self, request: Request) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        serializer_class = s.AppSerializer if self._designer_view() else s.AppPublicSerializer
        page = self.paginate_queryset(qs)
        if page is not None:
            return self.get_paginated_response(serializer_class(page, many=True).data)
        return Response(serializer_class(qs, many=True).data)

    def retrieve(self, request: Request, key: str | None = None) -> Response:
        if selectors.is_designer(request.user):
            return Response(s.AppSerializer(self.get_object()).data)
        return Response(s.AppPublicSerializer(selectors.app_get_startable(request.user, str(key))).data)

    @extend_schema(request=s.AppCreateSerializer, responses={201: s.AppSerializer})
    def create(self, request: Request) -> Response:
        _limit_body(request, SMALL_BODY)
        body = s.AppCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        app = services.app_create(actor=request.user, meta=_meta(request), **body.validated_data)
        return Response(s.AppSerializer(selectors.app_get(app.key)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AppUpdateSerializer, responses=s.AppSerializer, parameters=[KEY])
    def partial_update(self, request: Request, key: str | None = None) -> Response:
        _limit_body(request, SMALL_BODY)
        app = self.get_object()
        body = s.AppUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.app_update(actor=request.user, app=app, meta=_meta(request), **body.validated_data)
        return Response(s.AppSerializer(selectors.app_get(app.key)).data)

    # -- the draft ----------------------------------------------------------------------------
    @extend_schema(methods=["GET"], responses=s.DraftSerializer, parameters=[KEY])
    @extend_schema(methods=["PUT"], request=s.DraftWriteSerializer,
                   responses={200: s.DraftSerializer, 409: OpenApiResponse(description="draft_conflict")},
                   parameters=[KEY])
    @action(detail=True, methods=["get", "put"])
    def draft(self, request: Request, key: str | None = None) -> Response:
        """The working copy; saving needs the revision the edit started from (409 when someone saved since)."""
        app = self.get_object()
        if request.method == "PUT":
            _limit_body(request, DRAFT_BODY)
            body = s.DraftWriteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.draft_save(actor=request.user, app=app, meta=_meta(request), **body.validated_data)
        return Response(s.DraftSerializer(selectors.draft_get(app)).data)

    @extend_schema(request=None, responses=s.VerifyResultSerializer, parameters=[KEY])
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, key: str | None = None) -> Response:
        """Check the draft as publishing would; issues point at fields, nodes and edges."""
        return Response(_verify_body(services.app_verify(actor=request.user, app=self.get_object())))

    @extend_schema(
        request=s.PublishSerializer,
        responses={201: s.VersionSerializer, 400: OpenApiResponse(description="publish_refused: details = issues")},
        parameters=[KEY],
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, key: str | None = None) -> Response:
        """Freeze the draft as the next version (refused with the issues when verification finds errors)."""
        _limit_body(request, SMALL_BODY)
        body = s.PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.app_publish(actor=request.user, app=self.get_object(), meta=_meta(request),
                                       **body.validated_data)
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    # -- versions -------------------------------------------------------------------------------
    @extend_schema(responses=s.VersionBriefSerializer(many=True), parameters=[KEY])
    @action(detail=True, methods=["get"], filter_backends=[])
    def versions(self, request: Request, key: str | None = None) -> Response:
        """Published versions, newest first."""
        qs = selectors.version_list(self.get_object())
        page = self.paginate_queryset(qs)
        if page is not None:
            return self.get_paginated_response(s.VersionBriefSerializer(page, many=True).data)
        return Response(s.VersionBriefSerializer(qs, many=True).data)

    @extend_schema(responses=s.VersionSerializer, parameters=[KEY, NUMBER])
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)")
    def version_detail(self, request: Request, key: str | None = None, number: str | None = None) -> Response:
        """One version with its documents, pinned dictionary snapshot and publish-time warnings."""
        return Response(s.VersionSerializer(selectors.version_get(self.get_object(), str(number))).data)

    @extend_schema(
        parameters=[
            KEY,
            OpenApiParameter("a", str, description="“draft”, “published” or a number (default: published)"),
            OpenApiParameter("b", str, description="“draft”, “published” or a number (default: draft)"),
        ],
        responses=s.DiffSerializer,
    )
    @action(detail=True, methods=["get"], url_path="versions/diff")
    def diff(self, request: Request, key: str | None = None) -> Response:
        """Fields, nodes and edges added, removed and changed from a to b."""
        a = _version_param(request, "a", "published")
        b = _version_param(request, "b", "draft")
        return Response(services.version_diff(actor=request.user, app=self.get_object(), a=a, b=b))

    @extend_schema(request=s.RollbackSerializer, responses={201: s.VersionSerializer}, parameters=[KEY, NUMBER])
    @action(detail=True, methods=["post"], url_path=r"versions/(?P<number>[0-9]+)/rollback")
    def rollback(self, request: Request, key: str | None = None, number: str | None = None) -> Response:
        """Publish a copy of version n as a new version (re-verified today) and reset the draft to it."""
        _limit_body(request, SMALL_BODY)
        body = s.RollbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.version_rollback(actor=request.user, app=self.get_object(), number=int(str(number)),
                                            meta=_meta(request), **body.validated_data)
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    # -- copy, archive -------------------------------------------------------------------------
    @extend_schema(request=s.AppCopySerializer, responses={201: s.AppSerializer}, parameters=[KEY])
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, key: str | None = None) -> Response:
        """A new app with this app's metadata and draft (no versions)."""
        _limit_body(request, SMALL_BODY)
        body = s.AppCopySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        app = services.app_copy(actor=request.user, app=self.get_object(), meta=_meta(request),
                                **body.validated_data)
        return Response(s.AppSerializer(selectors.app_get(app.key)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.AppSerializer, parameters=[KEY])
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, key: str | None = None) -> Response:
        """Archive: nobody can start the app any more."""
        app = services.app_archive(actor=request.user, app=self.get_object(), meta=_meta(request))
        return Response(s.AppSerializer(selectors.app_get(app.key)).data)

    @extend_schema(request=None, responses=s.AppSerializer, parameters=[KEY])
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, key: str | None = None) -> Response:
        """Restore an archived app."""
        app = services.app_unarchive(actor=request.user, app=self.get_object(), meta=_meta(request))
        return Response(s.AppSerializer(selectors.app_get(app.key)).data)

    # -- export / import -------------------------------------------------------------------------
    @extend_schema(
        parameters=[KEY, OpenApiParameter("version", str, description="“draft” (default), “published” or a "
                                                                       "number")],
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, key: str | None = None) -> Response:
        """Download the app as one portable JSON file."""
        app = self.get_object()
        which = _version_param(request, "version", "draft")
        document = services.app_export(actor=request.user, app=app, version=which, meta=_meta(request))
        suffix = "draft" if document["source"]["version"] is None else f"v{document['source']['version']}"
        filename = f"{app.key}-{suffix}.qiaoban.json"
        return Response(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @extend_schema(
        parameters=[
            KEY,
            OpenApiParameter("version", str, description="“draft” (default), “published” or a number"),
            OpenApiParameter("language", str, enum=["zh", "en"],
                             description="Names and descriptions in the file (default: the request's language)"),
        ],
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY, description="BPMN 2.0 XML file"),
            400: OpenApiResponse(description="bpmn_export_invalid: the flow cannot be read (details = issues)"),
            404: OpenApiResponse(description="app_not_found, version_not_found, app_not_published"),
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=JSONErrorsNegotiation)
    def bpmn(self, request: Request, key: str | None = None) -> HttpResponse:
        """Download the flow as a BPMN 2.0 file with its diagram (export only; approval details in documentation)."""
        app = self.get_object()
        which = _version_param(request, "version", "draft")
        language = request.query_params.get("language") or get_language() or "zh"
        xml, label = services.app_bpmn(actor=request.user, app=app, version=which, language=language,
                                       meta=_meta(request))
        suffix = "draft" if label == "draft" else f"v{label}"
        response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{app.key}-{suffix}.bpmn"'
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": s.ImportUploadSerializer},
        responses={201: s.ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import",
            parser_classes=[parsers.JSONParser, parsers.MultiPartParser])
    def import_app(self, request: Request) -> Response:
        """Create a new app from an exported file (JSON body, or a multipart upload in “file”)."""
        too_large = ImportInvalid(ImportInvalid.TOO_LARGE, params={
            "size": request.META.get("CONTENT_LENGTH"), "limit": MAX_IMPORT_BYTES})
        _limit_body(request, MAX_IMPORT_BYTES + 65_536, too_large)
        raw: Any
        if request.content_type.startswith("multipart/"):
            upload = request.FILES.get("file")
            if upload is None:
                raise serializers.ValidationError({"file": [serializers.Field.default_error_messages["required"]]})
            if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
                raise ImportInvalid(ImportInvalid.TOO_LARGE, params={"size": upload.size, "limit": MAX_IMPORT_BYTES})
            raw = upload.read(MAX_IMPORT_BYTES + 1)
        else:
            raw = request.data
        app, report = services.app_import(actor=request.user, file=raw, meta=_meta(request))
        return Response({"app": s.AppSerializer(selectors.app_get(app.key)).data, "report": report},
                        status=status.HTTP_201_CREATED)

    # -- end users ------------------------------------------------------------------------------
    @extend_schema(responses=s.PublishedFormSerializer, parameters=[KEY])
    @action(detail=True, methods=["get"])
    def published(self, request: Request, key: str | None = None) -> Response:
        """What filling in the app needs: the published form, its dictionary snapshot, start-node rights."""
        published = selectors.published_form_for(request.user, str(key))
        return Response(published | {"app": s.AppPublicSerializer(published["app"]).data})

    @extend_schema(request=s.RoutePreviewRequestSerializer, responses=s.RoutePreviewSerializer, parameters=[KEY])
    @action(detail=True, methods=["post"], url_path="route-preview")
    def route_preview(self, request: Request, key: str | None = None) -> Response:
        """Who would handle this request if the caller submitted it now (apps the caller may start)."""
        _limit_body(request, SMALL_BODY)
        body = s.RoutePreviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(services.app_route_preview(actor=request.user, key=str(key), **body.validated_data))

    # -- simulation -----------------------------------------------------------------------------
    @extend_schema(request=s.SimulateSerializer, responses=s.SimulationSerializer, parameters=[KEY])
    @action(detail=True, methods=["post"])
    def simulate(self, request: Request, key: str | None = None) -> Response:
        """Who would approve this request, and why: the path, approvers with names, conditions, timers."""
        _limit_body(request, SMALL_BODY)
        body = s.SimulateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        now = data.pop("now")
        result = services.app_simulate(
            actor=request.user, app=self.get_object(), now=now.isoformat() if now else None, **data
        )
        return Response(result)

    @extend_schema(request=s.SimulateBatchSerializer, responses=s.SimulationBatchSerializer, parameters=[KEY])
    @action(detail=True, methods=["post"], url_path="simulate-batch")
    def simulate_batch(self, request: Request, key: str | None = None) -> Response:
        """Run samples through the draft and the published version and show where they differ."""
        _limit_body(request, SMALL_BODY)
        body = s.SimulateBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        now = body.validated_data.get("now")
        result = services.app_simulate_batch(
            actor=request.user, app=self.get_object(), samples=body.validated_data["samples"],
            now=now.isoformat() if now else None,
        )
        return Response(result)


class FieldTypeListView(APIView):
    """The form designer's palette: every field type with its default property and capabilities."""

    @extend_schema(responses=s.FieldTypeSerializer(many=True))
    def get(self, request: Request) -> Response:
        from runtime.forms import palette

        return Response(s.FieldTypeSerializer(palette(), many=True).data)
