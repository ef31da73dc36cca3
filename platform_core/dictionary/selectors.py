"""Reads of the data dictionary, including the snapshot other apps pin.

``dictionary_snapshot`` is the interface the definitions app and the forms engine
use: plain data, two queries whatever the size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, QuerySet

from platform_core.dictionary.exceptions import DictionaryEntryDoesNotExist, DictionaryOptionDoesNotExist
from platform_core.dictionary.models import DictionaryEntry, DictionaryKind, DictionaryOption
from platform_core.dictionary.registries import usage_checks


def entry_get(key: str) -> DictionaryEntry:
    """Return an entry by key or raise DictionaryEntryDoesNotExist."""
    try:
        return DictionaryEntry.objects.get(key=key)
    except (DictionaryEntry.DoesNotExist, ValueError, TypeError):
        raise DictionaryEntryDoesNotExist(params={"key": str(key)}) from None


def entry_list(*, enabled: bool | None = None) -> QuerySet[DictionaryEntry]:
    """Entries by key, each annotated with ``option_count`` (one query)."""
    qs = DictionaryEntry.objects.annotate(option_count=Count("options")).order_by("key")
    if enabled is not None:
        qs = qs.filter(enabled=enabled)
    return qs


def option_get(entry: DictionaryEntry, code: str) -> DictionaryOption:
    """Return the option ``code`` of ``entry`` (parent joined) or raise DictionaryOptionDoesNotExist."""
    try:
        option = DictionaryOption.objects.select_related("parent").get(entry=entry, code=code)
    except DictionaryOption.DoesNotExist:
        raise DictionaryOptionDoesNotExist(params={"key": entry.key, "code": str(code)}) from None
    option.entry = entry
    return option


def option_list(entry: DictionaryEntry, *, enabled: bool | None = None) -> list[DictionaryOption]:
    """The options of an entry in display order (one query).

    Flat entries are ordered by ``order``; tree entries depth first, each option
    followed by its sub-options, siblings by ``order``. ``enabled`` filters on the
    effective flag: an option counts as enabled only when it and all its ancestors
    are (a disabled region hides its cities).
    """
    options = list(DictionaryOption.objects.filter(entry=entry).select_related("parent").order_by("order", "id"))
    for option in options:
        option.entry = entry
    if entry.kind == DictionaryKind.TREE:
        options = _depth_first(options, lambda o: o.pk, lambda o: o.parent_id)
    if enabled is not None:
        effective = _effective_enabled(options, lambda o: o.pk, lambda o: o.parent_id, lambda o: o.enabled)
        options = [o for o in options if effective[o.pk] is enabled]
    return options


def dictionary_snapshot(keys: Iterable[str] | None = None, *, enabled_only: bool = False) -> dict[str, Any]:
    """Plain-data snapshot of entries ``keys`` (all when None) for pinning into a definition.

    ``{"expense_type": {"version": 3, "name": {"zh": "费用类型", "en": "Expense type"},
    "options": [{"code": "air", "enabled": true, "label": {"zh": "机票", "en": "Air ticket"},
    "parent": null, "order": 0}, ...]}}``

    Options come in display order (tree entries depth first); ``parent`` is the
    parent's code; ``enabled`` is the effective flag (false under a disabled
    parent). Unknown keys are absent from the result; disabled entries are included
    unless ``enabled_only``. Two queries whatever the number of entries and options.
    """
    entries = DictionaryEntry.objects.order_by("key")
    if keys is not None:
        wanted = [keys] if isinstance(keys, str) else list(keys)
        if not wanted:
            return {}
        entries = entries.filter(key__in=wanted)
    if enabled_only:
        entries = entries.filter(enabled=True)
    rows = list(entries.values("id", "key", "name", "name_en", "kind", "version"))
    if not rows:
        return {}
    by_entry: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
    options = (
        DictionaryOption.objects.filter(entry_id__in=list(by_entry))
        .order_by("order", "id")
        .values("id", "entry_id", "code", "label", "label_en", "order", "enabled", "parent_id")
    )
    for option in options:
        by_entry[option["entry_id"]].append(option)
    snapshot: dict[str, Any] = {}
    for row in rows:
        raw = by_entry[row["id"]]
        code_of = {o["id"]: o["code"] for o in raw}
        if row["kind"] == DictionaryKind.TREE:
            raw = _depth_first(raw, lambda o: o["id"], lambda o: o["parent_id"])
        effective = _effective_enabled(raw, lambda o: o["id"], lambda o: o["parent_id"], lambda o: o["enabled"])
        snapshot[row["key"]] = {
            "version": row["version"],
            "name": {"zh": row["name"], "en": row["name_en"]},
            "options": [
                {
                    "code": o["code"],
                    "enabled": effective[o["id"]],
                    "label": {"zh": o["label"], "en": o["label_en"]},
                    "parent": code_of.get(o["parent_id"]) if o["parent_id"] is not None else None,
                    "order": o["order"],
                }
                for o in raw
            ],
        }
    return snapshot


def usage_by_source(entry_key: str, code: str | None = None) -> dict[str, int]:
    """How many uses each registered usage check reports for ``code`` (or the whole entry)."""
    return usage_checks.counts(entry_key, code)


def usage_details(entry_key: str, code: str | None = None, *, limit: int = 100) -> list[dict[str, Any]]:
    """Where ``code`` (or the entry) is used, for the people deciding whether to delete it."""
    return usage_checks.details(entry_key, code, limit=limit)


def usage_count(entry_key: str, code: str | None = None) -> int:
    """The sum of the registered usage checks for ``code`` of ``entry_key`` (or the whole entry when None)."""
    return sum(usage_by_source(entry_key, code).values())


# --- tree helpers (pure, over model instances or value dicts) ----------------------------

def _depth_first(items: Sequence[Any], ident: Any, parent_of: Any) -> list[Any]:
    """Items reordered depth first (input order kept among siblings); orphans at the end."""
    children: dict[Any, list[Any]] = {}
    ids = {ident(item) for item in items}
    roots: list[Any] = []
    for item in items:
        parent = parent_of(item)
        if parent is None or parent not in ids:
            roots.append(item)
        else:
            children.setdefault(parent, []).append(item)
    ordered: list[Any] = []
    seen: set[Any] = set()
    stack = list(reversed(roots))
    while stack:
        item = stack.pop()
        if ident(item) in seen:
            continue
        seen.add(ident(item))
        ordered.append(item)
        stack.extend(reversed(children.get(ident(item), [])))
    # Only a cycle (which services refuse) could leave items unvisited; keep them visible.
    ordered.extend(item for item in items if ident(item) not in seen)
    return ordered


def _effective_enabled(items: Sequence[Any], ident: Any, parent_of: Any, enabled_of: Any) -> dict[Any, bool]:
    """Each item's own flag and-ed with its ancestors' flags."""
    own = {ident(item): bool(enabled_of(item)) for item in items}
    parents = {ident(item): parent_of(item) for item in items}
    result: dict[Any, bool] = {}
    for start in own:
        chain: list[Any] = []
        current = start
        value = True
        while current is not None and current in own and current not in chain:
            if current in result:
                value = result[current]
                break
            chain.append(current)
            current = parents[current]
        for node in reversed(chain):
            value = value and own[node]
            result[node] = value
    return result
