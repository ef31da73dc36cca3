"""Fixtures of the notification tests: a real SMTP server on loopback and a real robot webhook server."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.connectors.webhook_server import WebhookServer
from tests.instances.conftest import publisher, purchase_app, submit  # noqa: F401 - fixtures reused here


class SmtpSink:
    """aiosmtpd handler that keeps every message it receives, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[Any] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.envelopes.append(envelope)
            self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's SMTP backend points at it."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Qiaoban <noreply@qiaoban.test>"
    settings.SITE_URL = "https://oa.example.com"
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def robot_server() -> Iterator[WebhookServer]:
    """A local HTTP server standing in for DingTalk, Feishu and WeCom (answers code 0 by default)."""
    with WebhookServer() as server:
        server.default = lambda got: _ok_for(got.path)
        yield server


def _ok_for(path: str) -> Any:
    from tests.connectors.webhook_server import Reply

    if path.startswith("/feishu"):
        return Reply(200, {"code": 0, "msg": "success", "data": {}})
    return Reply(200, {"errcode": 0, "errmsg": "ok"})


def text_of(message: email.message.EmailMessage, subtype: str = "plain") -> str:
    """The text/plain (or text/html) part of a received message."""
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())
