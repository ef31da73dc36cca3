"""Serializers of the data-dictionary API: shapes only; the services validate and decide.

Labels and names are data: returned exactly as stored, in both languages.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from platform_core.dictionary.models import DictionaryEntry, DictionaryKind, DictionaryOption


@extend_schema_field({"type": "string", "enum": list(DictionaryKind.values)}, component_name="DictionaryKind")
class KindField(serializers.ChoiceField):
    """``flat`` or ``tree``; its own schema component, so it never collides with another app's ``kind`` enum."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=DictionaryKind.choices, **kwargs)


class DictionaryOptionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Code of the parent option (tree entries)."
    )

    class Meta:
        model = DictionaryOption
        fields = ["code", "label", "label_en", "order", "enabled", "parent", "extra", "updated_at"]


class DictionaryOptionNodeSerializer(DictionaryOptionSerializer):
    children = serializers.ListField(
        child=serializers.DictField(), required=False,
        help_text="With ?tree=1 only: the sub-options, same shape, nested.",
    )

    class Meta(DictionaryOptionSerializer.Meta):
        fields = [*DictionaryOptionSerializer.Meta.fields, "children"]


class DictionaryEntrySerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)
    option_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = DictionaryEntry
        fields = [
            "key", "name", "name_en", "description", "kind", "enabled", "version", "option_count",
            "created_at", "updated_at",
        ]


class DictionaryEntryDetailSerializer(DictionaryEntrySerializer):
    options = serializers.SerializerMethodField()

    class Meta(DictionaryEntrySerializer.Meta):
        fields = [*DictionaryEntrySerializer.Meta.fields, "options"]

    @extend_schema_field(DictionaryOptionSerializer(many=True))
    def get_options(self, entry: DictionaryEntry) -> Any:
        # The view passes the options in display order (one query, see selectors.option_list).
        return DictionaryOptionSerializer(self.context.get("options", []), many=True).data


class DictionaryEntryWriteSerializer(serializers.Serializer):
    # Formats are checked by the services (they name the field); here only types and lengths.
    key = serializers.CharField(max_length=64, required=False, help_text="Immutable after creation.")
    name = serializers.CharField(max_length=100, required=False)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    kind = KindField(required=False)
    enabled = serializers.BooleanField(required=False)


class DictionaryEntryCreateSerializer(DictionaryEntryWriteSerializer):
    key = serializers.CharField(max_length=64, help_text="Identifier such as customer_level; cannot change later.")
    name = serializers.CharField(max_length=100)


class DictionaryOptionWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, required=False, help_text="Immutable after creation.")
    label = serializers.CharField(max_length=200, required=False)
    label_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    order = serializers.IntegerField(min_value=0, required=False)
    enabled = serializers.BooleanField(required=False)
    parent = serializers.CharField(
        max_length=64, required=False, allow_null=True, allow_blank=True,
        help_text="Code of the parent option (tree entries); null for the top level.",
    )
    extra = serializers.JSONField(required=False, help_text="A JSON object of extra attributes.")


class DictionaryOptionCreateSerializer(DictionaryOptionWriteSerializer):
    code = serializers.CharField(max_length=64, help_text="Stable code stored by records; cannot change later.")
    label = serializers.CharField(max_length=200)


class DictionaryReorderSerializer(serializers.Serializer):
    codes = serializers.ListField(
        child=serializers.CharField(max_length=64), allow_empty=False, max_length=5000,
        help_text="Every option under one parent (or the top level), in the new order.",
    )


class DictionaryUsageSerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    total = serializers.IntegerField()
    sources = serializers.DictField(child=serializers.IntegerField(), help_text="Count per registered source.")
    uses = serializers.ListField(
        child=serializers.DictField(), help_text="Where: {source, app, app_name, version (null: draft), fields}; "
        "at most 100, for dictionary managers and app designers only (others get an empty list).")
