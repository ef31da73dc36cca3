"""Apps, their working draft and their published (immutable) versions.

An :class:`App` has exactly one :class:`AppDraft` (the designer's working copy, which
may be incomplete) and any number of :class:`AppVersion` rows numbered 1..n. A version
is a frozen snapshot: form and flow documents, the dictionary entries the form uses as
they were at publish time, and the verifier's warnings. Running instances pin a version.

Every stored JSON document carries ``schema_version``: the form and flow documents
their own (see docs/forms.md, docs/flows.md); the app's visibility, a version's
dictionary snapshot and its warnings are wrapped as ``{"schema_version": 1, ...}``.
Only ``services.py`` writes these tables.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from runtime.definitions.exceptions import VersionImmutable

WRAPPER_SCHEMA_VERSION = 1


def empty_visibility() -> dict[str, Any]:
    """Visibility that lets everyone start the app."""
    return {"schema_version": WRAPPER_SCHEMA_VERSION, "departments": [], "roles": [], "users": []}


class App(models.Model):
    """An app: metadata, who may start it, and which version is live."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    icon = models.CharField(_("icon"), max_length=64, blank=True)
    category = models.CharField(_("category"), max_length=64, blank=True, db_index=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # {"schema_version": 1, "departments": [ids], "roles": [codes], "users": [ids]}; all empty = everyone.
    # A department includes its sub-departments.
    visibility = models.JSONField(_("who may start it"), default=empty_visibility)
    is_archived = models.BooleanField(_("archived"), default=False)
    # RESTRICT (not PROTECT): deleting the app deletes its versions in the same cascade.
    published_version = models.ForeignKey(
        "definitions.AppVersion", verbose_name=_("published version"), null=True, blank=True,
        on_delete=models.RESTRICT, related_name="+",
    )
    # Mirrors AppDraft.revision so lists can tell "unpublished changes" without a join.
    draft_revision = models.PositiveIntegerField(_("draft revision"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("app")
        verbose_name_plural = _("apps")

    def __str__(self) -> str:
        return self.name


class AppDraft(models.Model):
    """The designer's working copy of an app (one per app); need not be valid."""

    app = models.OneToOneField(App, on_delete=models.CASCADE, related_name="draft")
    form = models.JSONField(_("form document"))
    flow = models.JSONField(_("flow document"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("app draft")
        verbose_name_plural = _("app drafts")

    def __str__(self) -> str:
        return f"{self.app_id} draft r{self.revision}"


class AppVersionQuerySet(models.QuerySet["AppVersion"]):
    def update(self, **kwargs: Any) -> int:
        """Published versions are never changed, not even in bulk."""
        raise VersionImmutable()


class AppVersion(models.Model):
    """A published, immutable snapshot of an app's definition."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    form = models.JSONField(_("form document"))
    flow = models.JSONField(_("flow document"))
    # {"schema_version": 1, "entries": {"expense_type": {"version", "name", "options": [...]}}}
    dictionary = models.JSONField(_("dictionary snapshot"))
    # {"schema_version": 1, "issues": [issue, ...]}: the verifier's warnings at publish time.
    warnings = models.JSONField(_("warnings"))
    draft_revision = models.PositiveIntegerField(_("published from draft revision"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    rolled_back_from = models.ForeignKey(
        "self", verbose_name=_("rolled back from"), null=True, blank=True, on_delete=models.RESTRICT,
        related_name="+",
    )

    objects = AppVersionQuerySet.as_manager()

    class Meta:
        ordering = ["app_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["app", "number"], name="definitions_version_number_unique")]
        verbose_name = _("app version")
        verbose_name_plural = _("app versions")

    def __str__(self) -> str:
        return f"{self.app_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an existing version is never written again (an invariant, not a business rule)."""
        if not self._state.adding:
            raise VersionImmutable()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    @property
    def dictionary_entries(self) -> dict[str, Any]:
        """The pinned snapshot in the format runtime.forms consumes."""
        return dict((self.dictionary or {}).get("entries") or {})

    @property
    def warning_issues(self) -> list[dict[str, Any]]:
        """The verifier's warnings recorded at publish time."""
        return list((self.warnings or {}).get("issues") or [])
