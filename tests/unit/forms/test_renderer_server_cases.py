"""The browser renderer's validation fixture says what the server says (no database).

designer_ui/src/form-renderer/lib/server-cases.fixture.json holds a form, a dictionary
snapshot and submissions with the issues the server reports; vitest checks that the
browser's validateForm gives the same pointers, fields, codes and params. This test checks
the other half: the server still gives exactly those issues, so the two cannot drift.
To regenerate after an intended server change: ``python -m tests.unit.forms.test_renderer_server_cases``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from runtime.forms import SubmissionInvalid, load_form, validate_submission

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "designer_ui" / "src" / "form-renderer" / "lib" / "server-cases.fixture.json"
KEYS = ("pointer", "field", "code", "params")


def server_issues(fixture: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    spec = load_form(fixture["form"])
    try:
        validate_submission(spec, data, dictionary=fixture["dictionary"])
    except SubmissionInvalid as exc:
        return [{key: detail[key] for key in KEYS} for detail in exc.details]
    return []


FIXTURE_DATA = json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", FIXTURE_DATA["cases"], ids=lambda case: case["name"])
def test_the_server_gives_the_fixture_issues(case):
    assert server_issues(FIXTURE_DATA, case["data"]) == case["issues"]


if __name__ == "__main__":  # regenerate the expected issues from the server
    for case in FIXTURE_DATA["cases"]:
        case["issues"] = server_issues(FIXTURE_DATA, case["data"])
    FIXTURE.write_text(json.dumps(FIXTURE_DATA, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(len(FIXTURE_DATA["cases"]), "cases written to", FIXTURE, file=sys.stderr)
