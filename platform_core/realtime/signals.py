"""Receivers: a deactivated account's open sockets are closed."""

from __future__ import annotations

from typing import Any

from platform_core.realtime.publish import close_user_sockets


def user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Close the sockets of a user saved as inactive (``QuerySet.update`` sends no signal: see docs/realtime.md)."""
    if not created and not instance.is_active:
        close_user_sockets(instance.pk)
