"""Usage checks: other apps tell the dictionary where its codes are in use.

A usage check is a callable ``(entry_key, code) -> int`` returning how many places
(form fields, stored records, rules, ...) use ``code`` of entry ``entry_key``; with
``code=None`` it counts every use of the entry itself (a field bound to the entry
counts even when no record stores a value yet). Apps register their check under a
stable source name in ``AppConfig.ready()``::

    from platform_core.dictionary.registries import usage_checks

    usage_checks.register("definitions", count_dictionary_usage)

Deleting an entry or an option is refused while the sum is above zero. Checks run
inside the deleting transaction and must only read; an exception propagates (the
delete fails closed rather than deleting something that may be in use).

This is not ``platform_core.registry.Registry``: items are plain callables rather
than typed classes, and tests need to unregister the checks they add.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

UsageCheck = Callable[[str, str | None], int]
# Optional: ``(entry_key, code, *, limit) -> [{...}]``, where the uses are (for people, not for the guard).
UsageDetails = Callable[..., list[dict[str, Any]]]


class UsageCheckRegistry:
    """Named usage checks, called in registration order."""

    def __init__(self) -> None:
        self._checks: dict[str, UsageCheck] = {}
        self._details: dict[str, UsageDetails] = {}

    def register(self, source: str, check: UsageCheck, *, details: UsageDetails | None = None) -> UsageCheck:
        """Register ``check`` (and optionally its ``details`` lister) under ``source``; idempotent."""
        if not source:
            raise ValueError("a usage check needs a source name")
        existing = self._checks.get(source)
        if existing is not None and existing is not check:
            raise ValueError(f"a different usage check is already registered as {source!r}")
        self._checks[source] = check
        if details is not None:
            self._details[source] = details
        return check

    def unregister(self, source: str) -> None:
        """Remove the check registered under ``source`` (missing is fine)."""
        self._checks.pop(source, None)
        self._details.pop(source, None)

    def counts(self, entry_key: str, code: str | None = None) -> dict[str, int]:
        """Each source's count of uses of ``code`` (or of the whole entry when None)."""
        return {source: int(check(entry_key, code)) for source, check in self._checks.items()}

    def details(self, entry_key: str, code: str | None = None, *, limit: int = 100) -> list[dict[str, Any]]:
        """Where the uses are, from the sources that can tell (each row carries its ``source``)."""
        rows: list[dict[str, Any]] = []
        for source, lister in self._details.items():
            for row in lister(entry_key, code, limit=limit - len(rows)):
                rows.append({"source": source, **row})
            if len(rows) >= limit:
                break
        return rows[:limit]

    def __contains__(self, source: object) -> bool:
        return source in self._checks

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._checks))

    def __len__(self) -> int:
        return len(self._checks)


usage_checks = UsageCheckRegistry()
