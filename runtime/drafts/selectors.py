"""Reads of a person's request drafts and favourite apps (only apps they may still start)."""

from __future__ import annotations

from typing import Any

from runtime.definitions.selectors import app_can_start, app_get_startable
from runtime.drafts.exceptions import RequestDraftDoesNotExist
from runtime.drafts.models import FavoriteApp, RequestDraft


def draft_list_for(user: Any) -> list[RequestDraft]:
    """The user's drafts of apps they may start, newest first (one query plus the user's starter facts).

    Drafts of apps the user may no longer start (archived, visibility changed) are kept but
    not listed: they come back if the access does.
    """
    drafts = RequestDraft.objects.filter(user=user).select_related("app").order_by("-updated_at", "-id")
    return [draft for draft in drafts if app_can_start(user, draft.app)]


def draft_get_for(user: Any, app_key: str) -> RequestDraft:
    """The user's draft of the app; AppDoesNotExist unless they may start it, else RequestDraftDoesNotExist."""
    app = app_get_startable(user, app_key)
    try:
        draft = RequestDraft.objects.get(user=user, app=app)
    except RequestDraft.DoesNotExist:
        raise RequestDraftDoesNotExist(params={"key": app.key}) from None
    draft.app = app
    return draft


def favorite_keys_for(user: Any) -> list[str]:
    """Keys of the user's favourite apps they may start, in the order they were starred."""
    favorites = FavoriteApp.objects.filter(user=user).select_related("app").order_by("created_at", "id")
    return [favorite.app.key for favorite in favorites if app_can_start(user, favorite.app)]
