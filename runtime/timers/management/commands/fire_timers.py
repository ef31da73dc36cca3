"""``manage.py fire_timers``: fire due timers (reminders, escalations, auto-transfers, timeouts, delays)."""

from __future__ import annotations

import sys
import time
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from runtime.timers.services import timers_fire


def _positive(value: str, name: str, kind: type) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise CommandError(f"--{name} must be a positive number, not “{value}”") from None
    if number <= 0:
        raise CommandError(f"--{name} must be a positive number, not “{value}”")
    return number


class Command(BaseCommand):
    help = "Fire due timers: one batch with --once, or a batch every --interval seconds."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            # One line, not argparse's usage block: this runs under process supervisors.
            sys.stderr.write(f"fire_timers: {message}\n")
            sys.exit(2)

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="fire one batch and exit")
        parser.add_argument("--interval", default="30", help="seconds between batches when looping (default 30)")
        parser.add_argument("--limit", default="500", help="timers per batch (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = _positive(options["interval"], "interval", float)
        limit = _positive(options["limit"], "limit", int)
        if options["once"]:
            self._report(timers_fire(limit=limit).as_dict(), always=True)
            return
        try:
            while True:
                close_old_connections()
                counts = timers_fire(limit=limit).as_dict()
                self._report(counts, always=False)
                if counts["claimed"] < limit:  # a full batch means more are due: go on at once
                    time.sleep(interval)
        except KeyboardInterrupt:
            return

    def _report(self, counts: dict[str, int], *, always: bool) -> None:
        if always or counts["claimed"]:
            self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
