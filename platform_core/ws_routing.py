"""Websocket routes; each platform app adds its consumers here."""

from typing import Any

from django.urls import path

from platform_core.realtime.ws.consumers import UserConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/", UserConsumer.as_asgi()),  # the signed-in user's events (docs/realtime.md)
]
