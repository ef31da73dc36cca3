"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from django.urls import path

from runtime.drafts.api.views import DraftDetailView, DraftListView, FavoriteDetailView, FavoriteListView

urlpatterns: list[Any] = [
    path("drafts/", DraftListView.as_view(), name="request-drafts"),
    path("drafts/<str:app_key>/", DraftDetailView.as_view(), name="request-draft"),
    path("favorites/", FavoriteListView.as_view(), name="favorite-apps"),
    path("favorites/<str:app_key>/", FavoriteDetailView.as_view(), name="favorite-app"),
]
