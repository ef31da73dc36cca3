"""One generic registry for every extensible kind (pure Python, no Django imports).

Field types, node types, approval modes, assignee rules, connector kinds and report
widgets are each a module-level :class:`Registry` of small classes with a stable
``type`` string. Adding a kind of thing is adding one class and registering it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from platform_core.errors import PlatformError, gettext_noop


class TypeNotRegistered(PlatformError):
    code = "type_not_registered"
    message = gettext_noop("Unknown %(kind)s type “%(type)s”.")


class TypeAlreadyRegistered(PlatformError):
    code = "type_already_registered"
    message = gettext_noop("The %(kind)s type “%(type)s” is registered twice.")


class Registered:
    """Base of registered classes: subclasses set ``type`` to a stable string."""

    type: str = ""


T = TypeVar("T", bound=Registered)


class Registry(Generic[T]):
    """A mapping of ``type`` string to one instance of a registered class."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        """Register an instance under its ``type``; a duplicate type is an error."""
        if not item.type:
            raise ValueError(f"{type(item).__name__} has no type string")
        if item.type in self._items:
            raise TypeAlreadyRegistered(params={"kind": self.kind, "type": item.type})
        self._items[item.type] = item
        return item

    def get(self, type_: str) -> T:
        """Return the registered instance for ``type_`` or raise :class:`TypeNotRegistered`."""
        try:
            return self._items[type_]
        except KeyError:
            raise TypeNotRegistered(params={"kind": self.kind, "type": type_}) from None

    def __contains__(self, type_: object) -> bool:
        return type_ in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def types(self) -> list[str]:
        """Return the registered type strings in registration order."""
        return list(self._items)
