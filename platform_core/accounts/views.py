"""Browser login/logout pages, the home page, and the brute-force lockout response."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from platform_core.accounts.forms import LoginForm
from platform_core.audit.services import RequestMeta
from platform_core.org import services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password in the browser, through the same service as the API."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        user = self.request.user
        services.user_change_password(
            actor=user, user=user, old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"], meta=RequestMeta.from_request(self.request),
        )
        Token.objects.filter(user=user).delete()
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What django-axes answers once a user name and address are locked out."""
    message = _("Too many failed sign-in attempts. Try again in 15 minutes or ask your administrator.")
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "too_many_attempts", "message": message, "details": None}}, status=429
        )
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429)
