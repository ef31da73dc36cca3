"""Data-dictionary API views: parse, call one service or selector, serialise.

Every signed-in user reads the dictionary (forms need the options); writes need
``dictionary.manage``. Option routes are nested under their entry's key and use the
option's code, never a database id.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.audit.services import RequestMeta
from platform_core.dictionary import selectors, services
from platform_core.dictionary.api import serializers as s
from platform_core.dictionary.models import DictionaryEntry, DictionaryOption
from platform_core.org.permissions import APPS_DESIGN, DICTIONARY_MANAGE, has_permission

TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}


class DictionaryManageOrReadOnly(permissions.BasePermission):
    """Every signed-in user reads the dictionary; writing needs ``dictionary.manage``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or has_permission(request.user, DICTIONARY_MANAGE)


def _meta(request: Request) -> RequestMeta:
    return RequestMeta.from_request(request)


def _flag(request: Request, name: str) -> bool | None:
    """A boolean query parameter: true/false/1/0, absent is None, anything else a field error."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise serializers.ValidationError({name: [gettext("Use true or false.")]})


def _nest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Serialised options (depth first) nested by parent code; rows whose parent is filtered out become roots."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for row in rows:
        node = dict(row, children=[])
        nodes[row["code"]] = node
        parent = nodes.get(row["parent"]) if row["parent"] is not None else None
        (parent["children"] if parent is not None else roots).append(node)
    return roots


ENABLED_PARAM = OpenApiParameter(
    "enabled", OpenApiTypes.BOOL,
    description="Only enabled (true) or disabled (false) options; an option under a disabled parent counts as "
                "disabled.",
)


class EntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Dictionary entries, addressed by key. Reads for every signed-in user; writes need ``dictionary.manage``."""

    permission_classes = [DictionaryManageOrReadOnly]
    serializer_class = s.DictionaryEntrySerializer
    lookup_field = "key"
    search_fields = ["key", "name", "name_en"]
    ordering_fields = ["key", "name", "updated_at"]
    ordering = ["key"]
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[DictionaryEntry]:
        return selectors.entry_list(enabled=_flag(self.request, "enabled") if self.action == "list" else None)

    @extend_schema(parameters=[OpenApiParameter("enabled", OpenApiTypes.BOOL, description="Only enabled (true) or "
                                                "disabled (false) entries")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Entries by key (paginated), each with its option count."""
        return super().list(request, *args, **kwargs)

    def _entry(self) -> DictionaryEntry:
        return selectors.entry_get(self.kwargs[self.lookup_field])

    def _detail(self, entry: DictionaryEntry, *, status_code: int = status.HTTP_200_OK) -> Response:
        options = selectors.option_list(entry)
        entry.option_count = len(options)  # type: ignore[attr-defined]
        return Response(s.DictionaryEntryDetailSerializer(entry, context={"options": options}).data, status=status_code)

    @extend_schema(responses=s.DictionaryEntryDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One entry with all its options in display order."""
        return self._detail(self._entry())

    @extend_schema(request=s.DictionaryEntryCreateSerializer, responses={201: s.DictionaryEntryDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.DictionaryEntryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.entry_create(actor=request.user, meta=_meta(request), **body.validated_data)
        return self._detail(entry, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=s.DictionaryEntryWriteSerializer, responses=s.DictionaryEntryDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.DictionaryEntryWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.entry_update(
            actor=request.user, entry=self._entry(), meta=_meta(request), **body.validated_data
        )
        return self._detail(entry)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.entry_delete(actor=request.user, entry=self._entry(), meta=_meta(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("code", str, description="Count the uses of this option only")],
        responses=s.DictionaryUsageSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def usage(self, request: Request, key: str | None = None) -> Response:
        """How many places use the entry (or one option), per registered source."""
        entry = self._entry()
        code = request.query_params.get("code") or None
        if code is not None:
            code = selectors.option_get(entry, code).code
        sources = selectors.usage_by_source(entry.key, code)
        body = {"key": entry.key, "code": code, "total": sum(sources.values()), "sources": sources, "uses": []}
        # Which apps use it: only for the people who manage the dictionary or design apps
        # (app names and unpublished drafts are theirs to see).
        if any(has_permission(request.user, needed) for needed in (DICTIONARY_MANAGE, APPS_DESIGN)):
            body["uses"] = selectors.usage_details(entry.key, code)
        return Response(body)


@extend_schema(parameters=[OpenApiParameter("entry_key", str, OpenApiParameter.PATH, description="Entry key")])
class OptionViewSet(viewsets.GenericViewSet):
    """Options of one entry, addressed by code. Reads for every signed-in user; writes need ``dictionary.manage``."""

    permission_classes = [DictionaryManageOrReadOnly]
    serializer_class = s.DictionaryOptionSerializer
    queryset = DictionaryOption.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filter_backends: list[Any] = []
    pagination_class = None

    def _entry(self) -> DictionaryEntry:
        return selectors.entry_get(self.kwargs["entry_key"])

    def _option(self, entry: DictionaryEntry) -> DictionaryOption:
        return selectors.option_get(entry, self.kwargs[self.lookup_field])

    def _one(self, entry: DictionaryEntry, code: str, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(s.DictionaryOptionSerializer(selectors.option_get(entry, code)).data, status=status_code)

    @extend_schema(
        parameters=[
            ENABLED_PARAM,
            OpenApiParameter("tree", OpenApiTypes.BOOL, description="Nest sub-options under `children`"),
        ],
        responses=s.DictionaryOptionNodeSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """All options of the entry in display order (not paginated); ``?tree=1`` nests them."""
        entry = self._entry()
        options = selectors.option_list(entry, enabled=_flag(request, "enabled"))
        rows = s.DictionaryOptionSerializer(options, many=True).data
        return Response(_nest(list(rows)) if _flag(request, "tree") else rows)

    @extend_schema(request=s.DictionaryOptionCreateSerializer, responses={201: s.DictionaryOptionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self._entry()
        body = s.DictionaryOptionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        option = services.option_create(actor=request.user, entry=entry, meta=_meta(request), **body.validated_data)
        return self._one(entry, option.code, status_code=status.HTTP_201_CREATED)

    @extend_schema(responses=s.DictionaryOptionSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(s.DictionaryOptionSerializer(self._option(self._entry())).data)

    @extend_schema(request=s.DictionaryOptionWriteSerializer, responses=s.DictionaryOptionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self._entry()
        option = self._option(entry)
        body = s.DictionaryOptionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.option_update(actor=request.user, option=option, meta=_meta(request), **body.validated_data)
        return self._one(entry, option.code)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.option_delete(actor=request.user, option=self._option(self._entry()), meta=_meta(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.DictionaryReorderSerializer, responses=s.DictionaryOptionSerializer(many=True))
    @action(detail=False, methods=["post"])
    def reorder(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reorder one level: list every option under one parent (or the top level) in the new order."""
        entry = self._entry()
        body = s.DictionaryReorderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.option_reorder(actor=request.user, entry=entry, codes=body.validated_data["codes"],
                                meta=_meta(request))
        return Response(s.DictionaryOptionSerializer(selectors.option_list(entry), many=True).data)
