from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefinitionsConfig(AppConfig):
    name = "runtime.definitions"
    label = "definitions"
    verbose_name = _("Apps and definitions")
