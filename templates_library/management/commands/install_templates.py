"""``manage.py install_templates``: publish the ready-made apps that are not installed yet."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platform_core.errors import PlatformError
from platform_core.org.models import User
from templates_library.install import templates_install_missing


class Command(BaseCommand):
    help = "Install the ready-made apps (purchase, leave, travel) as published apps. Running it again changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as", dest="username", default="admin",
                            help="The user the installs are done (and audited) as; needs apps.design and apps.publish.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user named {options['username']!r} (run load_demo, or pass --as)")
        try:
            installed = templates_install_missing(actor=actor)
        except PlatformError as exc:
            raise CommandError(f"templates could not be installed: {exc.formatted()} {exc.details or ''}") from exc
        names = ", ".join(f"{app.name} ({app.key})" for app in installed) or "none (all present)"
        self.stdout.write(f"App templates installed: {names}.")
