"""Fixtures of the real-time tests: signed-in session cookies and a recorder of sent events."""

from __future__ import annotations

from typing import Any

import pytest

from tests.instances.conftest import publisher, purchase_app, submit  # noqa: F401  (fixtures)


def session_cookie(user: Any) -> str:
    """A real session for ``user`` in the test database (as the login page makes); returns its key."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def sent(monkeypatch: Any) -> list[dict[int, list[dict[str, Any]]]]:
    """Every batch that publish hands to the channel layer (one dict user id -> events per send)."""
    from platform_core.realtime import publish

    calls: list[dict[int, list[dict[str, Any]]]] = []
    monkeypatch.setattr(publish, "_send", lambda events: calls.append({k: list(v) for k, v in events.items()}))
    return calls
