from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignerUiConfig(AppConfig):
    name = "designer_ui"
    label = "designer_ui"
    verbose_name = _("Web UI")
