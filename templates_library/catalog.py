"""Reading the templates shipped in this package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platform_core.errors import NotFound, gettext_noop

ROOT = Path(__file__).resolve().parent


class TemplateDoesNotExist(NotFound):
    code = "template_not_found"
    message = gettext_noop("There is no app template “%(key)s”.")


@dataclass(frozen=True)
class Template:
    """One ready-made app: metadata plus its form and flow documents."""

    key: str
    meta: dict[str, Any]
    form: dict[str, Any]
    flow: dict[str, Any]


def template_keys() -> list[str]:
    """Keys of every shipped template, sorted."""
    return sorted(p.name for p in ROOT.iterdir() if (p / "app.json").is_file())


def template_get(key: str) -> Template:
    """Load one template's files (fresh dicts on every call: callers may change them)."""
    folder = ROOT / key
    if key not in template_keys():
        raise TemplateDoesNotExist(params={"key": key})

    def read(name: str) -> dict[str, Any]:
        return json.loads((folder / name).read_text(encoding="utf-8"))

    return Template(key=key, meta=read("app.json"), form=read("form.json"), flow=read("flow.json"))
