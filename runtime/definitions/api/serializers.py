"""Serializers of the apps API: shapes only, no business rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from platform_core.org.api.serializers import UserBriefSerializer
from platform_core.org.models import User
from runtime.definitions.models import App, AppDraft, AppVersion

Document = serializers.JSONField


class VisibilitySerializer(serializers.Serializer):
    departments = serializers.ListField(child=serializers.IntegerField(), required=False,
                                        help_text="Department ids (sub-departments included).")
    roles = serializers.ListField(child=serializers.CharField(max_length=64), required=False,
                                  help_text="Role codes.")
    users = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="User ids.")


class VersionBriefSerializer(serializers.ModelSerializer):
    published_by = UserBriefSerializer(read_only=True)
    rolled_back_from = serializers.IntegerField(source="rolled_back_from.number", read_only=True, allow_null=True,
                                                default=None)
    warning_count = serializers.SerializerMethodField()

    class Meta:
        model = AppVersion
        fields = ["number", "published_by", "published_at", "note", "draft_revision", "rolled_back_from",
                  "warning_count"]

    def get_warning_count(self, obj: AppVersion) -> int:
        return len(obj.warning_issues)


class AppSerializer(serializers.ModelSerializer):
    """An app as designers see it."""

    owner = UserBriefSerializer(read_only=True)
    visibility = VisibilitySerializer(read_only=True)
    published_version = VersionBriefSerializer(read_only=True, allow_null=True)
    has_unpublished_changes = serializers.SerializerMethodField()

    class Meta:
        model = App
        fields = ["id", "key", "name", "name_en", "icon", "category", "description", "owner", "visibility",
                  "is_archived", "published_version", "draft_revision", "has_unpublished_changes", "created_at",
                  "updated_at"]

    def get_has_unpublished_changes(self, obj: App) -> bool:
        version = obj.published_version
        return version is None or version.draft_revision != obj.draft_revision


class AppPublicSerializer(serializers.ModelSerializer):
    """An app as the people who may start it see it."""

    version = serializers.IntegerField(source="published_version.number", read_only=True)

    class Meta:
        model = App
        fields = ["key", "name", "name_en", "icon", "category", "description", "version"]


class AppCreateSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=64, help_text="Lower-case letters, digits, “-” and “_”; fixed once created.")
    name = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    icon = serializers.CharField(max_length=64, required=False, allow_blank=True)
    category = serializers.CharField(max_length=64, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    visibility = VisibilitySerializer(required=False)


class AppUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    icon = serializers.CharField(max_length=64, required=False, allow_blank=True)
    category = serializers.CharField(max_length=64, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    visibility = VisibilitySerializer(required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)


class AppCopySerializer(serializers.Serializer):
    key = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=100, required=False)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)


class DraftSerializer(serializers.ModelSerializer):
    form = Document(help_text="The form document (JSON Schema + UI schema), see docs/forms.md.")
    flow = Document(help_text="The flow document (nodes, edges, layout), see docs/flows.md.")
    updated_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AppDraft
        fields = ["form", "flow", "revision", "updated_by", "updated_at"]


class DraftWriteSerializer(serializers.Serializer):
    expected_revision = serializers.IntegerField(min_value=1, help_text="The revision the edit started from.")
    form = Document(required=False, help_text="Omit to keep the stored form.")
    flow = Document(required=False, help_text="Omit to keep the stored flow.")


class IssueSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=["form", "flow"])
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField(help_text="Translated, parameters filled in.")
    params = serializers.DictField()
    node_id = serializers.CharField(allow_null=True)
    edge_id = serializers.CharField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    pointer = serializers.CharField(allow_null=True, help_text="JSON pointer into the form document.")


class VerifyResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="True when nothing stops publishing.")
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    issues = IssueSerializer(many=True)


class PublishSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    expected_revision = serializers.IntegerField(min_value=1, required=False,
                                                 help_text="Refuse if the draft changed since this revision.")


class VersionSerializer(VersionBriefSerializer):
    form = Document(read_only=True)
    flow = Document(read_only=True)
    dictionary = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta(VersionBriefSerializer.Meta):
        fields = [*VersionBriefSerializer.Meta.fields, "form", "flow", "dictionary", "warnings"]

    def get_dictionary(self, obj: AppVersion) -> dict[str, Any]:
        return obj.dictionary_entries

    def get_warnings(self, obj: AppVersion) -> list[dict[str, Any]]:
        from runtime.definitions.verification import localize

        return localize(obj.warning_issues)


class ChangeListSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.DictField())
    removed = serializers.ListField(child=serializers.DictField())
    changed = serializers.ListField(child=serializers.DictField(), help_text="Each with “changes”: {what: {from, to}}.")


class DiffSerializer(serializers.Serializer):
    a = serializers.CharField()
    b = serializers.CharField()
    fields = ChangeListSerializer()
    nodes = ChangeListSerializer()
    edges = ChangeListSerializer()
    form_layout_changed = serializers.BooleanField()
    flow_layout_changed = serializers.BooleanField()


class RollbackSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    expected_revision = serializers.IntegerField(min_value=1, required=False,
                                                 help_text="Refuse if the draft changed since this revision.")


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The .json file made by export.")


class ImportResultSerializer(serializers.Serializer):
    app = AppSerializer()
    report = serializers.DictField(help_text="Key changes, unmapped references, dictionary merge, verification.")


class PublishedFormSerializer(serializers.Serializer):
    app = AppPublicSerializer()
    version = serializers.IntegerField()
    form = Document()
    dictionary = serializers.DictField(help_text="The pinned snapshot of the entries the form uses.")
    field_rights = serializers.DictField(child=serializers.CharField(), help_text="Rights at the start node.")
    picks = serializers.ListField(child=serializers.DictField(),
                                  help_text="Nodes whose approvers the initiator chooses when submitting.")


def _version_field() -> serializers.CharField:
    return serializers.CharField(
        required=False, default="draft", help_text="“draft”, “published” or a version number."
    )


class RoutePreviewRequestSerializer(serializers.Serializer):
    data = serializers.DictField(required=False, default=dict, help_text="The form as filled so far.")
    urgent = serializers.BooleanField(required=False, default=False)
    picks = serializers.DictField(child=serializers.ListField(child=serializers.CharField(max_length=64)),
                                  required=False, default=dict)


class RoutePreviewStepSerializer(serializers.Serializer):
    node_id = serializers.CharField()
    type = serializers.CharField(help_text="approval | handle | cc")
    name = serializers.DictField(child=serializers.CharField())
    mode = serializers.CharField(allow_null=True)
    people = serializers.ListField(child=serializers.DictField())
    auto_approved = serializers.BooleanField()


class RoutePreviewSerializer(serializers.Serializer):
    steps = RoutePreviewStepSerializer(many=True)
    complete = serializers.BooleanField(help_text="The route reaches an end.")
    needs_more = serializers.BooleanField(help_text="A condition reads a field not filled in yet.")
    blocked = serializers.BooleanField(help_text="The request would get stuck (e.g. nobody to approve).")
    message = serializers.CharField(allow_null=True)


class SimulateSerializer(serializers.Serializer):
    data = serializers.DictField(required=False, default=dict, help_text="Form values (computed fields are filled in).")
    initiator = serializers.CharField(max_length=64, help_text="User id of the person submitting.")
    urgent = serializers.BooleanField(required=False, default=False)
    version = _version_field()
    department = serializers.CharField(max_length=64, required=False, allow_null=True, default=None,
                                       help_text="Department id the request is filed from (default: the initiator's).")
    picks = serializers.DictField(child=serializers.ListField(child=serializers.CharField(max_length=64)),
                                  required=False, default=dict)
    decisions = serializers.DictField(child=serializers.ChoiceField(choices=["approve", "reject"]),
                                      required=False, default=dict)
    now = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_version(self, value: str) -> str | int:
        return parse_version(value)


def parse_version(value: Any) -> str | int:
    if value in ("draft", "published"):
        return str(value)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise serializers.ValidationError(_("Use “draft”, “published” or a version number."))
    return number


class SampleSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    data = serializers.DictField(required=False, default=dict)
    initiator = serializers.CharField(max_length=64)
    urgent = serializers.BooleanField(required=False, default=False)
    department = serializers.CharField(max_length=64, required=False, allow_null=True, default=None)


class SimulateBatchSerializer(serializers.Serializer):
    samples = SampleSerializer(many=True, allow_empty=False, max_length=100)
    now = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SimulationSerializer(serializers.Serializer):
    version = serializers.CharField()
    initiator = serializers.DictField()
    path = serializers.ListField(child=serializers.CharField())
    steps = serializers.ListField(child=serializers.DictField(),
                                  help_text="Each node: status, approvers (ids, people with names, trace), gateway, "
                                            "timers.")
    outcome = serializers.CharField(allow_null=True)
    end_node = serializers.CharField(allow_null=True)
    blocked = serializers.BooleanField()
    blocking = serializers.ListField(child=serializers.DictField())
    skipped_urgent = serializers.ListField(child=serializers.CharField())
    parallel = serializers.ListField(child=serializers.DictField())
    now = serializers.CharField()
    urgent = serializers.BooleanField()
    assumptions = serializers.ListField(child=serializers.CharField())
    submission = serializers.DictField(help_text="{valid, errors, data}: the sample as a submission.")


class SimulationBatchSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.DictField())
    differing = serializers.IntegerField()
    total = serializers.IntegerField()
    published_version = serializers.IntegerField()


class FieldTypeSerializer(serializers.Serializer):
    """One entry of the form designer's palette (runtime.forms.palette)."""

    type = serializers.CharField(help_text="The x-type registry key.")
    label = serializers.DictField(child=serializers.CharField(), help_text="{zh, en}")
    value_kind = serializers.CharField()
    schema = serializers.JSONField(help_text="The default property of a new field.")
    ui = serializers.JSONField(help_text="The default UI-schema entry of a new field.")
    capabilities = serializers.JSONField(help_text="keywords, required_keywords, column_allowed, has_value, "
                                                   "accepts_required_if, accepts_default, report_role, caps.")
