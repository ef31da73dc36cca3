from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "platform_core.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # The audit log's background job kind (platform_core/background/registries.py).
        from platform_core.audit.job_types import AuditExportJobType
        from platform_core.background.registries import job_type_registry

        job_type_registry.register(AuditExportJobType())
