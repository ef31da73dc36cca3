"""The flow-pattern suite (STYLE 16): every pattern runs, matches its trace, and survives replay."""

from __future__ import annotations

import pytest

from tests.unit.engine.patterns import load_pattern, pattern_names, run_pattern, trace_line


def test_every_required_pattern_is_there():
    required = {"sequence", "exclusive_choice", "parallel_split_join", "join_first_n", "countersign_all_one_reject",
                "or_sign_first_wins", "sequential", "percentage", "return_loop", "subprocess", "service", "delay"}
    assert required <= set(pattern_names())


@pytest.mark.parametrize("name", pattern_names())
def test_pattern(name):
    doc = load_pattern(name)
    h = run_pattern(doc)  # checks replay(events) == state and JSON round trips after every step
    expect = doc["expect"]
    assert h.state is not None
    assert (h.state.status, h.state.outcome) == (expect["status"], expect["outcome"])
    assert [trace_line(e) for e in h.events if e.type != "node_entered"] == expect["trace"]
    for key, value in expect["data"].items():
        assert h.state.data[key] == value
    assert not h.state.tokens and not h.state.open_tasks()
