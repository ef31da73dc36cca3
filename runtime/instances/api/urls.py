"""Routes of this app under /api/v1/ (included by platform_core/api/urls.py)."""

from typing import Any

urlpatterns: list[Any] = []
