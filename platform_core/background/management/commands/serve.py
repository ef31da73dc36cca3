"""``manage.py serve``: the embedded profile's two processes, daphne and the background runner.

A small supervisor (what ``make run`` calls): it starts ``daphne`` and ``manage.py
run_background`` as child processes and

- on SIGINT or SIGTERM sends each child SIGTERM once, waits for them (``--grace`` seconds,
  then SIGKILL), and exits 0; a second signal kills the children at once;
- when either child exits on its own, stops the other and exits 1 (a web server without
  its background work, or the reverse, is not a working install);
- on Linux, children get SIGTERM from the kernel if the supervisor itself dies (even by
  SIGKILL): no orphans keep the port or the database;
- with ``--follow-parent`` (what ``make run`` uses), stops as if signalled when its parent
  starts handling SIGINT/SIGTERM/SIGHUP or dies. GNU make passes SIGTERM on to its recipe
  but not SIGINT (it relies on the terminal sending Ctrl-C to the whole process group, and
  then waits for the recipe forever); a SIGINT sent to make's pid alone, by a script or an
  IDE's stop button, would otherwise leave make waiting and everything running. A caught
  signal is visible in ``/proc/<ppid>/status`` (``SigCgt``): make resets the handler of the
  signal it is dying of, so the bit disappears (a signal that arrived while Django was still
  starting shows as a make with that signal at its default disposition).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platform_core.background.runner import IN_PROCESS_ENV, Stopper, stop_on_signals

PR_SET_PDEATHSIG = 1


def _signal_masks(pid: int) -> tuple[int, int] | None:
    """(caught, ignored) signal masks of ``pid`` from Linux ``/proc``, or None when unknown."""
    masks: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _sep, value = line.partition(":")
            if key in {"SigCgt", "SigIgn"}:
                masks[key] = int(value.strip(), 16)
    except (OSError, ValueError):
        return None
    if len(masks) != 2:
        return None
    return masks["SigCgt"], masks["SigIgn"]


def _bit(sig: int) -> int:
    return 1 << (sig - 1)


class ParentWatch:
    """Notices that the parent process dies or starts handling a fatal signal (see the module doc)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.ppid = os.getppid()
        masks = _signal_masks(self.ppid)
        caught, ignored = masks or (0, 0)
        self.watched = [sig for sig in self.SIGNALS if caught & _bit(sig)]
        # make catches or ignores each of these from its start; one at the default disposition
        # means it was signalled before we looked (while Django was starting) and is dying.
        try:
            is_make = Path(f"/proc/{self.ppid}/comm").read_text().strip() in {"make", "gmake"}
        except OSError:
            is_make = False
        self.signalled_early = bool(masks) and is_make and any(
            not (caught | ignored) & _bit(sig) for sig in self.SIGNALS)

    def gone(self) -> bool:
        """Whether the parent has died or stopped catching one of the signals it caught at start."""
        if self.signalled_early or os.getppid() != self.ppid:
            return True
        masks = _signal_masks(self.ppid)
        return masks is not None and any(not masks[0] & _bit(sig) for sig in self.watched)


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux for SIGTERM when the parent dies (else nothing)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "Serve Qiaoban: daphne plus the background runner, as supervised child processes (Ctrl-C stops both)."
    requires_system_checks: list[str] = []  # the children run the checks; starting fast matters here

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            sys.stderr.write(f"serve: {message}\n")
            sys.exit(2)

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address daphne binds (default 127.0.0.1)")
        parser.add_argument("--port", default="8000", help="port daphne listens on (default 8000)")
        parser.add_argument("--grace", default="30", help="seconds children get to stop before SIGKILL (default 30)")
        parser.add_argument("--no-background", action="store_true", help="serve without the background runner")
        parser.add_argument("--follow-parent", action="store_true",
                            help="stop when the parent process (make) is signalled or dies")

    def handle(self, *args: Any, **options: Any) -> None:
        port, grace = options["port"], options["grace"]
        if not str(port).isdigit() or not 0 < int(port) < 65536:
            raise CommandError(_("--port must be a number from 1 to 65535, not “%(value)s”.") % {"value": port})
        try:
            grace_seconds = float(grace)
        except ValueError:
            grace_seconds = -1.0
        if not 0 <= grace_seconds < float("inf"):
            raise CommandError(_("--grace must be a number of seconds, not “%(value)s”.") % {"value": grace})
        host = options["host"]

        commands = {"daphne": [sys.executable, "-m", "daphne", "-b", host, "-p", str(port),
                               "platform_core.asgi:application"]}
        env: dict[str, dict[str, str]] = {}
        if not options["no_background"]:
            if settings.REDIS_URL:
                # Several processes share websocket events through Redis: a process of its own.
                commands["run_background"] = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"),
                                              "run_background"]
            else:
                # In-memory channel layer: only daphne's own process can push to its sockets, so
                # the jobs run in a thread there (platform_core.background.runner.start_in_thread).
                env["daphne"] = {**os.environ, IN_PROCESS_ENV: "1"}
        parent = ParentWatch() if options["follow_parent"] else None  # before anything slow
        stopper = Stopper()
        children: dict[str, subprocess.Popen[bytes]] = {}
        code = 0
        try:
            with stop_on_signals(stopper, (signal.SIGTERM,)):
                # SIGINT: our own handler (not the runner's "second Ctrl-C raises"), so that a
                # second Ctrl-C escalates to SIGKILL instead of leaving children behind.
                previous_int = signal.signal(signal.SIGINT, lambda signum, frame: self._on_sigint(stopper, children))
                try:
                    for name, command in commands.items():
                        children[name] = subprocess.Popen(command, env=env.get(name),  # noqa: PLW1509
                                                          preexec_fn=_die_with_parent)
                    self.stdout.write(_("Qiaoban is running on http://%(host)s:%(port)s/ (%(children)s); "
                                        "Ctrl-C stops it.") % {"host": host, "port": port,
                                                               "children": ", ".join(commands)})
                    self.stdout.flush()
                    code = self._watch(children, stopper, parent)
                finally:
                    self._stop(children, grace_seconds)
                    signal.signal(signal.SIGINT, previous_int)
        finally:
            stopper.close()
        if code:
            sys.exit(code)
        self.stdout.write(_("Qiaoban stopped."))

    def _on_sigint(self, stopper: Stopper, children: dict[str, subprocess.Popen[bytes]]) -> None:
        if stopper.is_set():  # the second Ctrl-C: do not wait for anyone
            for child in children.values():
                if child.poll() is None:
                    child.kill()
        stopper.set(signal.SIGINT)

    def _watch(self, children: dict[str, subprocess.Popen[bytes]], stopper: Stopper,
               parent: ParentWatch | None) -> int:
        """Wait until asked to stop or the parent goes (→ 0), or until a child exits by itself (→ 1)."""
        while not stopper.wait(0.5):
            if parent is not None and parent.gone():
                return 0
            for name, child in children.items():
                returncode = child.poll()
                if returncode is not None:
                    sys.stderr.write(_("serve: %(name)s exited with code %(code)s; stopping the rest.")
                                     % {"name": name, "code": returncode} + "\n")
                    return 1
        return 0

    def _stop(self, children: dict[str, subprocess.Popen[bytes]], grace: float) -> None:
        """SIGTERM every running child once, wait up to ``grace`` s, then SIGKILL what is left."""
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + grace
        for child in children.values():
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
