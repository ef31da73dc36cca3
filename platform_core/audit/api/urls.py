"""Routes of the audit log under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from django.urls import path
from rest_framework.routers import DefaultRouter

from platform_core.audit.api.views import AuditEventViewSet, AuditVerifyView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("audit/events", AuditEventViewSet, basename="audit-event")

urlpatterns: list[Any] = [
    path("audit/verify/", AuditVerifyView.as_view(), name="audit-verify"),
    *router.urls,
]
