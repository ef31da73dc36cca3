"""Browser login/logout pages, the home page, and the brute-force lockout response."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from platform_core.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in landing page."""
    return render(request, "home.html", {"user": request.user})


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What django-axes answers once a user name and address are locked out."""
    message = _("Too many failed sign-in attempts. Try again in 15 minutes or ask your administrator.")
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "too_many_attempts", "message": message, "details": None}}, status=429
        )
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429)
