"""Notifications API: parse, call one service or selector, serialise. Everyone sees only their own."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.audit.services import RequestMeta
from platform_core.org.permissions import ORG_MANAGE, has_permission
from runtime.notifications import selectors, services
from runtime.notifications.api import serializers as s
from runtime.notifications.models import ImRobot, Notification


class NotificationViewSet(viewsets.GenericViewSet):
    """The signed-in user's notifications (通知)."""

    queryset = Notification.objects.none()
    serializer_class = s.NotificationSerializer
    filter_backends: list[Any] = []

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="1: only unread notifications")],
                   responses=s.NotificationSerializer(many=True))
    def list(self, request: Request) -> Response:
        unread = request.query_params.get("unread") in ("1", "true", "yes")
        page = self.paginate_queryset(selectors.notification_list_for(request.user, unread=unread))
        return self.get_paginated_response(s.NotificationSerializer(page, many=True).data)

    @extend_schema(responses=s.UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count_for(request.user)})

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = services.notification_mark_read(actor=request.user, notification_id=pk)
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=s.ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_all_read(actor=request.user)})


class PreferenceView(APIView):
    """The signed-in user's channels, quiet hours and reminder digest."""

    @extend_schema(responses=s.PreferenceSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.PreferenceSerializer(services.preference_get(actor=request.user)).data)

    @extend_schema(request=s.PreferenceSerializer, responses=s.PreferenceSerializer)
    def put(self, request: Request) -> Response:
        body = s.PreferenceSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        pref = services.preference_update(actor=request.user, meta=RequestMeta.from_request(request),
                                          **dict(body.validated_data))
        return Response(s.PreferenceSerializer(pref).data)


class OrgManage(permissions.BasePermission):
    """Robots are administered by holders of ``org.manage`` (the services check it again)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and has_permission(request.user, ORG_MANAGE))


class RobotViewSet(viewsets.GenericViewSet):
    """IM group robots (钉钉/飞书/企业微信群机器人): administrators only."""

    queryset = ImRobot.objects.none()
    serializer_class = s.RobotSerializer
    permission_classes = [OrgManage]
    filter_backends: list[Any] = []

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.robot_list())
        return self.get_paginated_response(s.RobotSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(s.RobotSerializer(selectors.robot_get(pk)).data)

    def create(self, request: Request) -> Response:
        body = s.RobotSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        robot = services.robot_create(actor=request.user, meta=RequestMeta.from_request(request),
                                      **dict(body.validated_data))
        return Response(s.RobotSerializer(robot).data, status=status.HTTP_201_CREATED)

    def _update(self, request: Request, pk: str | None, partial: bool) -> Response:
        robot = selectors.robot_get(pk)
        body = s.RobotSerializer(robot, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if not data.get("secret"):
            data.pop("secret", None)  # left out or empty: keep the stored secret
        robot = services.robot_update(actor=request.user, robot_id=robot.pk, meta=RequestMeta.from_request(request),
                                      **data)
        return Response(s.RobotSerializer(robot).data)

    def update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, pk, partial=False)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, pk, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.robot_delete(actor=request.user, robot_id=pk, meta=RequestMeta.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
