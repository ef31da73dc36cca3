"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

from django.urls import path

from runtime.files.api.views import FileDownloadView, FileUploadView

urlpatterns: list[Any] = [
    path("files/", FileUploadView.as_view(), name="file-upload"),
    path("files/<str:file_id>/", FileDownloadView.as_view(), name="file-download"),
]
