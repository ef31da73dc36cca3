"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from django.urls import path
from rest_framework.routers import DefaultRouter

from runtime.notifications.api.views import NotificationViewSet, PreferenceView, RobotViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("notifications/robots", RobotViewSet, basename="notification-robot")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns: list[Any] = [
    path("notifications/preferences/", PreferenceView.as_view(), name="notification-preferences"),
    *router.urls,
]
