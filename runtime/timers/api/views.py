"""Working-calendar API: company holidays / working days and working hours.

Every signed-in user reads the calendar (due dates are computed with it); writes need
``org.manage`` and are audited by the services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.audit.services import RequestMeta
from platform_core.org.permissions import ORG_MANAGE, has_permission
from runtime.timers import services
from runtime.timers.api import serializers as s
from runtime.timers.models import CalendarDay


class OrgManageOrReadOnly(permissions.BasePermission):
    """Every signed-in user reads the calendar; changing it needs ``org.manage``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or has_permission(request.user, ORG_MANAGE)


def _meta(request: Request) -> RequestMeta:
    return RequestMeta.from_request(request)


@extend_schema(parameters=[
    OpenApiParameter("year", int, description="Only days of this year"),
    OpenApiParameter("kind", str, description="holiday or workday"),
])
class CalendarDayViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Company holidays and extra working days that override the statutory calendar."""

    permission_classes = [OrgManageOrReadOnly]
    serializer_class = s.CalendarDaySerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[CalendarDay]:
        qs = CalendarDay.objects.order_by("date")
        year = self.request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise serializers.ValidationError({"year": ["YYYY"]})
            qs = qs.filter(date__year=int(year))
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        return qs

    @extend_schema(request=s.CalendarDayWriteSerializer, responses={201: s.CalendarDaySerializer})
    def create(self, request: Request) -> Response:
        body = s.CalendarDayWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        day = services.calendar_day_create(actor=request.user, meta=_meta(request), **body.validated_data)
        return Response(s.CalendarDaySerializer(day).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CalendarDayWriteSerializer, responses=s.CalendarDaySerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        body = s.CalendarDayWriteSerializer(data=request.data, partial=request.method == "PATCH")
        body.is_valid(raise_exception=True)
        day = services.calendar_day_update(actor=request.user, day_id=pk, meta=_meta(request),
                                           **body.validated_data)
        return Response(s.CalendarDaySerializer(day).data)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.calendar_day_delete(actor=request.user, day_id=pk, meta=_meta(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkingHoursView(APIView):
    """The company's working hours (GET for everyone signed in, PUT with ``org.manage``)."""

    permission_classes = [OrgManageOrReadOnly]

    @extend_schema(responses=s.WorkingHoursSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.WorkingHoursSerializer(services.working_hours_get()).data)

    @extend_schema(request=s.WorkingHoursSerializer, responses=s.WorkingHoursSerializer)
    def put(self, request: Request) -> Response:
        body = s.WorkingHoursSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        hours = services.working_hours_set(actor=request.user, meta=_meta(request), **body.validated_data)
        return Response(s.WorkingHoursSerializer(hours).data)


class RulesCalendarView(APIView):
    """The working calendar for rules evaluated in the browser (working_days_between, add_working_days).

    Covers last year to next year by default (``?from=2025&to=2027``, at most 10 years).
    """

    @extend_schema(
        parameters=[OpenApiParameter("from", int), OpenApiParameter("to", int)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        this_year = timezone.localdate().year
        try:
            first = int(request.query_params.get("from", this_year - 1))
            last = int(request.query_params.get("to", this_year + 1))
        except ValueError:
            raise serializers.ValidationError({"from": [gettext("Enter whole years.")]}) from None
        if not (1900 <= first <= last <= 2200) or last - first > 9:
            raise serializers.ValidationError({"to": [gettext("Ask for at most ten years, from 1900 to 2200.")]})
        body = services.calendar_for_rules(services.company_calendar(), first, last)
        return Response(body, headers={"Cache-Control": "private, max-age=300"})
