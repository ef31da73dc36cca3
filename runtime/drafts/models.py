"""The end user's own workspace state: unsent request drafts (草稿) and favourite apps (常用).

Both are private to their owner, never validated against the form (a draft may be
incomplete) and never seen by anyone else. Only ``services.py`` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def empty_object() -> dict[str, object]:
    return {}


class RequestDraft(models.Model):
    """What a person filled in for an app and has not submitted yet (one per person and app)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    app = models.ForeignKey("definitions.App", verbose_name=_("app"), on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(_("form data"), default=empty_object)
    urgent = models.BooleanField(_("urgent"), default=False)
    # {node id: [user ids]}: approvers the initiator chose, as the submit body's "picks".
    picks = models.JSONField(_("chosen approvers"), default=empty_object)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("request draft")
        verbose_name_plural = _("request drafts")
        constraints = [models.UniqueConstraint(fields=["user", "app"], name="request_draft_one_per_app")]
        indexes = [models.Index(fields=["user", "-updated_at"], name="request_draft_user_updated")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.app_id}"


class FavoriteApp(models.Model):
    """An app a person starred (常用)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    app = models.ForeignKey("definitions.App", verbose_name=_("app"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("favourite app")
        verbose_name_plural = _("favourite apps")
        constraints = [models.UniqueConstraint(fields=["user", "app"], name="favorite_app_one_per_app")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.app_id}"
