"""The Celery app of the scale-out profile: ``celery -A platform_core worker`` / ``beat``.

Configuration comes from Django settings with the ``CELERY_`` prefix (settings.py, "background
work"); tasks are found in the installed apps' ``tasks`` modules (platform_core.background.tasks
holds the periodic jobs). Creating the app connects to nothing: the broker is contacted when a
worker or beat starts or a task is sent. See docs/background.md.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")

app = Celery("qiaoban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _require_broker(**_: Any) -> None:
    # Without a broker setting Celery would quietly try amqp://localhost; say what to set instead.
    from django.conf import settings
    from django.utils.translation import gettext as _

    if not getattr(settings, "CELERY_BROKER_URL", None):
        raise SystemExit(_("Celery needs a broker: set REDIS_URL or CELERY_BROKER_URL "
                           "(without them, use manage.py run_background)."))


worker_init.connect(_require_broker, weak=False)
beat_init.connect(_require_broker, weak=False)
