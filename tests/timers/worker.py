"""A timer worker process for the concurrency tests: ``python tests/timers/worker.py --limit N [--slow S]``.

It fires due timers against the database the environment names (``DATABASE_URL`` for
PostgreSQL, ``SQLITE_PATH`` for a SQLite file), printing one ``fired <pk>`` line per timer
when ``--slow`` is given (so a test can kill it mid-run), then its counts as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.test_settings")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--slow", type=float, default=0.0, help="seconds to wait after each timer")
    parser.add_argument("--now-offset", type=float, default=0.0, help="seconds added to the claim's clock")
    args = parser.parse_args()
    import django

    django.setup()
    from django.utils import timezone

    from runtime.timers import services

    if args.slow:
        fire = services._fire

        def slow_fire(timer, now):
            outcome = fire(timer, now)
            print(f"{outcome} {timer.pk}", flush=True)
            time.sleep(args.slow)
            return outcome

        services._fire = slow_fire
    total: dict[str, int] = {}
    while True:
        counts = services.timers_fire(limit=args.limit,
                                      now=timezone.now() + timedelta(seconds=args.now_offset)).as_dict()
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
        if counts["claimed"] < args.limit:
            break
    print(json.dumps(total), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
