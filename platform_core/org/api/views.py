"""Organisation API views: parse, call one service or selector, serialise."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, logout
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import PlatformError, gettext_noop
from platform_core.org import delegations, selectors, services
from platform_core.org.api import serializers as s
from platform_core.org.models import Delegation, Department, Position, Role, User, UserGroup
from platform_core.org.permissions import ORG_MANAGE, has_permission


class LoginFailed(PlatformError):
    code = "login_failed"
    message = gettext_noop("The user name or password is wrong.")


class OrgManageOrReadOnly(permissions.BasePermission):
    """Every signed-in user reads the org; writing needs ``org.manage``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or has_permission(request.user, ORG_MANAGE)


def _meta(request: Request) -> RequestMeta:
    return RequestMeta.from_request(request)


class MeView(APIView):
    """The signed-in user, with roles and permission codes."""

    @extend_schema(responses=s.UserSerializer)
    def get(self, request: Request) -> Response:
        from platform_core.org.permissions import permissions_of

        user = selectors.user_get(request.user.pk)
        data = s.UserSerializer(user, context={"viewer": request.user}).data
        data["permissions"] = sorted(permissions_of(request.user))
        return Response(data)


class TokenView(APIView):
    """Exchange a user name and password for an API token (throttled, brute-force locked)."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=s.TokenRequestSerializer, responses=s.TokenResponseSerializer, auth=[])
    def post(self, request: Request) -> Response:
        body = s.TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(request._request, **body.validated_data)
        if user is None:
            raise LoginFailed()
        token, _ = Token.objects.get_or_create(user=user)
        audit_record(actor=user, action="auth.token", target_type="user", target_id=user.pk,
                     target_label=str(user), meta=_meta(request))
        return Response({"token": token.key, "user": s.UserBriefSerializer(user).data})


class LogoutView(APIView):
    """Sign out: deletes the API token and ends the session."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    """Change one's own password."""

    @extend_schema(request=s.PasswordChangeSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        body = s.PasswordChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.user_change_password(actor=request.user, user=request.user, meta=_meta(request),
                                      **body.validated_data)
        Token.objects.filter(user=request.user).delete()
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


MAX_IDS = 100


def _write_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    # Relations come in as model instances; services take them as fields.
    return dict(data)


@extend_schema(parameters=[
    OpenApiParameter("department", int, description="Members of this department"),
    OpenApiParameter("department_tree", int, description="Members of this department and its sub-departments"),
    OpenApiParameter("role", str, description="Holders of this role code"),
    OpenApiParameter("is_active", bool),
    OpenApiParameter("ids", str, description="Only these users: ids separated by commas (at most 100)"),
])
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Users of the organisation."""

    permission_classes = [OrgManageOrReadOnly]
    serializer_class = s.UserSerializer
    search_fields = ["display_name", "username", "employee_no"]
    ordering_fields = ["employee_no", "display_name", "username", "id"]
    ordering = ["employee_no", "id"]

    def get_queryset(self) -> QuerySet[User]:
        qs = selectors.user_list()
        params = self.request.query_params
        if params.get("department"):
            qs = qs.filter(department_id=_int(params["department"], "department"))
        if params.get("department_tree"):
            dept = selectors.department_get(_int(params["department_tree"], "department_tree"))
            qs = qs.filter(department__path__startswith=dept.path)
        if params.get("role"):
            qs = qs.filter(roles__code=params["role"])
        if params.get("ids"):
            # Names for ids already in a form (a read-only person field shows the name, not the id).
            wanted = [part for part in params["ids"].split(",") if part.strip()]
            if len(wanted) > MAX_IDS:
                raise serializers.ValidationError({"ids": [gettext("At most %(count)s ids.") % {"count": MAX_IDS}]})
            qs = qs.filter(pk__in=[_int(part, "ids") for part in wanted])
        if params.get("is_active") in {"true", "false", "1", "0"}:
            qs = qs.filter(is_active=params["is_active"] in {"true", "1"})
        return qs

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context() | {"viewer": self.request.user}

    @extend_schema(request=s.UserWriteSerializer, responses={201: s.UserSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.UserWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = _write_kwargs(body.validated_data)
        if "username" not in data:
            raise serializers.ValidationError({"username": [_required()]})
        user = services.user_create(actor=request.user, meta=_meta(request), **data)
        return Response(self.get_serializer(selectors.user_get(user.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.UserWriteSerializer, responses=s.UserSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self.get_object()
        body = s.UserWriteSerializer(user, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = _write_kwargs(body.validated_data)
        password = data.pop("password", None)
        # One request, one transaction: a refused password must not leave the role change behind.
        with transaction.atomic():
            user = services.user_update(actor=request.user, user=user, meta=_meta(request), **data)
            if password:
                services.user_set_password(actor=request.user, user=user, password=password, meta=_meta(request))
        return Response(self.get_serializer(selectors.user_get(user.pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("levels", int, description="How many managers up (default 3)")],
        responses=s.ManagerStepSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="manager-chain")
    def manager_chain(self, request: Request, pk: str | None = None) -> Response:
        """The user's managers, nearest first, with why each was chosen."""
        user = self.get_object()
        levels = _int(request.query_params.get("levels", "3"), "levels", lo=1, hi=20)
        steps = services.manager_chain(user, levels=None)[:levels]
        return Response(s.ManagerStepSerializer(steps, many=True).data)


def _required() -> str:
    return gettext("This field is required.")


def _int(value: Any, name: str, *, lo: int | None = None, hi: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise serializers.ValidationError({name: [gettext("A whole number is required.")]}) from None
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise serializers.ValidationError(
            {name: [gettext("Must be between %(lo)s and %(hi)s.") % {"lo": lo, "hi": hi}]}
        )
    return number


class DepartmentViewSet(viewsets.ModelViewSet):
    """Departments (a tree). Writes need ``org.manage``."""

    permission_classes = [OrgManageOrReadOnly]
    serializer_class = s.DepartmentSerializer
    search_fields = ["name", "name_en", "code"]
    ordering_fields = ["path", "name", "order"]
    filterset_fields = ["parent", "is_active"]

    def get_queryset(self) -> QuerySet[Department]:
        return Department.objects.select_related("head", "deputy").annotate(
            member_count=Count("members", filter=Q(members__is_active=True))
        ).order_by("path")

    @extend_schema(request=s.DepartmentCreateSerializer, responses={201: s.DepartmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.DepartmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("is_active", None)
        dept = services.department_create(actor=request.user, meta=_meta(request), **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=dept.pk)).data, status=201)

    @extend_schema(request=s.DepartmentWriteSerializer, responses=s.DepartmentSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        dept = self.get_object()
        body = s.DepartmentWriteSerializer(dept, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        with transaction.atomic():
            if "parent" in data:
                parent = data.pop("parent")
                if parent != dept.parent:
                    services.department_move(actor=request.user, department=dept, parent=parent,
                                             meta=_meta(request))
            if data:
                services.department_update(actor=request.user, department=dept, meta=_meta(request), **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=dept.pk)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.department_delete(actor=request.user, department=self.get_object(), meta=_meta(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.DepartmentTreeSerializer(many=True))
    @action(detail=False, methods=["get"])
    def tree(self, request: Request) -> Response:
        """The whole tree, nested, in one query."""
        nodes: dict[int, dict[str, Any]] = {}
        roots: list[dict[str, Any]] = []
        for dept in self.get_queryset().filter(is_active=True):
            node = {
                "id": dept.pk, "name": dept.name, "name_en": dept.name_en, "code": dept.code,
                "head": s.UserBriefSerializer(dept.head).data if dept.head else None,
                "member_count": dept.member_count, "children": [],
            }
            nodes[dept.pk] = node
            parent = nodes.get(dept.parent_id) if dept.parent_id else None
            (parent["children"] if parent else roots).append(node)
        return Response(roots)

    @extend_schema(responses=s.DepartmentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ancestors(self, request: Request, pk: str | None = None) -> Response:
        """Ancestors from the root down."""
        chain = selectors.department_ancestors(self.get_object())
        return Response(s.DepartmentBriefSerializer(chain, many=True).data)

    @extend_schema(responses=s.DepartmentBriefSerializer(many=True))
    @action(detail=True, methods=["get"])
    def subtree(self, request: Request, pk: str | None = None) -> Response:
        """The department and every department below it."""
        depts = selectors.department_subtree(self.get_object())
        return Response(s.DepartmentBriefSerializer(depts, many=True).data)


class RoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Roles: permission bundles with a data scope."""

    permission_classes = [OrgManageOrReadOnly]
    serializer_class = s.RoleSerializer
    queryset = Role.objects.all()
    search_fields = ["code", "name"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.role_create(actor=self.request.user, meta=_meta(self.request), **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.role_update(
            actor=self.request.user, role=serializer.instance, meta=_meta(self.request), **serializer.validated_data
        )


class PositionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """Positions (岗位)."""

    permission_classes = [OrgManageOrReadOnly]
    serializer_class = s.PositionSerializer
    queryset = Position.objects.all()
    search_fields = ["code", "name"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.position_create(
            actor=self.request.user, meta=_meta(self.request), **serializer.validated_data
        )


class UserGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """User groups (e.g. cc lists). Writes need ``org.manage``."""

    permission_classes = [OrgManageOrReadOnly]
    serializer_class = s.UserGroupSerializer
    queryset = UserGroup.objects.prefetch_related("members")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.user_group_save(
            actor=self.request.user, code=data["code"], name=data["name"], members=data.get("members", []),
            meta=_meta(self.request),
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        group = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.user_group_save(
            actor=self.request.user, group=group, code=data.get("code", group.code),
            name=data.get("name", group.name),
            members=data["members"] if "members" in data else list(group.members.all()),
            meta=_meta(self.request),
        )


# --- delegations (请假代理) ------------------------------------------------------------------

@extend_schema(parameters=[
    OpenApiParameter("user", int, description="Delegations of this away user (others' need org.manage)"),
    OpenApiParameter("active", bool, description="true: only delegations in force now"),
])
class DelegationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Out-of-office delegations: yours (as the away user or the delegate), or everyone's with ``org.manage``."""

    serializer_class = s.DelegationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Delegation]:
        qs = delegations.delegation_list_for(self.request.user)
        params = self.request.query_params
        if params.get("user"):
            qs = qs.filter(user_id=_int(params["user"], "user"))
        if params.get("active") in {"true", "1"}:
            now = timezone.now()
            qs = qs.filter(cancelled_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
        return qs

    def get_object(self) -> Delegation:
        # Someone else's delegation is "not found", exactly like one that does not exist.
        return delegations.delegation_get_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=s.DelegationWriteSerializer, responses={201: s.DelegationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.DelegationWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        delegation = delegations.delegation_create(
            actor=request.user, user=data.get("user") or request.user, delegate=data["delegate"],
            starts_at=data.get("starts_at") or timezone.now(), ends_at=data["ends_at"], app=data.get("app"),
            reason=data.get("reason", ""), meta=_meta(request),
        )
        return Response(self.get_serializer(self._fresh(delegation.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.DelegationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """End the delegation now; tasks already handed to the delegate stay with them."""
        delegation = delegations.delegation_cancel(actor=request.user, delegation=self.get_object(),
                                                   meta=_meta(request))
        return Response(self.get_serializer(self._fresh(delegation.pk)).data)

    def _fresh(self, pk: int) -> Delegation:
        return delegations.delegation_get_for(self.request.user, pk)
