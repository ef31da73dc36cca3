from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "connectors"
    label = "connectors"
    verbose_name = _("Connectors")

    def ready(self) -> None:
        # Fill the connector kind registry once (STYLE 7); adding a kind is one class in connector_types/.
        from connectors.connector_types import register_builtin_kinds

        register_builtin_kinds()
