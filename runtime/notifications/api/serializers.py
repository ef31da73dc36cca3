"""Serializers of the notifications API (no business rules: services decide)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from rest_framework import serializers

from platform_core.org.models import Department
from runtime.notifications.models import DigestMode, ImPlatform, ImRobot, Notification, NotificationKind
from runtime.notifications.templates import normalise_language, render


class NotificationSerializer(serializers.ModelSerializer):
    """One notification with its text in the request's language (plain text: render it as text)."""

    subject = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "instance_id", "task_id", "node_id", "subject", "body", "url", "params", "read",
                  "read_at", "created_at"]
        read_only_fields = fields

    def _rendered(self, obj: Notification) -> Any:
        cache = self.context.setdefault("_rendered", {})
        if obj.pk not in cache:
            cache[obj.pk] = render(obj.kind, obj.params, lang=normalise_language(get_language()), fmt="text")
        return cache[obj.pk]

    def get_subject(self, obj: Notification) -> str:
        return self._rendered(obj).subject

    def get_body(self, obj: Notification) -> str:
        return self._rendered(obj).body

    def get_url(self, obj: Notification) -> str | None:
        return self._rendered(obj).url

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    """The signed-in user's notification settings; in-app notifications are always on."""

    in_app = serializers.BooleanField(read_only=True, default=True)
    email_enabled = serializers.BooleanField(required=False)
    im_enabled = serializers.BooleanField(required=False)
    quiet_start = serializers.TimeField(required=False, allow_null=True, format="%H:%M")
    quiet_end = serializers.TimeField(required=False, allow_null=True, format="%H:%M")
    digest = serializers.ChoiceField(choices=DigestMode.choices, required=False)
    digest_time = serializers.TimeField(required=False, allow_null=True, format="%H:%M")
    time_zone = serializers.SerializerMethodField()

    def get_time_zone(self, obj: Any) -> str:
        from django.conf import settings

        return str(settings.TIME_ZONE)


class RobotSerializer(serializers.ModelSerializer):
    """An IM group robot. ``secret`` is write-only; ``has_secret`` tells whether one is stored."""

    secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    has_secret = serializers.SerializerMethodField()
    platform = serializers.ChoiceField(choices=ImPlatform.choices)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), allow_null=True,
                                                    required=False)
    # Notification kinds (new_task, reminder, ...); empty: every kind. Plain strings in the schema
    # (one enum per choice set: the notification's own ``kind`` already names it).
    kinds = serializers.ListField(child=serializers.CharField(max_length=32), required=False,
                                  max_length=len(NotificationKind.values))
    webhook_url = serializers.URLField(max_length=1000)

    class Meta:
        model = ImRobot
        fields = ["id", "name", "platform", "webhook_url", "secret", "has_secret", "department", "kinds",
                  "is_active", "created_at", "updated_at"]
        read_only_fields = ["id", "has_secret", "created_at", "updated_at"]

    def get_has_secret(self, obj: ImRobot) -> bool:
        return bool(obj.secret)

    def validate_kinds(self, value: list[str]) -> list[str]:
        from django.utils.translation import gettext

        unknown = [k for k in value if k not in NotificationKind.values]
        if unknown:
            raise serializers.ValidationError(gettext("Unknown notification kind: %(kind)s.") % {"kind": unknown[0]})
        return list(dict.fromkeys(value))

    def validate_webhook_url(self, value: str) -> str:
        from urllib.parse import urlsplit

        from django.utils.translation import gettext

        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise serializers.ValidationError(gettext("The webhook URL must start with http:// or https://."))
        return value
