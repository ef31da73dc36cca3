"""Fixtures of the dictionary tests: a dictionary admin and a fake usage check."""

from __future__ import annotations

from typing import Any

import pytest

from platform_core.dictionary.registries import usage_checks


@pytest.fixture
def dict_admin(org: Any) -> Any:
    """A user holding ``dictionary.manage`` through a role (and nothing else)."""
    org.role("dictionary_admin", permissions=["dictionary.manage"])
    return org.user("dict_admin", roles=["dictionary_admin"], display_name="字典管理员")


@pytest.fixture
def employee(org: Any) -> Any:
    return org.user("employee", roles=["employee"], display_name="员工")


class FakeUsage:
    """A usage check answering from a dict ``{(entry_key, code_or_None): count}``; records its calls."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str | None], int] = {}
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, entry_key: str, code: str | None) -> int:
        self.calls.append((entry_key, code))
        return self.counts.get((entry_key, code), 0)


@pytest.fixture
def fake_usage() -> Any:
    """Register a fake usage check as source ``test``; always unregistered afterwards."""
    check = FakeUsage()
    usage_checks.register("test", check)
    try:
        yield check
    finally:
        usage_checks.unregister("test")
