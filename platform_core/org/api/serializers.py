"""Serializers of the organisation API: shapes only, no business rules."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from platform_core.org.models import DataScope, Delegation, Department, Position, Role, User, UserGroup
from platform_core.org.permissions import ORG_MANAGE, PERMISSIONS, has_permission
from runtime.definitions.models import App


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "employee_no"]


class DepartmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "name_en", "code"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "code", "name", "name_en"]


class RoleSerializer(serializers.ModelSerializer):
    permissions = serializers.ListField(child=serializers.ChoiceField(choices=list(PERMISSIONS)), required=False)
    data_scope = serializers.ChoiceField(choices=DataScope.choices, required=False)

    class Meta:
        model = Role
        fields = ["id", "code", "name", "name_en", "permissions", "data_scope", "data_scope_rule", "is_system"]
        read_only_fields = ["is_system"]


class RoleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["id", "code", "name", "name_en"]


class UserSerializer(serializers.ModelSerializer):
    """A user as colleagues see them; contact details only for themselves and org admins."""

    name = serializers.CharField(read_only=True)
    department = DepartmentBriefSerializer(read_only=True)
    position = PositionSerializer(read_only=True)
    manager = UserBriefSerializer(read_only=True)
    backup = UserBriefSerializer(read_only=True)
    roles = RoleBriefSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id", "username", "name", "display_name", "employee_no", "email", "phone", "department",
            "position", "manager", "backup", "roles", "is_active", "language",
        ]

    def to_representation(self, instance: User) -> dict[str, Any]:
        data = super().to_representation(instance)
        viewer = self.context.get("viewer")
        if viewer is None or (viewer.pk != instance.pk and not has_permission(viewer, ORG_MANAGE)):
            data.pop("email", None)
            data.pop("phone", None)
        return data


class UserWriteSerializer(serializers.Serializer):
    """What an org admin may set on a user."""

    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150, required=False)
    password = serializers.CharField(write_only=True, required=False, min_length=8, max_length=128)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employee_no = serializers.CharField(max_length=32, required=False, allow_null=True, allow_blank=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all(), required=False, allow_null=True)
    manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    # 备选人 for auto-transfer timers: another active user (checked again by the service)
    backup = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                allow_null=True)
    roles = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), many=True, required=False)
    is_active = serializers.BooleanField(required=False)
    language = serializers.ChoiceField(choices=["", "zh-hans", "en"], required=False)

    def validate_backup(self, value: User | None) -> User | None:
        if value is not None and self.instance is not None and value.pk == self.instance.pk:
            raise serializers.ValidationError(_("A user cannot be their own backup."))
        return value

    def validate_username(self, value: str) -> str:
        qs = User.objects.filter(username=value)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise serializers.ValidationError(_("This user name is taken."))
        return value

    def validate_employee_no(self, value: str | None) -> str | None:
        if value is None:
            return None
        qs = User.objects.filter(employee_no=value)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise serializers.ValidationError(_("This employee number is taken."))
        return value


class DepartmentSerializer(serializers.ModelSerializer):
    head = UserBriefSerializer(read_only=True)
    deputy = UserBriefSerializer(read_only=True)
    member_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Department
        fields = [
            "id", "name", "name_en", "code", "parent", "head", "deputy", "order", "path", "depth",
            "is_active", "member_count",
        ]


class DepartmentWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    code = serializers.SlugField(max_length=64, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    head = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    deputy = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    order = serializers.IntegerField(min_value=0, required=False)
    is_active = serializers.BooleanField(required=False)

    def validate_code(self, value: str) -> str:
        qs = Department.objects.filter(code=value)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise serializers.ValidationError(_("This code is taken."))
        return value


class DepartmentCreateSerializer(DepartmentWriteSerializer):
    name = serializers.CharField(max_length=100)
    code = serializers.SlugField(max_length=64)


class DepartmentTreeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    code = serializers.CharField()
    head = UserBriefSerializer(allow_null=True)
    member_count = serializers.IntegerField()
    children = serializers.ListField(child=serializers.DictField(), help_text="Nested departments, same shape.")


class UserGroupSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)

    class Meta:
        model = UserGroup
        fields = ["id", "code", "name", "members"]


class ManagerStepSerializer(serializers.Serializer):
    user = UserBriefSerializer()
    department = DepartmentBriefSerializer(allow_null=True)
    reason = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = UserBriefSerializer()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)



# --- delegations (请假代理) ------------------------------------------------------------------

class DelegationAppSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class DelegationSerializer(serializers.ModelSerializer):
    """A delegation as its people and org admins see it; ``status`` is computed at read time."""

    user = UserBriefSerializer(read_only=True)
    delegate = UserBriefSerializer(read_only=True)
    app = DelegationAppSerializer(read_only=True, allow_null=True, help_text="null: every app")
    status = serializers.SerializerMethodField()
    created_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Delegation
        fields = ["id", "user", "delegate", "app", "starts_at", "ends_at", "reason", "status", "cancelled_at",
                  "created_by", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["scheduled", "active", "ended", "cancelled"]))
    def get_status(self, obj: Delegation) -> str:
        return obj.status_at(timezone.now())


class DelegationWriteSerializer(serializers.Serializer):
    """Create a delegation: who is away (default: yourself), who acts, when, and for which app."""

    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False,
        help_text="The away user; default yourself (someone else needs org.manage).",
    )
    delegate = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    starts_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    ends_at = serializers.DateTimeField(help_text="Exclusive: the delegation ends by itself at this time.")
    app = serializers.SlugRelatedField(
        slug_field="key", queryset=App.objects.all(), required=False, allow_null=True,
        help_text="App key; null or absent: every app.",
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
