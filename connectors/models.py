"""Configured connectors: which outside system a flow's service node talks to, and how."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Connector(models.Model):
    """One configured link, named by ``key`` in service nodes (``{"connector": "legal"}``).

    ``config`` holds the kind's settings including secrets (the HMAC key of an ``http``
    connector); only ``services.py`` writes it, after the kind has checked it.
    """

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32)
    config = models.JSONField(_("settings"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("connector")
        verbose_name_plural = _("connectors")

    def __str__(self) -> str:
        return self.key
