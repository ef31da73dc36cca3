"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from rest_framework.routers import DefaultRouter

from platform_core.dictionary.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("dictionary/entries", views.EntryViewSet, basename="dictionary-entry")
router.register(
    r"dictionary/entries/(?P<entry_key>[^/.]+)/options", views.OptionViewSet, basename="dictionary-option"
)

urlpatterns: list[Any] = router.urls
