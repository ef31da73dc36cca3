from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "platform_core.realtime"
    label = "realtime"
    verbose_name = _("Real-time updates")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from platform_core.realtime.signals import user_saved

        post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="realtime.user_saved")
