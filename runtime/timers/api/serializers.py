"""Serializers of the working-calendar API: shapes only."""

from __future__ import annotations

from rest_framework import serializers

from runtime.timers.models import CalendarDay

# "kind" is a plain string in the schema (holiday | workday; the service checks it): an enum named
# "kind" would collide with other apps' "kind" enums in the OpenAPI document.
KIND_HELP = "holiday | workday"


class CalendarDaySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)

    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name"]


class CalendarDayWriteSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField(max_length=16, help_text=KIND_HELP)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class WorkingHoursSerializer(serializers.Serializer):
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M")
