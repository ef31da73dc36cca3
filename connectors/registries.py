"""The connector kind registry: one small class per kind of outside system (``http``, later HR, ERP, IM).

A kind declares the JSON Schema of its configuration and does one thing: ``call``. It
raises :class:`~connectors.exceptions.ConnectorError` subclasses, whose ``retryable``
flag tells the outbox whether to try again later; it never retries by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema

from connectors.exceptions import ConnectorConfigInvalid
from platform_core.registry import Registered, Registry


class ConnectorKind(Registered):
    """Base of connector kinds: subclasses set ``type``, ``label``, ``config_schema`` and implement ``call``."""

    type = ""
    label: Mapping[str, str] = {}
    config_schema: Mapping[str, Any] = {"type": "object"}
    # Config keys never shown back to anyone (admin API, audit): write-only secrets.
    secret_keys: tuple[str, ...] = ()

    def check_config(self, key: str, config: Mapping[str, Any]) -> None:
        """Raise ConnectorConfigInvalid unless ``config`` fits ``config_schema`` (subclasses add checks)."""
        validator = jsonschema.Draft202012Validator(self.config_schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(config))
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "config"
            raise ConnectorConfigInvalid(params={"key": key, "reason": f"{where}: {error.message}"},
                                         details={"path": where})

    def public_config(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The config with secrets masked (for audit records and listings)."""
        return {k: ("***" if k in self.secret_keys and v else v) for k, v in config.items()}

    def call(self, operation: str | None, input: Mapping[str, Any], config: Mapping[str, Any], *,
             key: str = "", delivery_id: str | None = None) -> dict[str, Any]:
        """Carry out ``operation`` with ``input``; return the result object or raise ConnectorError."""
        raise NotImplementedError


connector_kind_registry: Registry[ConnectorKind] = Registry("connector kind")
