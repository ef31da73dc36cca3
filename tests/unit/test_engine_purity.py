"""The engine, rules, forms and flows packages import nothing from Django (STYLE 2)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = ["runtime/rules", "runtime/forms", "runtime/flows", "runtime/engine", "runtime/workcalendar.py",
        "platform_core/errors.py", "platform_core/registry.py"]
FORBIDDEN = ("django", "rest_framework", "channels", "celery")


def pure_files():
    for entry in PURE:
        path = ROOT / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(path.rglob("*.py"))


def test_there_is_something_to_check():
    assert len(list(pure_files())) >= 3


@pytest.mark.parametrize("path", list(pure_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_framework_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{path}: imports {name}"
