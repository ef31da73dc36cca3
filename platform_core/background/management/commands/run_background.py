"""``manage.py run_background``: the embedded runner of the periodic jobs (no broker needed).

Loops until SIGTERM/SIGINT, calling each job (outbox delivery, timers, notification digests)
on its interval; ``--once`` calls each job once and exits (0 when every job ran, 1 when one
failed). ``make run`` starts it beside daphne through ``manage.py serve``.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platform_core.background.jobs import JOBS, JOBS_BY_NAME, Job, format_counts
from platform_core.background.runner import Runner, Stopper, stop_on_signals


def _one_line_errors(parser: CommandParser, prog: str) -> CommandParser:
    def error(message: str) -> NoReturn:
        # One line, not argparse's usage block: this runs under process supervisors.
        sys.stderr.write(f"{prog}: {message}\n")
        sys.exit(2)

    parser.error = error  # type: ignore[method-assign]
    return parser


def parse_jobs(value: str | None) -> list[Job]:
    """``--jobs a,b`` → the named jobs in table order; every job when not given."""
    if not value:
        return list(JOBS)
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in JOBS_BY_NAME]
    if unknown or not names:
        raise CommandError(_("Unknown job “%(name)s”; the jobs are: %(jobs)s.") % {
            "name": ", ".join(unknown) or value, "jobs": ", ".join(JOBS_BY_NAME)})
    return [job for job in JOBS if job.name in names]


def parse_intervals(values: list[str], jobs: list[Job]) -> dict[str, float]:
    """``--interval name=seconds`` (repeatable) over the settings' intervals."""
    intervals = {job.name: job.interval() for job in jobs}
    for item in values:
        name, sep, seconds = item.partition("=")
        name = name.strip()
        if not sep or name not in JOBS_BY_NAME:
            raise CommandError(_("--interval takes JOB=SECONDS with a job from: %(jobs)s (got “%(value)s”).") % {
                "jobs": ", ".join(JOBS_BY_NAME), "value": item})
        try:
            number = float(seconds)
        except ValueError:
            number = 0.0
        if not number > 0 or number == float("inf"):
            raise CommandError(_("The interval of %(name)s must be a positive number of seconds, not “%(value)s”.")
                               % {"name": name, "value": seconds})
        if name in intervals:
            intervals[name] = number
    return intervals


class Command(BaseCommand):
    help = "Run the periodic background jobs (outbox delivery, timers, digests) until stopped, or --once."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return _one_line_errors(super().create_parser(prog_name, subcommand, **kwargs), subcommand)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="call each job once and exit")
        parser.add_argument("--jobs", help=f"comma-separated subset of: {', '.join(JOBS_BY_NAME)} (default: all)")
        parser.add_argument("--interval", action="append", default=[], metavar="JOB=SECONDS",
                            help="override a job's interval (repeatable; defaults: settings.BACKGROUND_INTERVALS)")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = parse_jobs(options["jobs"])
        intervals = parse_intervals(options["interval"], jobs)
        stopper = Stopper()
        runner = Runner(jobs=jobs, intervals=intervals, stopper=stopper)
        try:
            if options["once"]:
                self._once(runner)
            else:
                self._loop(runner, stopper)
        finally:
            stopper.close()

    def _once(self, runner: Runner) -> None:
        with stop_on_signals(runner.stopper):
            outcomes = runner.run_round()
        for outcome in outcomes:
            if outcome.ok:
                self.stdout.write(f"{outcome.job.name}: {format_counts(outcome.counts or {})}")
            else:
                self.stdout.write(f"{outcome.job.name}: error {type(outcome.error).__name__}: {outcome.error}")
        failed = [outcome.job.name for outcome in outcomes if not outcome.ok]
        if failed:
            self.stdout.flush()
            sys.stderr.write(_("run_background: failed: %(jobs)s") % {"jobs": ", ".join(failed)} + "\n")
            sys.exit(1)

    def _loop(self, runner: Runner, stopper: Stopper) -> None:
        schedule = ", ".join(f"{job.name} / {runner.intervals[job.name]:g} s" for job in runner.jobs)
        self.stdout.write(_("Background runner started (%(schedule)s); Ctrl-C or SIGTERM stops it.")
                          % {"schedule": schedule})
        self.stdout.flush()
        try:
            with stop_on_signals(stopper):
                runner.loop()
        except KeyboardInterrupt:  # a second Ctrl-C: stop without waiting for the job in progress
            self.stdout.write(_("Background runner interrupted."))
            sys.exit(130)
        self.stdout.write(_("Background runner stopped."))
        self.stdout.flush()
