"""Read Vite's build manifest: which hashed script and style files the page must load."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ENTRY = "index.html"
STATIC_PREFIX = "ui/"  # settings.STATICFILES_DIRS mounts dist/ here


class UiNotBuilt(Exception):
    """dist/ has no manifest: `make ui` has not run on this checkout."""


@dataclass(frozen=True)
class Assets:
    """Static paths (relative to STATIC_URL) of the entry's script, its imports and styles."""

    script: str
    preload: tuple[str, ...]
    styles: tuple[str, ...]


_cache: dict[str, tuple[float, Assets]] = {}


def manifest_path() -> Path:
    """Vite's manifest in the build that settings.UI_DIST names (designer_ui/dist by default)."""
    return Path(settings.UI_DIST) / ".vite" / "manifest.json"


def entry_assets(path: Path | None = None) -> Assets:
    """The entry's assets; re-read only when the manifest file changes (a rebuild)."""
    source = path or manifest_path()
    try:
        mtime = source.stat().st_mtime
    except FileNotFoundError:
        raise UiNotBuilt(str(source)) from None
    cached = _cache.get(str(source))
    if cached and cached[0] == mtime:
        return cached[1]
    manifest = json.loads(source.read_text(encoding="utf-8"))
    assets = _assets(manifest)
    _cache[str(source)] = (mtime, assets)
    return assets


def _assets(manifest: dict[str, dict]) -> Assets:
    entry = manifest[ENTRY]
    styles: list[str] = []
    preload: list[str] = []
    seen: set[str] = set()

    def visit(key: str, chunk: dict) -> None:
        if key in seen:
            return
        seen.add(key)
        for css in chunk.get("css", []):
            if STATIC_PREFIX + css not in styles:
                styles.append(STATIC_PREFIX + css)
        for imported in chunk.get("imports", []):
            preload.append(STATIC_PREFIX + manifest[imported]["file"])
            visit(imported, manifest[imported])

    visit(ENTRY, entry)
    return Assets(script=STATIC_PREFIX + entry["file"], preload=tuple(preload), styles=tuple(styles))
