"""Writes of request drafts and favourite apps: each person changes only their own.

Not audited: like notification read marks, these are private work-in-progress that no one
else sees and that change nothing shared; copying unsubmitted form data (which may hold
personal data) into the tamper-evident audit log would keep it forever. Submitting the
request is what gets audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from runtime.definitions.documents import MAX_DOCUMENT_BYTES
from runtime.definitions.selectors import app_get_startable
from runtime.drafts.exceptions import RequestDraftInvalid
from runtime.drafts.models import FavoriteApp, RequestDraft

MAX_DRAFT_BYTES = MAX_DOCUMENT_BYTES  # data + picks as compact UTF-8 JSON, like a form document


def _check(data: Any, picks: Any) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Return compact copies of the draft's data and picks, or raise RequestDraftInvalid (shape or size).

    The form is not checked: a draft may be incomplete or even hold values the form no
    longer accepts; submitting validates.
    """
    if not isinstance(data, Mapping):
        raise RequestDraftInvalid(details={"field": "data"})
    picks = {} if picks is None else picks
    if not isinstance(picks, Mapping) or not all(
        isinstance(node, str) and isinstance(ids, list) and all(isinstance(i, (str, int)) and not isinstance(i, bool)
                                                               for i in ids)
        for node, ids in picks.items()
    ):
        raise RequestDraftInvalid(RequestDraftInvalid.PICKS, details={"field": "picks"})
    try:
        text = json.dumps({"data": data, "picks": picks}, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        raise RequestDraftInvalid(RequestDraftInvalid.NOT_JSON, details={"field": "data"}) from None
    size = len(text.encode("utf-8"))
    if size > MAX_DRAFT_BYTES:
        raise RequestDraftInvalid(RequestDraftInvalid.TOO_LARGE, params={"size": size, "limit": MAX_DRAFT_BYTES},
                                  details={"size": size, "limit": MAX_DRAFT_BYTES})
    body: dict[str, Any] = json.loads(text)
    return body["data"], body["picks"]


def draft_save(*, actor: Any, app_key: str, data: Any, urgent: bool = False, picks: Any = None) -> RequestDraft:
    """Create or replace the actor's draft of an app they may start (AppDoesNotExist otherwise)."""
    app = app_get_startable(actor, app_key)
    clean_data, clean_picks = _check(data, picks)
    # update_or_create locks the row; of two concurrent first saves, the loser of the
    # unique constraint re-reads the row and updates it (Django's get_or_create does that).
    with transaction.atomic():
        draft, _ = RequestDraft.objects.update_or_create(
            user=actor, app=app, defaults={"data": clean_data, "picks": clean_picks, "urgent": bool(urgent)},
        )
    draft.app = app
    return draft


def draft_delete(*, actor: Any, app_key: str) -> bool:
    """Delete the actor's draft of an app they may start; True when there was one (idempotent)."""
    app = app_get_startable(actor, app_key)
    deleted, _ = RequestDraft.objects.filter(user=actor, app=app).delete()
    return deleted > 0


def favorite_add(*, actor: Any, app_key: str) -> FavoriteApp:
    """Star an app the actor may start (idempotent)."""
    app = app_get_startable(actor, app_key)
    with transaction.atomic():
        favorite, _ = FavoriteApp.objects.get_or_create(user=actor, app=app)
    return favorite


def favorite_remove(*, actor: Any, app_key: str) -> bool:
    """Unstar an app the actor may start; True when it was starred (idempotent)."""
    app = app_get_startable(actor, app_key)
    deleted, _ = FavoriteApp.objects.filter(user=actor, app=app).delete()
    return deleted > 0
