"""Rule evaluation throughput on the seed's rules: ours vs json-logic-qubit vs hand-written Python.

Run: ``python tests/bench/bench_rules.py`` (``make bench``). Every figure is measured in the
same run on the same data; the target is compiled rules at >= 10x qubit's ``jsonLogic``.
Not a test: it prints figures and exits 0 whatever they are.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

import json_logic  # noqa: E402

from runtime.rules import compile_rule, evaluate  # noqa: E402
from runtime.rules.operators import OPERATORS  # noqa: E402

TARGET = 10.0
BUDGET_SECONDS = 0.3  # per function and rule; 4 functions x 7 rules stay well under 20 s
ROUNDS = 5

CONTEXTS: list[dict[str, Any]] = [
    {
        "form": {
            "amount": amount,
            "days": days,
            "customer_level": level,
            "start": "2025-10-09",
            "end": end,
            "items": [{"price": 5200, "qty": 1}, {"price": 99.5, "qty": 2}],
        },
        "initiator": {"id": "u-1", "department": "sales"},
        "urgent": urgent,
        "now": "2025-10-09T10:30:00+08:00",
    }
    for amount, days, level, end, urgent in [
        (6000, 2, "A", "2025-10-10", False),
        (3000, 5, "C", "2025-10-15", True),
        (5000, 3, "B", "2025-10-11", False),
        (12000.5, 1, "A", "2025-10-09", False),
    ]
]


def _seed_rules() -> list[tuple[str, Any, Callable[[dict[str, Any]], Any]]]:
    """(name, rule, hand-written Python doing the same) for each seed rule."""

    def director(c: dict[str, Any]) -> Any:
        amount = c.get("form", {}).get("amount")
        return isinstance(amount, (int, float)) and amount > 5000

    def short_leave(c: dict[str, Any]) -> Any:
        days = c.get("form", {}).get("days")
        return isinstance(days, (int, float)) and 1 <= days <= 3

    def long_leave(c: dict[str, Any]) -> Any:
        days = c.get("form", {}).get("days")
        return isinstance(days, (int, float)) and days > 3

    def urgent(c: dict[str, Any]) -> Any:
        return c.get("urgent")

    def level(c: dict[str, Any]) -> Any:
        return c.get("form", {}).get("customer_level") in ("A", "B")

    def director_unless_urgent(c: dict[str, Any]) -> Any:
        return not c.get("urgent") and director(c)

    return [
        ("amount > 5000 -> director", {">": [{"var": "form.amount"}, 5000]}, director),
        ("leave 1-3 days", {"<=": [1, {"var": "form.days"}, 3]}, short_leave),
        ("leave > 3 days", {">": [{"var": "form.days"}, 3]}, long_leave),
        ("urgent skip", {"var": "urgent"}, urgent),
        ("customer level in A/B", {"in": [{"var": "form.customer_level"}, ["A", "B"]]}, level),
        (
            "not urgent and amount > 5000",
            {"and": [{"!": {"var": "urgent"}}, {">": [{"var": "form.amount"}, 5000]}]},
            director_unless_urgent,
        ),
    ]


def _burst(fn: Callable[[dict[str, Any]], Any], seconds: float) -> float:
    """Evaluations per second of ``fn`` over the contexts during about ``seconds``."""
    contexts = CONTEXTS
    per_pass = len(contexts) * 250
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(250):
            for c in contexts:
                fn(c)
        count += per_pass
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def _rates(fns: list[Callable[[dict[str, Any]], Any]]) -> list[float]:
    """Best rate of each function; rounds are interleaved so all see the same machine load."""
    best = [0.0] * len(fns)
    for _ in range(ROUNDS):
        for i, fn in enumerate(fns):
            best[i] = max(best[i], _burst(fn, BUDGET_SECONDS / ROUNDS))
    return best


def _fmt(rate: float) -> str:
    return f"{rate / 1e6:6.2f} M/s" if rate >= 1e6 else f"{rate / 1e3:6.1f} k/s"


def main() -> int:
    warnings.simplefilter("ignore")
    rows = []
    for name, rule, hand in _seed_rules():
        compiled = compile_rule(rule)
        for c in CONTEXTS:  # the three must agree before their speed means anything
            assert bool(compiled(c)) == bool(json_logic.jsonLogic(rule, c)) == bool(hand(c)), name
        rates = _rates(
            [
                compiled,
                lambda c, rule=rule: evaluate(rule, c),
                lambda c, rule=rule: json_logic.jsonLogic(rule, c),
                hand,
            ]
        )
        rows.append((name, *rates))

    header = f"{'seed rule':32} {'compiled':>11} {'evaluate()':>11} {'qubit':>11} {'hand':>11}"
    print(header + f" {'compiled/qubit':>15} {'evaluate/qubit':>15} {'hand/compiled':>14}")
    for name, ours, ev, qubit, hand in rows:
        print(
            f"{name:32} {_fmt(ours):>11} {_fmt(ev):>11} {_fmt(qubit):>11} {_fmt(hand):>11}"
            f" {ours / qubit:14.1f}x {ev / qubit:14.1f}x {hand / ours:13.1f}x"
        )

    # Aggregate per evaluation over the rule mix: harmonic mean (time-weighted), not a mean of rates.
    def total(i: int) -> float:
        return len(rows) / sum(1.0 / r[i] for r in rows)

    ours, ev, qubit, hand = total(1), total(2), total(3), total(4)
    print(
        f"{'all seed rules (harmonic mean)':32} {_fmt(ours):>11} {_fmt(ev):>11} {_fmt(qubit):>11}"
        f" {_fmt(hand):>11}"
        f" {ours / qubit:14.1f}x {ev / qubit:14.1f}x {hand / ours:13.1f}x"
    )

    # A platform-operator rule (leave days from the form's dates); qubit gets the same operator.
    leave = {"<=": [{"days_between": [{"var": "form.start"}, {"var": "form.end"}]}, 3]}
    days_between = OPERATORS["days_between"].func
    json_logic.add_operation("days_between", days_between)
    try:
        leave_ours, leave_qubit = _rates([compile_rule(leave), lambda c: json_logic.jsonLogic(leave, c)])
    finally:
        json_logic.rm_operation("days_between")
    print(
        f"{'leave <= 3 days (days_between)':32} {_fmt(leave_ours):>11} {'':>11} {_fmt(leave_qubit):>11}"
        f" {'':>11} {leave_ours / leave_qubit:14.1f}x"
    )

    met = ours / qubit >= TARGET
    print(
        f"\ntarget: compiled >= {TARGET:.0f}x qubit on the seed rules -> {ours / qubit:.1f}x: "
        f"{'MET' if met else 'NOT MET'}"
        f" (evaluate() with its per-call canonical-JSON cache lookup: {ev / qubit:.1f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
