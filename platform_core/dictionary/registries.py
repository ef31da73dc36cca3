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

UsageCheck = Callable[[str, str | None], int]


class UsageCheckRegistry:
    """Named usage checks, called in registration order."""

    def __init__(self) -> None:
        self._checks: dict[str, UsageCheck] = {}

    def register(self, source: str, check: UsageCheck) -> UsageCheck:
        """Register ``check`` under ``source``; registering the same callable again is a no-op."""
        if not source:
            raise ValueError("a usage check needs a source name")
        existing = self._checks.get(source)
        if existing is not None and existing is not check:
            raise ValueError(f"a different usage check is already registered as {source!r}")
        self._checks[source] = check
        return check

    def unregister(self, source: str) -> None:
        """Remove the check registered under ``source`` (missing is fine)."""
        self._checks.pop(source, None)

    def counts(self, entry_key: str, code: str | None = None) -> dict[str, int]:
        """Each source's count of uses of ``code`` (or of the whole entry when None)."""
        return {source: int(check(entry_key, code)) for source, check in self._checks.items()}

    def __contains__(self, source: object) -> bool:
        return source in self._checks

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._checks))

    def __len__(self) -> int:
        return len(self._checks)


usage_checks = UsageCheckRegistry()
