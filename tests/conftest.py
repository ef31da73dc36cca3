"""Suite-wide fixtures: the org factory, personas and API clients."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs property tests with a fixed seed so a submission's verdict is reproducible;
# local runs keep exploring new examples.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# Django-dependent modules are imported inside fixtures, so the pure unit tests
# (tests/unit) also run with ``-p no:django``.


@pytest.fixture
def org(db: Any) -> Any:
    """The org factory (tests/factories.py)."""
    from tests.factories import OrgFactory

    return OrgFactory()


@pytest.fixture
def people(org: Any) -> Any:
    """The named personas of a small company."""
    from tests.factories import build_personas

    return build_personas(org)


@pytest.fixture
def api() -> Any:
    """An unauthenticated DRF client; ``api.force_authenticate(user)`` to sign in.

    It asks for English, so assertions can read message text; the zh-Hans default is
    tested explicitly with ``HTTP_ACCEPT_LANGUAGE="zh-hans"``.
    """
    from rest_framework.test import APIClient

    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api_as(api: Any) -> Any:
    """``api_as(user)`` returns the API client signed in as that user."""

    def sign_in(user: Any) -> Any:
        api.force_authenticate(user)
        return api

    return sign_in


@pytest.fixture
def fake_ui_build(tmp_path: Any, settings: Any) -> Any:
    """A minimal Vite build (manifest + files) in a temporary folder, named by settings.UI_DIST."""
    import json

    dist = tmp_path / "dist"
    (dist / ".vite").mkdir(parents=True)
    (dist / "assets").mkdir()
    (dist / "assets" / "index-AbCd1234.js").write_text("console.log('qiaoban')")
    (dist / "assets" / "vendor-EfGh5678.js").write_text("")
    (dist / "assets" / "index-IjKl9012.css").write_text("body{}")
    manifest = {
        "index.html": {"file": "assets/index-AbCd1234.js", "isEntry": True, "src": "index.html",
                       "imports": ["_vendor"], "css": ["assets/index-IjKl9012.css"]},
        "_vendor": {"file": "assets/vendor-EfGh5678.js"},
    }
    (dist / ".vite" / "manifest.json").write_text(json.dumps(manifest))
    settings.UI_DIST = dist
    return dist
