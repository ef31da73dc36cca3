"""Writes to the data dictionary.

Every write takes an ``actor``, checks ``dictionary.manage`` through the one
permission entry point (system actors pass ``actor=None`` with ``system=True``),
runs in one transaction, increments the entry's ``version`` and appends an audit
event with before/after. Option writes lock the entry row first, so changes to one
entry are serialised and each gets its own version number.

Codes are immutable: records, rules and reports store them; renaming changes labels.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.dictionary import selectors
from platform_core.dictionary.exceptions import (
    DictionaryCodeImmutable,
    DictionaryCodeInvalid,
    DictionaryCodeReserved,
    DictionaryCodeTaken,
    DictionaryExtraInvalid,
    DictionaryInUse,
    DictionaryKeyImmutable,
    DictionaryKeyInvalid,
    DictionaryKeyTaken,
    DictionaryKindInvalid,
    DictionaryOptionDoesNotExist,
    DictionaryOptionHasChildren,
    DictionaryOrderInvalid,
    DictionaryParentCycle,
    DictionaryParentInvalid,
    DictionaryParentNotAllowed,
    DictionaryReorderInvalid,
    DictionaryTextInvalid,
    DictionaryTooManyOptions,
)
from platform_core.dictionary.models import DictionaryEntry, DictionaryKind, DictionaryOption
from platform_core.org.permissions import DICTIONARY_MANAGE, require_permission

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CODE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$")
# "reorder" would be shadowed by the API route /options/reorder/.
RESERVED_CODES = frozenset({"reorder"})
MAX_OPTIONS = 5000
MAX_EXTRA_CHARS = 4000

ENTRY_FIELDS = ("key", "name", "name_en", "description", "kind", "enabled")
ENTRY_UPDATABLE = frozenset({"name", "name_en", "description", "kind", "enabled"})
OPTION_UPDATABLE = frozenset({"label", "label_en", "order", "enabled", "parent", "extra"})
TEXT_LIMITS = {"name": 100, "name_en": 100, "label": 200, "label_en": 200, "description": 2000}


def _check(actor: Any, system: bool) -> None:
    if not system:
        require_permission(actor, DICTIONARY_MANAGE)


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _entry_state(entry: DictionaryEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


def _option_state(option: DictionaryOption) -> dict[str, Any]:
    return {
        "code": option.code, "label": option.label, "label_en": option.label_en, "order": option.order,
        "enabled": option.enabled, "parent": option.parent.code if option.parent_id else None,
        "extra": option.extra,
    }


def _lock_entry(entry: DictionaryEntry) -> DictionaryEntry:
    return DictionaryEntry.objects.select_for_update().get(pk=entry.pk)


def _bump(entry: DictionaryEntry) -> int:
    # The entry row is locked by the caller, so the increment cannot be lost.
    entry.version += 1
    entry.save(update_fields=["version", "updated_at"])
    return entry.version


# --- validation (services validate: system callers do not pass through serializers) ---

def _text(field: str, value: Any, *, required: bool) -> str:
    if value is not None and not isinstance(value, str):
        raise DictionaryTextInvalid(DictionaryTextInvalid.NOT_TEXT, field=field)
    text = (value or "").strip()
    if required and not text:
        raise DictionaryTextInvalid(DictionaryTextInvalid.REQUIRED, field=field)
    limit = TEXT_LIMITS[field]
    if len(text) > limit:
        raise DictionaryTextInvalid(DictionaryTextInvalid.TOO_LONG, field=field, params={"max": limit})
    return text


def _valid_key(key: Any) -> str:
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise DictionaryKeyInvalid()
    return key


def _valid_code(code: Any) -> str:
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise DictionaryCodeInvalid()
    if code in RESERVED_CODES:
        raise DictionaryCodeReserved(params={"code": code})
    return code


def _valid_kind(kind: Any) -> str:
    if kind not in DictionaryKind.values:
        raise DictionaryKindInvalid(params={"kind": str(kind)})
    return str(kind)


def _valid_order(order: Any) -> int:
    if isinstance(order, bool) or not isinstance(order, int) or order < 0 or order > 2_147_483_647:
        raise DictionaryOrderInvalid()
    return order


def _valid_extra(extra: Any) -> dict[str, Any]:
    if extra is None:
        return {}
    try:
        size = len(json.dumps(extra, ensure_ascii=False))
    except (TypeError, ValueError):
        size = MAX_EXTRA_CHARS + 1
    if not isinstance(extra, dict) or size > MAX_EXTRA_CHARS:
        raise DictionaryExtraInvalid(params={"max": MAX_EXTRA_CHARS})
    return extra


def _resolve_parent(
    entry: DictionaryEntry, parent: DictionaryOption | str | None, *, option: DictionaryOption | None = None
) -> DictionaryOption | None:
    """The parent option (looked up in ``entry``), refusing flat entries, other entries and cycles."""
    if parent is None or parent == "":
        return None
    if entry.kind != DictionaryKind.TREE:
        raise DictionaryParentNotAllowed()
    parent_code = parent.code if isinstance(parent, DictionaryOption) else str(parent)
    if isinstance(parent, DictionaryOption) and parent.entry_id != entry.pk:
        raise DictionaryParentInvalid(params={"parent": parent_code})
    # All (id, parent_id, code) pairs of the entry in one query: the cycle walk then needs no more.
    rows = {pk: (parent_id, code) for pk, parent_id, code in entry.options.values_list("id", "parent_id", "code")}
    parent_id = next((pk for pk, (_p, code) in rows.items() if code == parent_code), None)
    if parent_id is None:
        raise DictionaryParentInvalid(params={"parent": parent_code})
    if option is not None:
        current: int | None = parent_id
        seen: set[int] = set()
        while current is not None and current not in seen:
            if current == option.pk:
                raise DictionaryParentCycle(params={"code": option.code, "parent": parent_code})
            seen.add(current)
            current = rows.get(current, (None, ""))[0]
    return DictionaryOption.objects.get(pk=parent_id)


# --- entries ----------------------------------------------------------------------------

def entry_create(
    *, actor: Any, key: str, name: str, name_en: str = "", description: str = "", kind: str = DictionaryKind.FLAT,
    enabled: bool = True, system: bool = False, meta: RequestMeta | None = None,
) -> DictionaryEntry:
    """Create a dictionary entry (version 1, no options yet)."""
    _check(actor, system)
    key = _valid_key(key)
    fields = {
        "name": _text("name", name, required=True),
        "name_en": _text("name_en", name_en, required=False),
        "description": _text("description", description, required=False),
        "kind": _valid_kind(kind),
        "enabled": bool(enabled),
    }
    with transaction.atomic():
        if DictionaryEntry.objects.filter(key=key).exists():
            raise DictionaryKeyTaken(params={"key": key})
        try:
            with transaction.atomic():
                entry = DictionaryEntry.objects.create(key=key, **fields)
        except IntegrityError:  # a concurrent create of the same key won the race
            raise DictionaryKeyTaken(params={"key": key}) from None
        audit_record(
            actor=actor, action="dictionary_entry.create", target_type="dictionary_entry", target_id=entry.pk,
            target_label=entry.key, after=_entry_state(entry) | {"version": entry.version}, meta=meta,
        )
    return entry


def entry_update(
    *, actor: Any, entry: DictionaryEntry, system: bool = False, meta: RequestMeta | None = None, **changes: Any
) -> DictionaryEntry:
    """Change an entry's names, description, kind or enabled flag (the key is immutable)."""
    _check(actor, system)
    if "key" in changes:
        if changes.pop("key") != entry.key:
            raise DictionaryKeyImmutable()
    unknown = set(changes) - ENTRY_UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field in TEXT_LIMITS:
            clean[field] = _text(field, value, required=field == "name")
        elif field == "kind":
            clean[field] = _valid_kind(value)
        else:
            clean[field] = bool(value)
    with transaction.atomic():
        locked = _lock_entry(entry)
        before = _entry_state(locked)
        if clean.get("kind") == DictionaryKind.FLAT and locked.options.filter(parent__isnull=False).exists():
            raise DictionaryKindInvalid(DictionaryKindInvalid.HAS_PARENTS, params={"kind": DictionaryKind.FLAT})
        for field, value in clean.items():
            setattr(locked, field, value)
        old, new = _changed(before, _entry_state(locked))
        if new:
            locked.version += 1
            locked.save()
            audit_record(
                actor=actor, action="dictionary_entry.update", target_type="dictionary_entry", target_id=locked.pk,
                target_label=locked.key, before=old | {"version": locked.version - 1},
                after=new | {"version": locked.version}, meta=meta,
            )
    return locked


def entry_delete(*, actor: Any, entry: DictionaryEntry, system: bool = False, meta: RequestMeta | None = None) -> None:
    """Delete an entry and its options; refused while any registered usage check reports a use."""
    _check(actor, system)
    with transaction.atomic():
        locked = _lock_entry(entry)
        count = selectors.usage_count(locked.key)
        if count:
            raise DictionaryInUse(DictionaryInUse.ENTRY, field="key", params={"key": locked.key, "count": count})
        before = _entry_state(locked) | {
            "version": locked.version,
            "options": list(locked.options.order_by("order", "id").values_list("code", flat=True)),
        }
        pk = locked.pk
        locked.delete()
        audit_record(
            actor=actor, action="dictionary_entry.delete", target_type="dictionary_entry", target_id=pk,
            target_label=before["key"], before=before, meta=meta,
        )


# --- options ----------------------------------------------------------------------------

def _lock_option(option: DictionaryOption) -> tuple[DictionaryEntry, DictionaryOption]:
    """Lock the option's entry, then read the option afresh (it may have changed since the caller read it)."""
    entry = DictionaryEntry.objects.select_for_update().get(pk=option.entry_id)
    try:
        fresh = DictionaryOption.objects.select_related("parent").get(pk=option.pk, entry=entry)
    except DictionaryOption.DoesNotExist:
        raise DictionaryOptionDoesNotExist(params={"key": entry.key, "code": option.code}) from None
    fresh.entry = entry
    return entry, fresh


def _audit_option(
    actor: Any, action: str, entry: DictionaryEntry, option: DictionaryOption | None, *, target_id: Any = None,
    code: str = "", before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    meta: RequestMeta | None = None,
) -> None:
    audit_record(
        actor=actor, action=action, target_type="dictionary_option",
        target_id=option.pk if option is not None else target_id,
        target_label=f"{entry.key}/{option.code if option is not None else code}",
        before=None if before is None else before | {"entry": entry.key, "version": entry.version - 1},
        after=None if after is None else after | {"entry": entry.key, "version": entry.version},
        meta=meta,
    )


def option_create(
    *, actor: Any, entry: DictionaryEntry, code: str, label: str, label_en: str = "", order: int | None = None,
    enabled: bool = True, parent: DictionaryOption | str | None = None, extra: dict[str, Any] | None = None,
    system: bool = False, meta: RequestMeta | None = None,
) -> DictionaryOption:
    """Add an option; ``parent`` (a code of the same tree entry) nests it; ``order`` defaults to last."""
    _check(actor, system)
    code = _valid_code(code)
    fields = {
        "label": _text("label", label, required=True),
        "label_en": _text("label_en", label_en, required=False),
        "enabled": bool(enabled),
        "extra": _valid_extra(extra),
    }
    if order is not None:
        order = _valid_order(order)
    with transaction.atomic():
        locked = _lock_entry(entry)
        if locked.options.filter(code=code).exists():
            raise DictionaryCodeTaken(params={"code": code})
        if locked.options.count() >= MAX_OPTIONS:
            raise DictionaryTooManyOptions(params={"max": MAX_OPTIONS})
        parent_option = _resolve_parent(locked, parent)
        if order is None:
            last = locked.options.filter(parent=parent_option).order_by("-order").values_list("order", flat=True)
            order = (last.first() + 1) if last.exists() else 0
        option = DictionaryOption.objects.create(entry=locked, code=code, parent=parent_option, order=order, **fields)
        _bump(locked)
        _audit_option(actor, "dictionary_option.create", locked, option, after=_option_state(option), meta=meta)
    return option


def option_update(
    *, actor: Any, option: DictionaryOption, system: bool = False, meta: RequestMeta | None = None, **changes: Any
) -> DictionaryOption:
    """Change an option's labels, order, enabled flag, parent or extra data; the code is immutable."""
    _check(actor, system)
    if "code" in changes:
        if changes.pop("code") != option.code:
            raise DictionaryCodeImmutable(params={"code": option.code})
    unknown = set(changes) - OPTION_UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field in TEXT_LIMITS:
            clean[field] = _text(field, value, required=field == "label")
        elif field == "order":
            clean[field] = _valid_order(value)
        elif field == "extra":
            clean[field] = _valid_extra(value)
        elif field == "enabled":
            clean[field] = bool(value)
        else:
            clean[field] = value
    with transaction.atomic():
        locked, option = _lock_option(option)
        before = _option_state(option)
        if "parent" in clean:
            option.parent = _resolve_parent(locked, clean.pop("parent"), option=option)
        for field, value in clean.items():
            setattr(option, field, value)
        old, new = _changed(before, _option_state(option))
        if new:
            option.save()
            _bump(locked)
            _audit_option(actor, "dictionary_option.update", locked, option, before=old, after=new, meta=meta)
    return option


def _set_enabled(
    actor: Any, option: DictionaryOption, enabled: bool, system: bool, meta: RequestMeta | None
) -> DictionaryOption:
    _check(actor, system)
    with transaction.atomic():
        locked, option = _lock_option(option)
        if option.enabled != enabled:
            option.enabled = enabled
            option.save(update_fields=["enabled", "updated_at"])
            _bump(locked)
            _audit_option(
                actor, f"dictionary_option.{'enable' if enabled else 'disable'}", locked, option,
                before={"enabled": not enabled}, after={"enabled": enabled}, meta=meta,
            )
    return option


def option_disable(
    *, actor: Any, option: DictionaryOption, system: bool = False, meta: RequestMeta | None = None
) -> DictionaryOption:
    """Disable an option: kept for stored records, no longer offered for new input."""
    return _set_enabled(actor, option, False, system, meta)


def option_enable(
    *, actor: Any, option: DictionaryOption, system: bool = False, meta: RequestMeta | None = None
) -> DictionaryOption:
    """Enable a disabled option again."""
    return _set_enabled(actor, option, True, system, meta)


def option_reorder(
    *, actor: Any, entry: DictionaryEntry, codes: Iterable[str], system: bool = False,
    meta: RequestMeta | None = None,
) -> list[DictionaryOption]:
    """Set the order of one level: ``codes`` lists every option under one parent (or the top level) once."""
    _check(actor, system)
    codes = [str(c) for c in codes]
    with transaction.atomic():
        locked = _lock_entry(entry)
        options = list(locked.options.order_by("order", "id"))
        by_code = {o.code: o for o in options}
        first = by_code.get(codes[0]) if codes else None
        level = [o for o in options if first is not None and o.parent_id == first.parent_id]
        level_codes = {o.code for o in level}
        repeated = sorted(c for c, n in Counter(codes).items() if n > 1)
        unknown = sorted(set(codes) - level_codes)
        missing = [o.code for o in level if o.code not in set(codes)]
        if not codes or repeated or unknown or missing:
            raise DictionaryReorderInvalid(params={
                "missing": ", ".join(missing) or "-", "unknown": ", ".join(unknown) or "-",
                "repeated": ", ".join(repeated) or "-",
            })
        before = [o.code for o in level]
        changed = []
        for index, code in enumerate(codes):
            option = by_code[code]
            if option.order != index:
                option.order = index
                changed.append(option)
        if changed or before != codes:
            DictionaryOption.objects.bulk_update(changed, ["order"])
            _bump(locked)
            audit_record(
                actor=actor, action="dictionary_option.reorder", target_type="dictionary_entry",
                target_id=locked.pk, target_label=locked.key,
                before={"parent": first.parent.code if first and first.parent_id else None, "order": before,
                        "version": locked.version - 1},
                after={"order": codes, "version": locked.version}, meta=meta,
            )
    return [by_code[c] for c in codes]


def option_delete(
    *, actor: Any, option: DictionaryOption, system: bool = False, meta: RequestMeta | None = None
) -> None:
    """Delete an option; refused while it has sub-options or a registered usage check reports a use."""
    _check(actor, system)
    with transaction.atomic():
        locked, option = _lock_option(option)
        code = option.code
        if option.children.exists():
            raise DictionaryOptionHasChildren(params={"code": code})
        count = selectors.usage_count(locked.key, code)
        if count:
            raise DictionaryInUse(DictionaryInUse.OPTION, field="code",
                                  params={"key": locked.key, "code": code, "count": count})
        before = _option_state(option)
        pk = option.pk
        option.delete()
        _bump(locked)
        _audit_option(actor, "dictionary_option.delete", locked, None, target_id=pk, code=code, before=before,
                      after={}, meta=meta)
