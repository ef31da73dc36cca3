"""Routes of the background jobs under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from rest_framework.routers import DefaultRouter

from platform_core.background.api.views import JobViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("jobs", JobViewSet, basename="job")

urlpatterns: list[Any] = [*router.urls]
