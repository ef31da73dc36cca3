from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    name = "platform_core.background"
    label = "background"
    verbose_name = _("Background work")

    def ready(self) -> None:
        # What the Celery-Django guide does in the project's __init__ (make our app the current
        # one, so a shared task sent from a web process uses our broker settings), done here:
        # platform_core/__init__.py is imported by the pure-Python engine and must not pull in
        # Celery. Only with a broker configured: the embedded profile sends no tasks and need
        # not pay Celery's import time (~0.2 s) on every manage.py run. Celery connects lazily.
        if getattr(settings, "CELERY_BROKER_URL", None):
            from platform_core.celery import app  # noqa: F401
