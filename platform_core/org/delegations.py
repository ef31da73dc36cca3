"""Out-of-office delegation (请假代理): writes, reads, and the engine's ``delegate_for`` lookup.

A :class:`~platform_core.org.models.Delegation` says "while ``user`` is away, from
``starts_at`` until ``ends_at`` (exclusive), new tasks of ``user`` (for ``app``, or for
every app when ``app`` is null) go to ``delegate``". It ends by itself; cancelling ends it
early. Only *new* tasks are rerouted (the engine's ``create_task``): tasks already in
someone's inbox stay where they are, and signers added by 加签 are not delegated.

Rules enforced by :func:`delegation_create`:

- ``delegate`` is not ``user``; ``ends_at`` is after ``starts_at`` and in the future;
  both people are active;
- no two live (not cancelled, not ended) delegations of the same user with the same
  scope (the same app, or both all-apps) overlap in time. An app-specific delegation may
  overlap an all-apps one: for that app it wins;
- no loop: the new delegation must not close a cycle A→B→…→A with delegations that are
  live at the same time and apply to a common app (A→B and B→A is the simplest case).

Chains (A→B while B→C) are followed by the lookup for at most :data:`MAX_HOPS` steps:
a task of A goes to C. The lookup never passes an inactive delegate (it stops at the last
active person of the chain), and a loop that slipped past the check (two concurrent
creations on different people) makes it return ``None`` (the task stays with A).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import InvalidTransition, NotFound, ValidationFailed, gettext_noop
from platform_core.org.models import Delegation, User
from platform_core.org.permissions import ORG_MANAGE, has_permission, require_permission

if TYPE_CHECKING:
    from runtime.engine.context import DelegateFor

# How many delegations the lookup follows from the away user: A→B→C→D at most.
MAX_HOPS = 3


# --- errors ----------------------------------------------------------------------------------

class DelegationDoesNotExist(NotFound):
    code = "delegation_not_found"
    message = gettext_noop("Delegation not found.")


class DelegationInvalid(ValidationFailed):
    code = "delegation_invalid"
    message = gettext_noop("The delegation is not valid.")

    TO_SELF = gettext_noop("The delegate must be someone other than the person who is away.")
    ENDS_BEFORE_START = gettext_noop("The end of a delegation must be after its start.")
    ENDED = gettext_noop("The end of a delegation must be in the future.")
    NAIVE = gettext_noop("Start and end need a time zone.")
    INACTIVE = gettext_noop("%(user)s is not active and cannot take part in a delegation.")


class DelegationOverlap(ValidationFailed):
    code = "delegation_overlap"
    message = gettext_noop(
        "%(user)s already has a delegation to %(delegate)s from %(starts)s to %(ends)s for the same apps; "
        "cancel it or choose other dates."
    )


class DelegationCycle(ValidationFailed):
    code = "delegation_cycle"
    message = gettext_noop(
        "%(delegate)s already delegates back to %(user)s (%(chain)s) during this time; "
        "delegations must not go round in a loop."
    )


class DelegationNotCancellable(InvalidTransition):
    code = "delegation_not_cancellable"
    message = gettext_noop("This delegation was already cancelled.")

    ENDED = gettext_noop("This delegation has already ended.")


# --- helpers ---------------------------------------------------------------------------------

def _local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _check_actor(actor: Any, user: User, system: bool) -> bool:
    """Allow people to manage their own delegations; anyone else's needs ``org.manage``.

    Returns True when the write is an admin override (audited as such).
    """
    if system:
        return False
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.pk == user.pk:
        return False
    require_permission(actor, ORG_MANAGE)
    return True


def _snapshot(delegation: Delegation, app_key: str | None) -> dict[str, Any]:
    return {
        "user_id": delegation.user_id, "delegate_id": delegation.delegate_id,
        "starts_at": delegation.starts_at, "ends_at": delegation.ends_at, "app": app_key,
        "reason": delegation.reason,
    }


@dataclass(frozen=True)
class _Edge:
    user: int
    delegate: int
    starts: datetime
    ends: datetime
    app: int | None


def _find_cycle(
    *, user_id: int, delegate_id: int, starts: datetime, ends: datetime, app_id: int | None
) -> list[int] | None:
    """The chain delegate→…→user that a new delegation user→delegate would close, or None.

    A path counts only if its delegations are live together at some moment inside the new
    window and apply to a common app (an all-apps delegation applies to every app). One
    query; the search runs in memory over the (few) overlapping live delegations.
    """
    scope = Q() if app_id is None else Q(app__isnull=True) | Q(app_id=app_id)
    rows = Delegation.objects.filter(
        scope, cancelled_at__isnull=True, starts_at__lt=ends, ends_at__gt=starts
    ).values_list("user_id", "delegate_id", "starts_at", "ends_at", "app_id")
    out: dict[int, list[_Edge]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(_Edge(*row))
    # Depth-first over (person, window, scope); a person is not revisited on one path.
    stack: list[tuple[int, datetime, datetime, int | None, list[int]]] = [
        (delegate_id, starts, ends, app_id, [delegate_id])
    ]
    seen: set[tuple[int, datetime, datetime, int | None]] = set()
    while stack:
        person, lo, hi, app, path = stack.pop()
        if (person, lo, hi, app) in seen:
            continue
        seen.add((person, lo, hi, app))
        for edge in out.get(person, ()):
            new_lo, new_hi = max(lo, edge.starts), min(hi, edge.ends)
            if new_lo >= new_hi:
                continue
            if app is not None and edge.app is not None and edge.app != app:
                continue
            new_app = app if app is not None else edge.app
            if edge.delegate == user_id:
                return [*path, user_id]
            if edge.delegate not in path:
                stack.append((edge.delegate, new_lo, new_hi, new_app, [*path, edge.delegate]))
    return None


# --- writes ----------------------------------------------------------------------------------

def delegation_create(
    *, actor: Any, user: User, delegate: User, starts_at: datetime, ends_at: datetime, app: Any = None,
    reason: str = "", system: bool = False, meta: RequestMeta | None = None,
) -> Delegation:
    """Let ``delegate`` act for ``user`` (new tasks) from ``starts_at`` until ``ends_at``, for ``app`` or all apps."""
    override = _check_actor(actor, user, system)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DelegationInvalid(DelegationInvalid.NAIVE, details={"field": "starts_at"})
    if delegate.pk == user.pk:
        raise DelegationInvalid(DelegationInvalid.TO_SELF, details={"field": "delegate"})
    if ends_at <= starts_at:
        raise DelegationInvalid(DelegationInvalid.ENDS_BEFORE_START, details={"field": "ends_at"})
    now = timezone.now()
    if ends_at <= now:
        raise DelegationInvalid(DelegationInvalid.ENDED, details={"field": "ends_at"})
    with transaction.atomic():
        # Lock both people (in id order, so two creations never wait on each other in a
        # circle): creations touching the same person serialise, so the overlap and
        # A→B / B→A checks below cannot both pass in two concurrent requests.
        people = {
            u.pk: u for u in User.objects.select_for_update().filter(pk__in=[user.pk, delegate.pk]).order_by("pk")
        }
        for person, field in ((user, "user"), (delegate, "delegate")):
            locked = people.get(person.pk)
            if locked is None or not locked.is_active:
                raise DelegationInvalid(DelegationInvalid.INACTIVE, params={"user": str(person)},
                                        details={"field": field})
        # Only the part from now on matters: an overlap with a delegation that has already
        # ended changes nothing any more.
        window_start = max(starts_at, now)
        app_id = getattr(app, "pk", None)
        clash = (
            Delegation.objects.filter(
                user_id=user.pk, cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=window_start,
            )
            .filter(Q(app__isnull=True) if app_id is None else Q(app_id=app_id))
            .select_related("delegate")
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            raise DelegationOverlap(
                params={"user": str(user), "delegate": str(clash.delegate), "starts": _local(clash.starts_at),
                        "ends": _local(clash.ends_at)},
                details={"delegation_id": clash.pk, "starts_at": clash.starts_at.isoformat(),
                         "ends_at": clash.ends_at.isoformat()},
            )
        chain = _find_cycle(user_id=user.pk, delegate_id=delegate.pk, starts=window_start, ends=ends_at,
                            app_id=app_id)
        if chain is not None:
            names = {u.pk: str(u) for u in User.objects.filter(pk__in=chain)}
            raise DelegationCycle(
                params={"user": str(user), "delegate": str(delegate),
                        "chain": " → ".join(names.get(pk, str(pk)) for pk in chain)},
                details={"chain": chain},
            )
        delegation = Delegation.objects.create(
            user=user, delegate=delegate, starts_at=starts_at, ends_at=ends_at, app=app, reason=reason,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor, action="delegation.create", target_type="delegation", target_id=delegation.pk,
            target_label=str(delegation),
            after=_snapshot(delegation, getattr(app, "key", None)) | {"admin_override": override}, meta=meta,
        )
    return delegation


def delegation_cancel(
    *, actor: Any, delegation: Delegation, system: bool = False, meta: RequestMeta | None = None
) -> Delegation:
    """End a delegation now (or before it starts); tasks already delegated stay with the delegate."""
    override = _check_actor(actor, delegation.user, system)
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().select_related("user", "delegate").get(pk=delegation.pk)
        now = timezone.now()
        if locked.cancelled_at is not None:
            raise DelegationNotCancellable()
        if locked.ends_at <= now:
            raise DelegationNotCancellable(DelegationNotCancellable.ENDED)
        locked.cancelled_at = now
        locked.save(update_fields=["cancelled_at"])
        audit_record(
            actor=actor, action="delegation.cancel", target_type="delegation", target_id=locked.pk,
            target_label=str(locked), before={"cancelled_at": None},
            after={"cancelled_at": now, "admin_override": override}, meta=meta,
        )
    return locked


# --- reads -----------------------------------------------------------------------------------

def delegation_list_for(viewer: Any) -> QuerySet[Delegation]:
    """Delegations the viewer may see: all with ``org.manage``, else those they are away in or act in."""
    qs = Delegation.objects.select_related("user", "delegate", "app", "created_by")
    if has_permission(viewer, ORG_MANAGE):
        return qs
    return qs.filter(Q(user_id=viewer.pk) | Q(delegate_id=viewer.pk))


def delegation_get_for(viewer: Any, delegation_id: Any) -> Delegation:
    """One delegation the viewer may see, else DelegationDoesNotExist (never a hint that it exists)."""
    try:
        return delegation_list_for(viewer).get(pk=int(delegation_id))
    except (Delegation.DoesNotExist, ValueError, TypeError):
        raise DelegationDoesNotExist() from None


# --- the engine's lookup ---------------------------------------------------------------------

class DelegateLookup:
    """``delegate_for(user_id, app_key, now)`` over the delegations live at one moment.

    The first call loads every live delegation in one query (with the delegate's active
    flag and the app key); later calls answer from memory. Never called, it costs nothing.
    Use one instance per engine step: it does not see delegations created after loading.
    """

    def __init__(self, now: datetime | None = None, directory: Any = None) -> None:
        self._now = now
        self._directory = directory  # an org_directory() snapshot: its delegations are reused
        # (user id, app key or None) -> [(starts, ends, delegate id, delegate active)]
        self._rows: dict[tuple[str, str | None], list[tuple[datetime, datetime, str, bool]]] | None = None

    def _load(self, now: datetime) -> dict[tuple[str, str | None], list[tuple[datetime, datetime, str, bool]]]:
        # With an org snapshot (platform_core.org.revision), the delegations not yet ended when
        # it was loaded are read once per org revision (creating or cancelling a delegation
        # changes the revision) and filtered by time in memory by _step.
        directory = self._directory
        loaded_at = getattr(directory, "loaded_at", None)
        if loaded_at is not None and now >= loaded_at:
            rows = directory.extras.get("delegations")
            if rows is None:
                rows = directory.extras["delegations"] = self._query(
                    Delegation.objects.filter(cancelled_at__isnull=True, ends_at__gt=loaded_at))
            return rows
        return self._query(Delegation.objects.filter(cancelled_at__isnull=True, starts_at__lte=now, ends_at__gt=now))

    @staticmethod
    def _query(qs: Any) -> dict[tuple[str, str | None], list[tuple[datetime, datetime, str, bool]]]:
        rows: dict[tuple[str, str | None], list[tuple[datetime, datetime, str, bool]]] = defaultdict(list)
        qs = qs.values_list("user_id", "app__key", "starts_at", "ends_at", "delegate_id", "delegate__is_active")
        for user_id, app_key, starts, ends, delegate_id, active in qs:
            rows[(str(user_id), app_key)].append((starts, ends, str(delegate_id), bool(active)))
        return dict(rows)

    def _step(self, user_id: str, app_key: str | None, now: datetime) -> tuple[str, bool] | None:
        assert self._rows is not None
        # An app-specific delegation wins over an all-apps one.
        for key in ((user_id, app_key), (user_id, None)) if app_key is not None else ((user_id, None),):
            for starts, ends, delegate_id, active in self._rows.get(key, ()):
                if starts <= now < ends:
                    return delegate_id, active
        return None

    def __call__(self, user_id: str, app_key: str | None, now: datetime) -> str | None:
        if self._rows is None:
            if self._now is None:
                self._now = now
            self._rows = self._load(self._now)
        current, seen = None, {str(user_id)}
        person = str(user_id)
        for _ in range(MAX_HOPS):
            found = self._step(person, app_key, now)
            if found is None:
                break
            delegate_id, active = found
            if delegate_id in seen:
                return None  # a loop (refused at creation, but concurrent writes could make one)
            if not active:
                break  # never hand a task past someone who cannot act
            seen.add(delegate_id)
            current = person = delegate_id
        return current


def delegate_lookup(*, now: datetime | None = None, directory: Any = None) -> DelegateFor:
    """The engine's ``delegate_for`` for one step; loads lazily, in one query, the delegations live at ``now``.

    Given the step's ``org_directory()`` snapshot, the query runs once per org revision instead.
    """
    return DelegateLookup(now, directory)
