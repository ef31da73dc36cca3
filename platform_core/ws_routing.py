"""Websocket routes; each platform app adds its consumers here (the realtime issue adds /ws/)."""

from typing import Any

websocket_urlpatterns: list[Any] = []
