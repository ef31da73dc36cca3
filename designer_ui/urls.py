from django.urls import path, re_path

from designer_ui import views

app_name = "ui"

urlpatterns = [
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("app/", views.spa, name="root"),
    re_path(r"^app/(?P<path>.+)$", views.spa, name="page"),
]
