"""The REST API under /api/v1/: one router; each platform app contributes its routes."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from platform_core.org.api import views as org

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("users", org.UserViewSet, basename="user")
router.register("departments", org.DepartmentViewSet, basename="department")
router.register("roles", org.RoleViewSet, basename="role")
router.register("positions", org.PositionViewSet, basename="position")
router.register("groups", org.UserGroupViewSet, basename="group")
router.register("delegations", org.DelegationViewSet, basename="delegation")

urlpatterns = [
    path("me/", org.MeView.as_view(), name="me"),
    path("auth/token/", org.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", org.LogoutView.as_view(), name="auth-logout"),
    path("auth/password/", org.PasswordChangeView.as_view(), name="auth-password"),
    path("", include(router.urls)),
    path("", include("platform_core.dictionary.api.urls")),
    path("", include("runtime.definitions.api.urls")),
    path("", include("runtime.instances.api.urls")),
    path("", include("platform_core.audit.api.urls")),
    path("", include("runtime.notifications.api.urls")),
    path("", include("runtime.timers.api.urls")),
    path("", include("platform_core.background.api.urls")),
    path("", include("runtime.files.api.urls")),
    path("", include("runtime.drafts.api.urls")),
]
