"""Reads of apps and versions, and who may see or start what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from platform_core.org.models import Department
from platform_core.org.permissions import APPS_DESIGN, APPS_PUBLISH, has_permission
from runtime.definitions.documents import TASK_NODE_TYPES, node_config, start_node
from runtime.definitions.exceptions import AppDoesNotExist, AppNotPublished, AppVersionDoesNotExist
from runtime.definitions.models import App, AppDraft, AppVersion


def is_designer(user: Any) -> bool:
    """Designers and publishers manage apps: they see drafts, versions and archived apps."""
    return has_permission(user, APPS_DESIGN) or has_permission(user, APPS_PUBLISH)


def app_get(key: str) -> App:
    """Return an app by key or raise AppDoesNotExist."""
    try:
        return app_list().get(key=key)
    except (App.DoesNotExist, ValueError, TypeError):
        raise AppDoesNotExist(params={"key": key}) from None


def draft_get(app: App) -> AppDraft:
    """Return the app's draft (every app has one)."""
    return AppDraft.objects.select_related("updated_by").get(app=app)


def app_list() -> QuerySet[App]:
    """Every app with what the list shows, without N+1 queries."""
    return App.objects.select_related(
        "owner", "published_version", "published_version__published_by", "published_version__rolled_back_from"
    )


@dataclass(frozen=True)
class StarterFacts:
    """What visibility rules look at about a user: id, role codes, own department and its ancestors."""

    user_id: int
    role_codes: frozenset[str]
    department_ids: frozenset[int]

    @classmethod
    def of(cls, user: Any) -> StarterFacts:
        """Read the facts of a user in two queries (cached on the user object for the request)."""
        cached = getattr(user, "_qiaoban_starter_facts", None)
        if cached is not None:
            return cached
        roles = frozenset(user.roles.values_list("code", flat=True))
        departments: frozenset[int] = frozenset()
        if user.department_id is not None:
            path = Department.objects.filter(pk=user.department_id).values_list("path", flat=True).first() or ""
            departments = frozenset(int(part) for part in path.strip("/").split("/") if part)
        facts = cls(user.pk, roles, departments)
        user._qiaoban_starter_facts = facts
        return facts


def visibility_allows(visibility: Mapping[str, Any] | None, facts: StarterFacts) -> bool:
    """True when the visibility lets the user start the app (everything empty: everyone).

    A listed department includes its sub-departments: the user's department or any of its
    ancestors must be listed.
    """
    visibility = visibility or {}
    departments = {_int(v) for v in visibility.get("departments") or []}
    roles = set(visibility.get("roles") or [])
    users = {_int(v) for v in visibility.get("users") or []}
    if not (departments or roles or users):
        return True
    return facts.user_id in users or bool(roles & facts.role_codes) or bool(departments & facts.department_ids)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def startable_apps(user: Any) -> QuerySet[App]:
    """Published, non-archived apps the user may start (visibility is filtered in Python: JSON lists)."""
    facts = StarterFacts.of(user)
    candidates = App.objects.filter(is_archived=False, published_version__isnull=False)
    ids = [pk for pk, visibility in candidates.values_list("pk", "visibility") if visibility_allows(visibility, facts)]
    return app_list().filter(pk__in=ids)


def app_list_for(user: Any, *, startable_only: bool = False) -> QuerySet[App]:
    """Designers see every app (drafts and archived too); everyone else what they may start."""
    if is_designer(user) and not startable_only:
        return app_list()
    return startable_apps(user)


def app_can_start(user: Any, app: App) -> bool:
    """True when the app is published, not archived and its visibility admits the user."""
    if app.is_archived or app.published_version_id is None:
        return False
    return visibility_allows(app.visibility, StarterFacts.of(user))


def app_get_startable(user: Any, key: str) -> App:
    """The app if the user may start it; otherwise AppDoesNotExist (no hint that it exists)."""
    app = app_get(key)
    if not app_can_start(user, app):
        if app.published_version_id is None and is_designer(user):
            raise AppNotPublished()
        raise AppDoesNotExist(params={"key": key})
    return app


def version_list(app: App) -> QuerySet[AppVersion]:
    """The app's versions, newest first."""
    return AppVersion.objects.filter(app=app).select_related("published_by", "rolled_back_from").order_by("-number")


def version_get(app: App, number: int | str) -> AppVersion:
    """Return version ``number`` of the app or raise AppVersionDoesNotExist."""
    try:
        return AppVersion.objects.select_related("published_by", "rolled_back_from").get(app=app, number=int(number))
    except (AppVersion.DoesNotExist, ValueError, TypeError):
        raise AppVersionDoesNotExist(params={"number": number}) from None


def version_latest_number(app: App) -> int:
    """The highest version number of the app (0 when never published)."""
    latest = AppVersion.objects.filter(app=app).order_by("-number").values_list("number", flat=True).first()
    return latest or 0


def published_form_for(user: Any, key: str) -> dict[str, Any]:
    """What filling in an app needs (and nothing more): the published form, its pinned
    dictionary snapshot, the rights at the start node, and the nodes whose approvers the
    initiator picks. AppDoesNotExist unless the user may start the app."""
    app = app_get_startable(user, key)
    version = app.published_version
    assert version is not None  # app_get_startable guarantees it
    start = start_node(version.flow)
    return {
        "app": app,
        "version": version.number,
        "form": version.form,
        "dictionary": version.dictionary_entries,
        "field_rights": dict(node_config(start).get("fields") or {}) if start else {},
        "picks": initiator_picks(version.flow),
    }


def initiator_picks(flow: Any) -> list[dict[str, Any]]:
    """Task nodes whose approvers the initiator chooses at submission (the form must ask for them)."""
    picks = []
    for node in flow.get("nodes") or [] if isinstance(flow, Mapping) else []:
        if not isinstance(node, Mapping) or node.get("type") not in TASK_NODE_TYPES:
            continue
        for rule in node_config(node).get("assignees") or []:
            if isinstance(rule, Mapping) and rule.get("rule") == "initiator_picks":
                picks.append({"node_id": node.get("id"), "name": node.get("name") or {},
                              "multiple": bool(rule.get("multiple", False)), "role": rule.get("role")})
    return picks
