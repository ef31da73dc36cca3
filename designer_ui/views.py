"""The page that boots the React app: the built assets plus what the app needs to start."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import ensure_csrf_cookie

from designer_ui.manifest import UiNotBuilt, entry_assets
from platform_core.org.permissions import permissions_of

UI_ROOT = "/app/"


def web_manifest(request: HttpRequest) -> HttpResponse:
    """The PWA manifest: install 巧办 on a phone's home screen or as a desktop app (no user data)."""
    english = (get_language() or "").startswith("en")
    manifest = {
        "name": "Qiaoban" if english else "巧办",
        "short_name": "Qiaoban" if english else "巧办",
        "description": "Forms and approvals" if english else "表单与审批",
        "id": UI_ROOT,
        "start_url": UI_ROOT,
        "scope": UI_ROOT,
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f5f6f8",
        "theme_color": "#1677ff",
        "lang": "en" if english else "zh-CN",
        "icons": [
            {"src": static("qiaoban/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("qiaoban/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("qiaoban/icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
        "shortcuts": [
            {"name": "Approvals" if english else "审批", "url": f"{UI_ROOT}inbox"},
            {"name": "Notifications" if english else "通知", "url": f"{UI_ROOT}notifications"},
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    response["Vary"] = "Cookie, Accept-Language"
    return response


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
