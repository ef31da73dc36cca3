"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from rest_framework.routers import DefaultRouter

from runtime.instances.api.views import InstanceViewSet, TaskViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("instances", InstanceViewSet, basename="instance")
router.register("tasks", TaskViewSet, basename="task")

urlpatterns: list[Any] = list(router.urls)
