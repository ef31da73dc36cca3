"""Writes and calls of connectors: save a configuration (admins), call one (the outbox)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from connectors import selectors
from connectors.exceptions import ConnectorConfigInvalid, ConnectorKindInvalid
from connectors.models import Connector
from connectors.registries import ConnectorKind, connector_kind_registry
from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import PermissionDenied


def _kind(kind: str) -> ConnectorKind:
    if kind not in connector_kind_registry:
        raise ConnectorKindInvalid(params={"kind": kind}, details={"field": "kind"})
    return connector_kind_registry.get(kind)


def connector_save(
    *, actor: Any, key: str, kind: str, config: Mapping[str, Any], name: str = "", is_active: bool = True,
    system: bool = False, meta: RequestMeta | None = None,
) -> Connector:
    """Create or replace connector ``key`` (superusers, or ``system=True`` for installs); audited without secrets."""
    if not system and not getattr(actor, "is_superuser", False):
        # Connector settings hold credentials for outside systems: superusers only until a
        # dedicated permission code exists (platform_core.org.permissions).
        raise PermissionDenied()
    connector_kind = _kind(kind)
    if not isinstance(config, Mapping):
        raise ConnectorConfigInvalid(params={"key": key, "reason": "settings must be an object"})
    connector_kind.check_config(key, config)
    with transaction.atomic():
        connector = Connector.objects.select_for_update().filter(key=key).first()
        before = connector_kind.public_config(connector.config) if connector is not None else None
        if connector is None:
            connector = Connector(key=key)
        connector.kind, connector.config, connector.name, connector.is_active = kind, dict(config), name, is_active
        connector.save()
        audit_record(
            actor=actor, action="connector.save", target_type="connector", target_id=connector.pk,
            target_label=key, before={"config": before} if before is not None else None,
            after={"kind": kind, "config": connector_kind.public_config(config), "is_active": is_active}, meta=meta,
        )
    return connector


def connector_call(*, key: str, operation: str | None, input: Mapping[str, Any],
                   delivery_id: str | None = None) -> dict[str, Any]:
    """Call the active connector ``key`` (network I/O: never inside a transaction). Raises ConnectorError."""
    connector = selectors.connector_get_active(key)
    if connector.kind not in connector_kind_registry:
        raise ConnectorConfigInvalid(params={"key": key, "reason": f"unknown kind {connector.kind}"})
    return connector_kind_registry.get(connector.kind).call(operation, input, connector.config, key=key,
                                                            delivery_id=delivery_id)
