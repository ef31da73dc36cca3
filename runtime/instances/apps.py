from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstancesConfig(AppConfig):
    name = "runtime.instances"
    label = "instances"
    verbose_name = _("Records, instances and tasks")
