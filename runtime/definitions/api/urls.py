"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from django.urls import path
from rest_framework.routers import DefaultRouter

from runtime.definitions.api.views import AppViewSet, FieldTypeListView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("apps", AppViewSet, basename="app")

urlpatterns: list[Any] = [
    path("field-types/", FieldTypeListView.as_view(), name="field-types"),
    *router.urls,
]
