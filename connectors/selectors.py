"""Reads of connectors."""

from __future__ import annotations

from connectors.exceptions import ConnectorDoesNotExist
from connectors.models import Connector


def connector_get_active(key: str) -> Connector:
    """Return the active connector ``key`` or raise ConnectorDoesNotExist (not retryable)."""
    connector = Connector.objects.filter(key=key, is_active=True).first()
    if connector is None:
        raise ConnectorDoesNotExist(params={"key": key})
    return connector
