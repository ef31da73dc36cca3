"""Installing templates as published apps, through the definitions services."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from platform_core.org.models import Role
from runtime.definitions import services
from runtime.definitions.models import App
from templates_library.catalog import template_get, template_keys


@transaction.atomic
def template_install(*, actor: Any, key: str, app_key: str | None = None) -> App:
    """Create the app, save the template's form and flow as its draft and publish version 1.

    The actor needs ``apps.design`` and ``apps.publish`` (templates are audited as theirs).
    Publishing runs the verifier against the live organisation, so a template whose roles
    have no members here is refused with the same errors an admin would see.
    """
    template = template_get(key)
    meta = template.meta
    app = services.app_create(
        actor=actor, key=app_key or meta["key"], name=meta["name"], name_en=meta.get("name_en", ""),
        icon=meta.get("icon", ""), category=meta.get("category", ""), description=meta.get("description", ""),
        visibility=_visibility(meta.get("visibility")), form=template.form, flow=template.flow,
    )
    services.app_publish(actor=actor, app=app, note=f"template:{key}")
    app.refresh_from_db()
    return app


def _visibility(wanted: Any) -> dict[str, Any] | None:
    """The template's suggested starter roles that exist here (who may start it: 任务分配 is for managers).

    Roles the organisation does not have are left out; when none exists the app is open to everyone
    (an admin narrows it in the app settings), rather than refusing to install.
    """
    if not wanted or not wanted.get("roles"):
        return None
    existing = set(Role.objects.filter(code__in=wanted["roles"]).values_list("code", flat=True))
    roles = [code for code in wanted["roles"] if code in existing]
    return {"roles": roles} if roles else None


def templates_install_missing(*, actor: Any) -> list[App]:
    """Install every template whose app key is not taken yet (safe to run again)."""
    taken = set(App.objects.values_list("key", flat=True))
    installed = []
    for key in template_keys():
        if template_get(key).meta["key"] not in taken:
            installed.append(template_install(actor=actor, key=key))
    return installed
