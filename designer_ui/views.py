"""The page that boots the React app: the built assets plus what the app needs to start."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import ensure_csrf_cookie

from designer_ui.manifest import UiNotBuilt, entry_assets
from platform_core.org.permissions import permissions_of

UI_ROOT = "/app/"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in landing page is the app's workspace."""
    return redirect(UI_ROOT)


@login_required
@ensure_csrf_cookie
def spa(request: HttpRequest, path: str = "") -> HttpResponse:
    """Every /app/… address: the app shell decides what to show (client-side routing)."""
    try:
        assets = entry_assets()
    except UiNotBuilt:
        return render(request, "designer_ui/not_built.html", status=503)
    user = request.user
    department = getattr(user, "department", None)
    boot = {
        "user": {
            "id": str(user.pk),
            "username": user.get_username(),
            "name": getattr(user, "name", "") or user.get_username(),
            "department": {"id": str(department.pk), "name": department.name} if department else None,
            "is_superuser": user.is_superuser,
            "permissions": sorted(permissions_of(user)),
        },
        "language": "en" if (get_language() or "").startswith("en") else "zh-Hans",
        "languages": [{"code": code, "name": str(name)} for code, name in settings.LANGUAGES],
        "urls": {
            "root": UI_ROOT,
            "api": "/api/v1/",
            "logout": reverse("accounts:logout"),
            "password_change": reverse("accounts:password_change"),
            "set_language": reverse("set_language"),
            "api_docs": reverse("swagger-ui"),
            "websocket": "/ws/",
        },
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    response = render(request, "designer_ui/index.html", {"assets": assets, "boot": boot})
    response["Cache-Control"] = "no-store"  # it names the current hashed files and the user
    return response
