"""Serializers of the audit API: shapes only."""

from __future__ import annotations

from rest_framework import serializers

from platform_core.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "actor", "actor_label", "action", "target_type", "target_id", "target_label",
                  "before", "after", "ip", "user_agent", "prev_hash", "hash"]
        read_only_fields = fields


class AuditVerifySerializer(serializers.Serializer):
    intact = serializers.BooleanField()
    first_broken_seq = serializers.IntegerField(allow_null=True)
    events = serializers.IntegerField()
