"""Token authentication for API clients: ``Authorization: Bearer <token>`` (or ``Token <token>``)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

KEYWORDS = (b"bearer", b"token")


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, accepting both the ``Bearer`` and ``Token`` keywords."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> Any:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        return self.authenticate_credentials(key)
