"""Routes of the working calendar under /api/v1/calendar/ (included by platform_core/api/urls.py)."""

from typing import Any

from django.urls import path
from rest_framework.routers import DefaultRouter

from runtime.timers.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("calendar/days", views.CalendarDayViewSet, basename="calendar-day")

urlpatterns: list[Any] = [
    path("calendar/working-hours/", views.WorkingHoursView.as_view(), name="calendar-working-hours"),
    path("calendar/rules/", views.RulesCalendarView.as_view(), name="calendar-rules"),
    *router.urls,
]
