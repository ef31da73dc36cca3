from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "runtime.drafts"
    label = "drafts"
    verbose_name = _("Request drafts and favourite apps")
