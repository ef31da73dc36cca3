"""A small LRU of loaded forms, so validators are compiled once per form version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from runtime.forms.definition import load_form
from runtime.forms.spec import FormSpec


class FormSpecCache:
    """Maps a caller's version key (e.g. ``(form_id, version)``) to its loaded :class:`FormSpec`.

    Published versions are immutable, so a key never needs invalidating; drafts should
    use their content fingerprint (or skip the cache).
    """

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, FormSpec] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, document: Mapping[str, Any] | Callable[[], Mapping[str, Any]]) -> FormSpec:
        """Return the spec of ``key``, loading ``document`` (or calling it for the document) on a miss."""
        with self._lock:
            spec = self._items.get(key)
            if spec is not None:
                self._items.move_to_end(key)
                return spec
        loaded = load_form(document() if callable(document) else document)
        loaded.compiled  # noqa: B018 - compile outside the lock, once, before sharing
        with self._lock:
            spec = self._items.setdefault(key, loaded)
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return spec

    def clear(self) -> None:
        """Forget every loaded form."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


form_spec_cache = FormSpecCache()
