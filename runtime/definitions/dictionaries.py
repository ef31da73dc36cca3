"""The definitions app's only door to the data dictionary (``platform_core.dictionary``).

Definitions read pinned snapshots through ``selectors.dictionary_snapshot`` and, on import,
add missing entries/codes through the dictionary's services. Everything here degrades
gracefully while the dictionary app offers none of that (``snapshot`` then returns None
and dictionary bindings are not checked), so the two apps can be deployed in either order.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from platform_core.errors import PlatformError

logger = logging.getLogger("qiaoban.definitions")


def _selector() -> Any:
    try:
        module = importlib.import_module("platform_core.dictionary.selectors")
    except ImportError:
        return None
    return getattr(module, "dictionary_snapshot", None)


def _services() -> Any:
    try:
        return importlib.import_module("platform_core.dictionary.services")
    except ImportError:
        return None


def available() -> bool:
    """True when the dictionary app can give snapshots."""
    return _selector() is not None


def snapshot(keys: Iterable[str]) -> dict[str, Any] | None:
    """The current snapshot of the entries ``keys`` (missing entries are absent), or None without a dictionary."""
    keys = sorted(set(keys))
    selector = _selector()
    if selector is None:
        return None
    if not keys:
        return {}
    result = selector(keys)
    return {key: value for key, value in dict(result or {}).items() if key in keys}


def add_entry_or_codes(
    *, actor: Any, key: str, entry: dict[str, Any], codes: list[str] | None
) -> list[str] | None:
    """Create entry ``key`` with its options (``codes`` None) or add ``codes`` to it; return the codes added.

    Goes through the dictionary's own services (they check ``dictionary.manage`` and
    audit). Each option is added in its own savepoint: one the dictionary refuses (a
    parent on a flat entry, a bad code) is left out and not returned, the rest still go in.
    Returns None when nothing could be done (no such service, or the entry was refused).
    """
    services = _services()
    if services is None or not hasattr(services, "option_create"):
        return None
    options = [o for o in entry.get("options") or [] if isinstance(o, dict) and isinstance(o.get("code"), str)]
    if codes is None:
        if not hasattr(services, "entry_create"):
            return None
        name = entry.get("name") if isinstance(entry.get("name"), dict) else {}
        kind = "tree" if any(o.get("parent") for o in options) else "flat"
        try:
            with transaction.atomic():
                target = services.entry_create(
                    actor=actor, key=key, name=str(name.get("zh") or name.get("en") or key)[:100],
                    name_en=str(name.get("en") or "")[:100], kind=kind,
                )
        except PlatformError:
            logger.info("dictionary refused to create entry %s on import", key)
            return None
    else:
        wanted = set(codes)
        options = [o for o in options if o["code"] in wanted]
        target = importlib.import_module("platform_core.dictionary.selectors").entry_get(key)
    added = []
    for option in options:  # snapshots list parents before their children
        label = option.get("label") if isinstance(option.get("label"), dict) else {}
        try:
            with transaction.atomic():
                services.option_create(
                    actor=actor, entry=target, code=option["code"],
                    label=str(label.get("zh") or label.get("en") or option["code"])[:200],
                    label_en=str(label.get("en") or "")[:200], enabled=bool(option.get("enabled", True)),
                    parent=option.get("parent"),
                )
        except PlatformError:
            logger.info("dictionary refused option %s.%s on import", key, option["code"])
            continue
        added.append(option["code"])
    return added
