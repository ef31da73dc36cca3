from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The platform login form; labels and errors go through translation."""

    username = forms.CharField(label=_("User name"), max_length=150, widget=forms.TextInput(
        attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": _("The user name or password is wrong. Names are case-sensitive."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }
