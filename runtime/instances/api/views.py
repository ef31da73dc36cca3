"""Instances and tasks API: parse, call one service or selector, serialise."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.audit.services import RequestMeta
from runtime.instances import selectors, services
from runtime.instances.api import serializers as s
from runtime.instances.models import Instance, Task

LIST_PARAMETERS = [
    OpenApiParameter("box", str, enum=list(selectors.BOXES),
                     description="todo (待办), done (已办), started (我发起的), cc (抄送我); none: all I may see"),
    OpenApiParameter("app", str, description="App key"),
    OpenApiParameter("status", str, description="running | blocked | error | returned | completed | withdrawn"),
    OpenApiParameter("urgent", bool),
    OpenApiParameter("overdue", bool, description="Only requests with a pending task past its due time"),
    OpenApiParameter("search", str, description="Words in the title"),
    OpenApiParameter("created_from", OpenApiTypes.DATE, description="Submitted on or after this day"),
    OpenApiParameter("created_to", OpenApiTypes.DATE, description="Submitted on or before this day"),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS),
                     description="due (earliest due time first), newest, oldest, updated; none: the box's default"),
]


def _meta(request: Request) -> RequestMeta:
    return RequestMeta.from_request(request)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _detail(request: Request, instance: Instance, status_code: int = status.HTTP_200_OK) -> Response:
    # Re-read through the selector: the answer shows only what the actor may see now.
    instance = selectors.instance_get_for(request.user, instance.pk)
    context = selectors.instance_view_for(request.user, instance)
    return Response(s.InstanceDetailSerializer(instance, context=context).data, status=status_code)


class InstanceViewSet(viewsets.GenericViewSet):
    """Requests (实例): submit, inboxes, detail, and the initiator's and participants' actions."""

    queryset = Instance.objects.none()
    serializer_class = s.InstanceListSerializer
    filter_backends: list[Any] = []

    @extend_schema(parameters=LIST_PARAMETERS, responses=s.InstanceListSerializer(many=True))
    def list(self, request: Request) -> Response:
        box = request.query_params.get("box") or None
        if box is not None and box not in selectors.BOXES:
            raise serializers.ValidationError({"box": [gettext("Unknown box.")]})
        filters: dict[str, Any] = dict(request.query_params.items())
        for name in ("created_from", "created_to"):
            if filters.get(name):
                try:
                    filters[name] = date.fromisoformat(filters[name])
                except ValueError:
                    raise serializers.ValidationError({name: [gettext("Use a date like 2026-12-31.")]}) from None
        if filters.get("sort") and filters["sort"] not in selectors.SORTS:
            raise serializers.ValidationError({"sort": [gettext("Unknown sort.")]})
        qs = selectors.instance_list_for(request.user, box, filters)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.InstanceListSerializer(page, many=True).data)

    @extend_schema(request=s.SubmitSerializer, responses={201: s.InstanceDetailSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.SubmitSerializer, request)
        result = services.instance_submit(
            actor=request.user, app_key=data["app"], data=data["data"], urgent=data["urgent"],
            picks=data.get("picks"), request_id=data.get("request_id") or None, meta=_meta(request),
        )
        return _detail(request, result.instance, status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED)

    @extend_schema(responses=s.InstanceDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return _detail(request, selectors.instance_get_for(request.user, pk))

    @extend_schema(responses=s.CountsSerializer)
    @action(detail=False, methods=["get"])
    def counts(self, request: Request) -> Response:
        return Response(s.CountsSerializer(selectors.instance_counts_for(request.user)).data)

    @extend_schema(request=s.InstanceCommandSerializer, responses=s.InstanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = _valid(s.InstanceCommandSerializer, request)
        result = services.instance_withdraw(
            actor=request.user, instance_id=pk, comment=data.get("comment"),
            request_id=data.get("request_id") or None, expected_version=data.get("expected_version"),
            meta=_meta(request),
        )
        return _detail(request, result.instance)

    @extend_schema(request=s.ResubmitSerializer, responses=s.InstanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str) -> Response:
        data = _valid(s.ResubmitSerializer, request)
        result = services.instance_resubmit(
            actor=request.user, instance_id=pk, data=data["data"], comment=data.get("comment"),
            request_id=data.get("request_id") or None, expected_version=data.get("expected_version"),
            meta=_meta(request),
        )
        return _detail(request, result.instance)

    @extend_schema(request=s.InstanceCommandSerializer, responses=s.InstanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def urge(self, request: Request, pk: str) -> Response:
        data = _valid(s.InstanceCommandSerializer, request)
        result = services.instance_urge(actor=request.user, instance_id=pk, comment=data.get("comment"),
                                        request_id=data.get("request_id") or None, meta=_meta(request))
        return _detail(request, result.instance)

    @extend_schema(request=s.CommentSerializer, responses=s.InstanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str) -> Response:
        data = _valid(s.CommentSerializer, request)
        result = services.instance_comment(actor=request.user, instance_id=pk, comment=data["comment"],
                                           request_id=data.get("request_id") or None, meta=_meta(request))
        return _detail(request, result.instance)

    @extend_schema(request=s.CcSerializer, responses=s.InstanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def cc(self, request: Request, pk: str) -> Response:
        data = _valid(s.CcSerializer, request)
        result = services.instance_cc(actor=request.user, instance_id=pk, users=data["users"],
                                      comment=data.get("comment"), request_id=data.get("request_id") or None,
                                      meta=_meta(request))
        return _detail(request, result.instance)

    @extend_schema(request=s.RetrySerializer, responses=s.InstanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        data = _valid(s.RetrySerializer, request)
        result = services.instance_retry(
            actor=request.user, instance_id=pk, node_id=data["node_id"], form_patch=data.get("form_patch"),
            comment=data.get("comment"), request_id=data.get("request_id") or None,
            expected_version=data.get("expected_version"), meta=_meta(request),
        )
        return _detail(request, result.instance)


class TaskViewSet(viewsets.GenericViewSet):
    """Tasks (待办): act on one, or approve several."""

    queryset = Task.objects.none()
    serializer_class = s.TaskSerializer
    filter_backends: list[Any] = []

    @extend_schema(request=s.ActSerializer, responses=s.InstanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str) -> Response:
        data = _valid(s.ActSerializer, request)
        payload = {k: data[k] for k in ("comment", "form_patch", "to_user", "users", "position", "target") if k in data}
        result = services.task_act(
            actor=request.user, task_id=pk, action=data["action"], payload=payload,
            request_id=data.get("request_id") or None, expected_version=data.get("expected_version"),
            meta=_meta(request),
        )
        return _detail(request, result.instance)

    @extend_schema(parameters=[s.ScheduleQuerySerializer], responses=s.ScheduleSerializer)
    @action(detail=False, methods=["get"])
    def schedule(self, request: Request) -> Response:
        """The task timeline (甘特图): my tasks and my requests' tasks, or all I may see, over some days."""
        query = s.ScheduleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows, truncated = selectors.task_schedule_for(
            request.user, scope=params["scope"], start=params["start"], end=params["end"], app=params.get("app") or None
        )
        now = timezone.now()
        return Response({
            "start": params["start"], "end": params["end"], "now": now, "truncated": truncated,
            "results": s.ScheduleTaskSerializer(rows, many=True, context={"now": now}).data,
        })

    @extend_schema(request=s.BatchApproveSerializer, responses=s.BatchResultSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="batch-approve")
    def batch_approve(self, request: Request) -> Response:
        data = _valid(s.BatchApproveSerializer, request)
        results = services.tasks_batch_approve(
            actor=request.user, task_ids=data["task_ids"], comment=data.get("comment") or None,
            request_id=data.get("request_id") or None, meta=_meta(request),
        )
        for row in results:
            if "error" in row:
                row["error"] = row["error"].as_dict(translate=gettext)
        return Response(s.BatchResultSerializer(results, many=True).data)
