"""Built-in connector kinds (one module per kind)."""

from __future__ import annotations


def register_builtin_kinds() -> None:
    """Register the built-in kinds (called once from ``ConnectorsConfig.ready``)."""
    from connectors.connector_types.http import HttpConnector
    from connectors.registries import connector_kind_registry

    for kind in (HttpConnector(),):
        if kind.type not in connector_kind_registry:
            connector_kind_registry.register(kind)
