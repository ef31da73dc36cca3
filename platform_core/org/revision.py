"""The org revision: a token that changes whenever the org chart changes.

``DjangoOrgDirectory`` reads the whole org (departments, users, roles, positions,
delegations) in a handful of queries. Engine steps need it on every command, so
:func:`org_directory` keeps one loaded snapshot per process and reuses it while the
revision token in the database is unchanged — one indexed single-row read per step, and
several processes (daphne, workers) each notice a change on their next step.

Every write to those tables must change the token in the same transaction. Model
``save``/``delete`` and role membership changes do it through the signals connected in
``OrgConfig.ready``; code that writes with ``QuerySet.update``/``bulk_create`` (which send
no signals) calls :func:`bump_org_revision` itself.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

from platform_core.org.models import OrgRevision

_TABLE = OrgRevision._meta.db_table
_lock = threading.Lock()
_snapshot: tuple[str, Any] | None = None  # (token, DjangoOrgDirectory)


def org_revision() -> str | None:
    """The current token (None when the row is missing, e.g. after a test flushed the table)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {connection.ops.quote_name(_TABLE)} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def bump_org_revision() -> None:
    """Give the org a new token (inside the caller's transaction, if any)."""
    token = uuid.uuid4().hex
    if not OrgRevision.objects.filter(id=1).update(token=token):
        OrgRevision.objects.update_or_create(id=1, defaults={"token": token})


REVISION_SQL = f"(SELECT token FROM {connection.ops.quote_name(_TABLE)} WHERE id = 1)"
_UNSET: Any = object()


def org_directory(token: str | None = _UNSET) -> Any:
    """A loaded ``DjangoOrgDirectory`` for the current revision, shared while it stays current.

    Treat it as read-only. Without a revision row every call loads a fresh directory.
    ``token`` is the revision when the caller already read it in its own statement
    (``REVISION_SQL`` as a column), saving a query.
    """
    global _snapshot
    from platform_core.org.directory import DjangoOrgDirectory

    if token is _UNSET:
        token = org_revision()
    cached = _snapshot
    if token is not None and cached is not None and cached[0] == token:
        return cached[1]
    directory = DjangoOrgDirectory()
    directory.loaded_at = timezone.now()
    directory.load()
    if token is not None:
        with _lock:
            _snapshot = (token, directory)
    return directory


# --- signal receivers (connected in OrgConfig.ready) ------------------------------------------

_IGNORED_USER_FIELDS = frozenset({"last_login", "password"})


def on_user_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A login (``last_login``) or a password change does not change the org chart."""
    if update_fields and set(update_fields) <= _IGNORED_USER_FIELDS:
        return
    bump_org_revision()


def on_org_changed(sender: Any, **kwargs: Any) -> None:
    """Any other save/delete of an org model, or a change of role membership (after it happened)."""
    action = kwargs.get("action")
    if action is None or action in ("post_add", "post_remove", "post_clear"):
        bump_org_revision()
