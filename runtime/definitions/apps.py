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

        # The background job kind of app imports (platform_core/background/registries.py).
        from platform_core.background.registries import job_type_registry
        from runtime.definitions.job_types import AppImportJobType

        job_type_registry.register(AppImportJobType())
