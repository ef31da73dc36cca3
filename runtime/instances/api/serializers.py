"""Request and response shapes of the instances API (translation only: no business rules)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from runtime.instances.models import Instance, Task
from runtime.instances.selectors import task_planned_start

ACTIONS = ("approve", "reject", "return", "transfer", "add_signer", "remove_signer", "comment")


# --- requests ---------------------------------------------------------------------------------

class SubmitSerializer(serializers.Serializer):
    app = serializers.SlugField(max_length=64, help_text=_("The app's key."))
    data = serializers.JSONField(help_text=_("The form data."))
    urgent = serializers.BooleanField(default=False)
    picks = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                  help_text=_("Node id → the users the initiator chose."))
    request_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    form_patch = serializers.JSONField(required=False, help_text=_("Fields editable at this step."))
    to_user = serializers.CharField(max_length=64, required=False, help_text=_("transfer: the new assignee."))
    users = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=50,
                                  help_text=_("add_signer: the signers."))
    position = serializers.ChoiceField(choices=("before", "after"), required=False)
    target = serializers.CharField(max_length=64, required=False,
                                   help_text=_("return: initiator, previous or an earlier node id."))
    request_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    expected_version = serializers.IntegerField(required=False, min_value=0)


class InstanceCommandSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    request_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    expected_version = serializers.IntegerField(required=False, min_value=0)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)
    request_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CcSerializer(serializers.Serializer):
    users = serializers.ListField(child=serializers.CharField(max_length=32), min_length=1, max_length=100)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    request_id = serializers.CharField(required=False, allow_blank=True, max_length=100)


class RetrySerializer(InstanceCommandSerializer):
    node_id = serializers.CharField(max_length=64)
    form_patch = serializers.DictField(required=False)


class ResubmitSerializer(InstanceCommandSerializer):
    data = serializers.JSONField(help_text=_("The edited form data."))


class BatchApproveSerializer(serializers.Serializer):
    task_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=100)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    request_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


# --- responses ---------------------------------------------------------------------------------

class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.name} if user is not None else None


class TaskSerializer(serializers.ModelSerializer):
    # Plain strings: choice enums named "status" collide with other apps' in the OpenAPI schema.
    status = serializers.CharField(help_text="pending | suspended | waiting | approved | done | rejected | cancelled")
    assignee = serializers.SerializerMethodField()
    original_assignee = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ("id", "engine_id", "node_id", "node_name", "assignee", "original_assignee", "status", "kind",
                  "created_at", "completed_at", "due_at", "action", "comment")

    @extend_schema_field(PersonSerializer)
    def get_assignee(self, obj: Task) -> dict[str, Any] | None:
        return person(obj.assignee)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_original_assignee(self, obj: Task) -> dict[str, Any] | None:
        return person(obj.original_assignee) if obj.original_assignee_id else None


class ScheduleQuerySerializer(serializers.Serializer):
    """Query of the task timeline: which tasks (scope, app) and which days."""

    MAX_DAYS = 366

    scope = serializers.ChoiceField(choices=["mine", "visible"], default="mine")
    start = serializers.DateField()
    end = serializers.DateField()
    app = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end date is before the start date.")]})
        if (attrs["end"] - attrs["start"]).days >= self.MAX_DAYS:
            raise serializers.ValidationError(
                {"end": [_("A timeline covers at most %(days)s days.") % {"days": self.MAX_DAYS}]}
            )
        return attrs


class ScheduleRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    urgent = serializers.BooleanField()
    app = serializers.DictField(child=serializers.CharField(), help_text="key and name")
    initiator = PersonSerializer()


class ScheduleTaskSerializer(serializers.ModelSerializer):
    """One bar of the timeline: a task from creation to completion (or now/its due time)."""

    status = serializers.CharField(help_text="pending | suspended | waiting | approved | done | rejected")
    assignee = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    planned_start = serializers.SerializerMethodField(
        help_text="The planned start (a date or date-time) when the step names a start field, else null")
    request = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ("id", "node_id", "node_name", "status", "kind", "assignee", "created_at", "completed_at", "due_at",
                  "planned_start", "overdue", "request")

    def get_planned_start(self, obj: Task) -> str | None:
        return task_planned_start(obj)

    @extend_schema_field(PersonSerializer)
    def get_assignee(self, obj: Task) -> dict[str, Any] | None:
        return person(obj.assignee)

    def get_overdue(self, obj: Task) -> bool:
        """Past its due time: still open now, or completed after it."""
        if obj.due_at is None:
            return False
        return (obj.completed_at or self.context["now"]) > obj.due_at

    @extend_schema_field(ScheduleRequestSerializer)
    def get_request(self, obj: Task) -> dict[str, Any]:
        instance = obj.instance
        return {"id": instance.pk, "title": instance.title, "status": instance.status, "urgent": instance.urgent,
                "app": {"key": instance.app.key, "name": instance.app.name}, "initiator": person(instance.initiator)}


class ScheduleSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    now = serializers.DateTimeField()
    truncated = serializers.BooleanField(help_text="More tasks matched than the timeline shows (narrow it down)")
    results = ScheduleTaskSerializer(many=True)


class AppRefSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    icon = serializers.CharField()
    version = serializers.IntegerField()


class InstanceListSerializer(serializers.ModelSerializer):
    """A row of an inbox: no form data (field rights are per node; the detail applies them)."""

    app = serializers.SerializerMethodField()
    status = serializers.CharField(help_text="running | blocked | error | returned | completed | withdrawn")
    outcome = serializers.CharField(help_text="approved | rejected | withdrawn, or empty while running")
    initiator = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()
    current_tasks = serializers.SerializerMethodField()
    my_tasks = serializers.SerializerMethodField()

    class Meta:
        model = Instance
        fields = ("id", "title", "app", "status", "outcome", "urgent", "initiator", "department", "version",
                  "created_at", "updated_at", "completed_at", "current_tasks", "my_tasks")

    @extend_schema_field(AppRefSerializer)
    def get_app(self, obj: Instance) -> dict[str, Any]:
        return {"key": obj.app.key, "name": obj.app.name, "name_en": obj.app.name_en, "icon": obj.app.icon,
                "version": obj.app_version.number}

    @extend_schema_field(PersonSerializer)
    def get_initiator(self, obj: Instance) -> dict[str, Any] | None:
        return person(obj.initiator)

    @extend_schema_field(OpenApiTypes.STR)
    def get_department(self, obj: Instance) -> str | None:
        return obj.initiator_department.name if obj.initiator_department_id else None

    @extend_schema_field(TaskSerializer(many=True))
    def get_current_tasks(self, obj: Instance) -> list[dict[str, Any]]:
        return TaskSerializer(getattr(obj, "open_tasks", []), many=True).data

    @extend_schema_field(TaskSerializer(many=True))
    def get_my_tasks(self, obj: Instance) -> list[dict[str, Any]]:
        return TaskSerializer(getattr(obj, "my_tasks", []), many=True).data


class TimelineEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    type = serializers.CharField()
    at = serializers.DateTimeField()
    actor = PersonSerializer(allow_null=True)
    node_id = serializers.CharField(allow_null=True)
    node_name = serializers.CharField(allow_null=True)
    task_id = serializers.CharField(allow_null=True)
    action = serializers.CharField(allow_null=True)
    comment = serializers.CharField(allow_null=True)
    duration_seconds = serializers.IntegerField(allow_null=True)
    details = serializers.DictField(help_text=_(
        "Depends on the type: patched fields, assignee and gateway traces, ... A value read from a field "
        "the viewer may not see is replaced by {\"hidden\": true}."))


class InstanceDetailSerializer(InstanceListSerializer):
    """The request as the viewer may see it: form data after field rights, the pinned form and
    dictionary (so an old request renders with the version it started on), tasks, timeline."""

    data = serializers.SerializerMethodField()
    field_rights = serializers.SerializerMethodField()
    form = serializers.SerializerMethodField()
    dictionary = serializers.SerializerMethodField()
    diagram = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(InstanceListSerializer.Meta):
        fields = (*InstanceListSerializer.Meta.fields, "data", "field_rights", "form", "dictionary", "diagram",
                  "tasks", "timeline")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, obj: Instance) -> dict[str, Any]:
        return self.context["visible_data"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_form(self, obj: Instance) -> dict[str, Any]:
        """The form document of the version the request started on, without the fields hidden from the viewer."""
        return self.context["form"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_dictionary(self, obj: Instance) -> dict[str, Any]:
        """The version's pinned dictionary snapshot (as ``apps/{key}/published/`` returns it)."""
        return self.context["dictionary"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_diagram(self, obj: Instance) -> dict[str, Any]:
        """The flow as a picture (nodes, edges, canvas layout; no configs or conditions)."""
        return self.context["diagram"]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_field_rights(self, obj: Instance) -> dict[str, str]:
        # Hidden fields are not even named.
        return {k: v for k, v in self.context["rights"].items() if v != "hidden"}

    @extend_schema_field(TaskSerializer(many=True))
    def get_tasks(self, obj: Instance) -> list[dict[str, Any]]:
        return TaskSerializer(self.context["tasks"], many=True).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, obj: Instance) -> list[dict[str, Any]]:
        return TimelineEntrySerializer(self.context["timeline"], many=True).data


class CountsSerializer(serializers.Serializer):
    todo = serializers.IntegerField()
    done = serializers.IntegerField()
    started = serializers.IntegerField()
    cc = serializers.IntegerField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(allow_null=True)


class BatchResultSerializer(serializers.Serializer):
    task_id = serializers.IntegerField()
    ok = serializers.BooleanField()
    instance_id = serializers.IntegerField(required=False)
    version = serializers.IntegerField(required=False)
    error = ErrorSerializer(required=False)
