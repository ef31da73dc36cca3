"""Reading background jobs: a user sees only their own."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from platform_core.background.exceptions import JobDoesNotExist
from platform_core.background.models import BackgroundJob


def job_list_for(user: Any) -> QuerySet[BackgroundJob]:
    """The user's own jobs, newest first (no joins: the serializer reads only the row)."""
    return BackgroundJob.objects.filter(created_by_id=getattr(user, "pk", None)).order_by("-created_at", "-id")


def job_get_for(user: Any, job_id: Any) -> BackgroundJob:
    """The user's own job, or JobDoesNotExist (also for another user's id: no hint that it exists)."""
    try:
        pk = uuid.UUID(str(job_id))
    except (TypeError, ValueError):
        raise JobDoesNotExist() from None
    job = job_list_for(user).filter(pk=pk).first()
    if job is None:
        raise JobDoesNotExist()
    return job
