"""Reading the audit log: the filtered event query shared by the list and the export."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext

from platform_core.audit.models import AuditEvent
from platform_core.errors import ValidationFailed

# Query parameters understood by ``audit_event_list`` (the API documents the same names).
FILTERS = ("target_type", "target_id", "actor", "action", "from", "to")


def _moment(value: str, name: str, *, end: bool) -> datetime:
    """A date (the whole day, in the server's time zone) or an ISO date-time."""
    try:
        moment = parse_datetime(value)
        day = None if moment is not None else parse_date(value)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ValidationFailed(details={name: [gettext("Use a date (YYYY-MM-DD) or an ISO date-time.")]})
    if moment is None:
        assert day is not None
        # "to" a date includes that whole day: everything before the next midnight.
        moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def audit_event_list(params: Mapping[str, Any] | None = None) -> QuerySet[AuditEvent]:
    """Events matching the filters, newest first.

    ``target_type``, ``target_id`` and ``action`` match exactly; ``actor`` is a user id;
    ``from`` is inclusive, ``to`` exclusive for a date-time and inclusive for a date.
    The caller checks ``audit.read``. No joins: the actor's name is stored on the event.
    """
    params = params or {}
    qs = AuditEvent.objects.order_by("-seq")
    for name in ("target_type", "target_id", "action"):
        value = params.get(name)
        if value:
            qs = qs.filter(**{name: value})
    actor = params.get("actor")
    if actor:
        try:
            qs = qs.filter(actor_id=int(actor))
        except (TypeError, ValueError):
            raise ValidationFailed(details={"actor": [gettext("A whole number is required.")]}) from None
    if params.get("from"):
        qs = qs.filter(at__gte=_moment(params["from"], "from", end=False))
    if params.get("to"):
        to = params["to"]
        qs = qs.filter(at__lt=_moment(to, "to", end=parse_datetime(to) is None))
    return qs


def audit_chain_status() -> dict[str, Any]:
    """``{"intact", "first_broken_seq", "events"}`` of the whole chain (reads every event)."""
    from platform_core.audit.services import audit_verify_chain

    intact, broken = audit_verify_chain()
    return {"intact": intact, "first_broken_seq": broken, "events": AuditEvent.objects.count()}
