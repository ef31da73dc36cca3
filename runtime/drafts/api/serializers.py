"""Request drafts and favourite apps as the API shows them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from runtime.drafts.models import RequestDraft


class RequestDraftAppSerializer(serializers.Serializer):
    """The app of a draft, as the portal shows it."""

    key = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    icon = serializers.CharField()
    category = serializers.CharField()


class RequestDraftBriefSerializer(serializers.ModelSerializer):
    """A row of the drafts list (no form data)."""

    app = RequestDraftAppSerializer(read_only=True)

    class Meta:
        model = RequestDraft
        fields = ["app", "urgent", "updated_at"]
        read_only_fields = fields


class RequestDraftSerializer(RequestDraftBriefSerializer):
    """A draft with what the start page restores."""

    data = serializers.SerializerMethodField()
    picks = serializers.SerializerMethodField()

    class Meta(RequestDraftBriefSerializer.Meta):
        fields = [*RequestDraftBriefSerializer.Meta.fields, "data", "picks"]

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_data(self, obj: RequestDraft) -> dict[str, Any]:
        return obj.data if isinstance(obj.data, dict) else {}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}})
    def get_picks(self, obj: RequestDraft) -> dict[str, list[str]]:
        picks = obj.picks if isinstance(obj.picks, dict) else {}
        return {str(node): [str(i) for i in ids] for node, ids in picks.items() if isinstance(ids, list)}


class RequestDraftWriteSerializer(serializers.Serializer):
    """Save a draft: the form data as filled in so far (a JSON object; not validated against the form)."""

    data = serializers.JSONField(help_text="The form data so far (a JSON object; may be incomplete).")
    urgent = serializers.BooleanField(required=False, default=False)
    picks = serializers.JSONField(required=False, default=dict,
                                  help_text="{node id: [user ids]}: approvers chosen so far.")


class FavoriteAppsSerializer(serializers.Serializer):
    """The caller's favourite apps (keys, in the order they were starred)."""

    apps = serializers.ListField(child=serializers.CharField())
