"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from rest_framework.routers import DefaultRouter

from runtime.definitions.api.views import AppViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("apps", AppViewSet, basename="app")

urlpatterns: list[Any] = list(router.urls)
