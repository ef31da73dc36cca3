"""Suite-wide fixtures: the org factory, personas and API clients."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import OrgFactory, Personas, build_personas


@pytest.fixture
def org(db) -> OrgFactory:  # noqa: ANN001 (pytest-django's db fixture)
    return OrgFactory()


@pytest.fixture
def people(org: OrgFactory) -> Personas:
    return build_personas(org)


@pytest.fixture
def api() -> APIClient:
    """An unauthenticated DRF client; ``api.force_authenticate(user)`` to sign in."""
    return APIClient()


@pytest.fixture
def api_as(api: APIClient):  # noqa: ANN201
    def sign_in(user) -> APIClient:  # noqa: ANN001
        api.force_authenticate(user)
        return api

    return sign_in
