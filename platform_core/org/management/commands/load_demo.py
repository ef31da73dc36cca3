"""``manage.py load_demo``: create the demo organisation (safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platform_core.org.demo import data
from platform_core.org.demo.loader import load_demo_org


class Command(BaseCommand):
    help = "Create the demo organisation (about 60 people in 8 departments). Running it again changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_demo_org()
        except Exception as exc:  # one line, non-zero exit: the command's contract
            raise CommandError(f"demo data could not be loaded: {exc}") from exc
        created = ", ".join(f"{k} {v}" for k, v in report.created.items())
        self.stdout.write(f"Demo organisation ready (created: {created}).")
        if not options["quiet_logins"]:
            self.stdout.write(f"Demo logins (password for all: {data.DEMO_PASSWORD}):")
            for username, label in data.FEATURED_LOGINS:
                self.stdout.write(f"  {username:<12} {label}")
