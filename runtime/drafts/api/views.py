"""Request drafts and favourite apps API: parse, call one service or selector, serialise.

Everyone sees and changes only their own; an app the caller may not start is 404
(``app_not_found``), as everywhere else.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from runtime.definitions.exceptions import RequestTooLarge
from runtime.drafts import selectors, services
from runtime.drafts.api import serializers as s

# The body carries data + picks (at most MAX_DRAFT_BYTES as compact JSON) and a little envelope.
DRAFT_BODY = services.MAX_DRAFT_BYTES + 65_536
APP_KEY = OpenApiParameter("app_key", str, OpenApiParameter.PATH, description="The app's key")
NOT_FOUND = OpenApiResponse(description="app_not_found (no such app, or the caller may not start it)")


def _limit_body(request: Request, limit: int) -> None:
    # DRF's parsers read the stream without Django's upload-size check: refuse big bodies first.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise RequestTooLarge(params={"limit": limit})


class DraftListView(APIView):
    """The caller's request drafts (草稿), newest first."""

    @extend_schema(responses=s.RequestDraftBriefSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.RequestDraftBriefSerializer(selectors.draft_list_for(request.user), many=True).data)


class DraftDetailView(APIView):
    """The caller's draft of one app: read, save (create or replace), delete."""

    parser_classes = [parsers.JSONParser]

    @extend_schema(parameters=[APP_KEY], responses={
        200: s.RequestDraftSerializer,
        404: OpenApiResponse(description="app_not_found, or request_draft_not_found when there is no draft"),
    })
    def get(self, request: Request, app_key: str) -> Response:
        return Response(s.RequestDraftSerializer(selectors.draft_get_for(request.user, app_key)).data)

    @extend_schema(parameters=[APP_KEY], request=s.RequestDraftWriteSerializer, responses={
        200: s.RequestDraftSerializer,
        400: OpenApiResponse(description="request_draft_invalid (not an object, bad picks, too large), "
                                         "request_too_large, validation_failed"),
        404: NOT_FOUND,
    })
    def put(self, request: Request, app_key: str) -> Response:
        _limit_body(request, DRAFT_BODY)
        body = s.RequestDraftWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = services.draft_save(actor=request.user, app_key=app_key, **body.validated_data)
        return Response(s.RequestDraftSerializer(draft).data)

    @extend_schema(parameters=[APP_KEY], request=None, responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, app_key: str) -> Response:
        services.draft_delete(actor=request.user, app_key=app_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FavoriteListView(APIView):
    """The caller's favourite apps (常用)."""

    @extend_schema(responses=s.FavoriteAppsSerializer)
    def get(self, request: Request) -> Response:
        return Response({"apps": selectors.favorite_keys_for(request.user)})


class FavoriteDetailView(APIView):
    """Star (PUT) or unstar (DELETE) an app; both are idempotent."""

    @extend_schema(parameters=[APP_KEY], request=None, responses={200: s.FavoriteAppsSerializer, 404: NOT_FOUND})
    def put(self, request: Request, app_key: str) -> Response:
        services.favorite_add(actor=request.user, app_key=app_key)
        return Response({"apps": selectors.favorite_keys_for(request.user)})

    @extend_schema(parameters=[APP_KEY], request=None, responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, app_key: str) -> Response:
        services.favorite_remove(actor=request.user, app_key=app_key)
        return Response(status=status.HTTP_204_NO_CONTENT)
