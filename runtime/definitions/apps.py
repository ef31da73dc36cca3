from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefinitionsConfig(AppConfig):
    name = "runtime.definitions"
    label = "definitions"
    verbose_name = _("Apps and definitions")

    def ready(self) -> None:
        # Tell the dictionary which entries and codes drafts and versions use, so it
        # refuses to delete them (no-op while the dictionary app offers no registry).
        from runtime.definitions import usage

        usage.register()
