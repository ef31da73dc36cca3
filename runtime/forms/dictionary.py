"""Read access to a pinned data-dictionary snapshot given as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DictionaryIndex:
    """Index of a snapshot ``{"entry": {"options": [{"code", "enabled", "label", "parent"}]}}``.

    Build it once per snapshot version and pass it to ``validate_submission`` to avoid
    re-indexing; plain snapshots are indexed per call (entries on first use).
    """

    def __init__(self, snapshot: Mapping[str, Any]) -> None:
        self._snapshot = snapshot
        self._entries: dict[str, dict[str, Mapping[str, Any]]] = {}

    def has_entry(self, key: str) -> bool:
        """Return whether the snapshot holds entry ``key``."""
        return key in self._snapshot

    def entry(self, key: str) -> dict[str, Mapping[str, Any]] | None:
        """Return ``{code: option}`` of entry ``key`` or None when the snapshot lacks it."""
        index = self._entries.get(key)
        if index is None:
            raw = self._snapshot.get(key)
            if raw is None:
                return None
            options = raw.get("options", ()) if isinstance(raw, Mapping) else ()
            index = {
                opt["code"]: opt
                for opt in options
                if isinstance(opt, Mapping) and isinstance(opt.get("code"), str)
            }
            self._entries[key] = index
        return index

    def option(self, key: str, code: str) -> Mapping[str, Any] | None:
        """Return the option ``code`` of entry ``key`` or None."""
        entry = self.entry(key)
        return None if entry is None else entry.get(code)

    def label(self, key: str, code: str, language: str) -> str:
        """Return the label of ``code`` in ``language`` (falls back to zh, then the code)."""
        opt = self.option(key, code)
        return option_label(opt, language) if opt is not None else code


def option_label(option: Mapping[str, Any], language: str) -> str:
    """Return an option's label in ``language``, falling back to zh/en and then its code."""
    label = option.get("label")
    if isinstance(label, Mapping):
        for lang in (language, "zh", "en"):
            text = label.get(lang)
            if isinstance(text, str) and text:
                return text
    elif isinstance(label, str) and label:
        return label
    return str(option.get("code", ""))


def as_index(dictionary: DictionaryIndex | Mapping[str, Any] | None) -> DictionaryIndex | None:
    """Return ``dictionary`` as an index (None stays None)."""
    if dictionary is None or isinstance(dictionary, DictionaryIndex):
        return dictionary
    return DictionaryIndex(dictionary)
