"""Fixtures of the drafts tests: published apps (the instance tests' purchase app, plus a leave app)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.instances.conftest import publisher, purchase_app  # noqa: F401  (fixtures)


@pytest.fixture
def publish(publisher: Any) -> Any:  # noqa: F811
    """``publish(key, name, **fields)``: a published app with the purchase form and flow."""
    from runtime.definitions import services
    from tests.instances.conftest import purchase_flow_with_rights, purchase_form

    def run(key: str, name: str | None = None, **fields: Any) -> Any:
        app = services.app_create(actor=publisher, key=key, name=name or key, **fields)
        services.draft_save(actor=publisher, app=app, expected_revision=1, form=purchase_form(),
                            flow=purchase_flow_with_rights())
        services.app_publish(actor=publisher, app=app)
        app.refresh_from_db()
        return app

    return run
