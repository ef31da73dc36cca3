"""The enterprise data dictionary (数据字典): entries and their coded options.

An entry (``customer_level``) is one shared vocabulary; its options carry a stable
``code`` (what records store and reports group by) and labels (what people read).
Codes never change once created: renaming edits the label only. Every change to an
entry or its options increments the entry's ``version``, which published
definitions pin. All writes go through ``services``; nothing else writes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DictionaryKind(models.TextChoices):
    FLAT = "flat", _("Flat list")
    TREE = "tree", _("Tree")


class DictionaryEntry(models.Model):
    key = models.CharField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DictionaryKind.choices, default=DictionaryKind.FLAT)
    enabled = models.BooleanField(_("enabled"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("dictionary entry")
        verbose_name_plural = _("dictionary entries")

    def __str__(self) -> str:
        return self.name


class DictionaryOption(models.Model):
    """One coded value of an entry; ``parent`` (same entry, no cycles) makes tree entries."""

    entry = models.ForeignKey(
        DictionaryEntry, verbose_name=_("dictionary entry"), on_delete=models.CASCADE, related_name="options"
    )
    code = models.CharField(_("code"), max_length=64)
    label = models.CharField(_("label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    enabled = models.BooleanField(_("enabled"), default=True)
    # RESTRICT, not PROTECT: an option with sub-options is never deleted on its own (services
    # refuse it), yet deleting the whole entry still cascades through the tree.
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.RESTRICT, related_name="children"
    )
    extra = models.JSONField(_("extra data"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "code"], name="dictionary_option_code_unique_per_entry"),
        ]
        indexes = [models.Index(fields=["entry", "order"], name="dictionary_option_order")]
        verbose_name = _("dictionary option")
        verbose_name_plural = _("dictionary options")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"
