"""Fixtures of the connector tests: a live local webhook server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.connectors.webhook_server import WebhookServer

SECRET = "test-secret-0123456789abcdef"


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    """A running WebhookServer on 127.0.0.1 (random port)."""
    with WebhookServer() as server:
        yield server
