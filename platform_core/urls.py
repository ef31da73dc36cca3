"""Top-level URLs: the browser pages, /api/v1/, the OpenAPI schema and docs."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.renderers import JSONRenderer

from designer_ui import views as ui


class SchemaView(SpectacularAPIView):
    """The OpenAPI document; its errors are JSON like every other API error, not YAML."""

    def handle_exception(self, exc):  # type: ignore[no-untyped-def]
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)


urlpatterns = [
    path("", ui.home, name="home"),
    path("", include("designer_ui.urls")),
    path("accounts/", include("platform_core.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("platform_core.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", login_required(SpectacularSwaggerView.as_view(url_name="schema")), name="swagger-ui"),
]

handler400 = "platform_core.api.errors.handler400"
handler403 = "platform_core.api.errors.handler403"
handler404 = "platform_core.api.errors.handler404"
handler500 = "platform_core.api.errors.handler500"
