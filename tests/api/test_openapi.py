"""The OpenAPI document generates without warnings and describes the API."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    # --fail-on-warn turns every drf-spectacular warning into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "openapi: 3" in text
    for route in ("/api/v1/users/", "/api/v1/departments/{id}/", "/api/v1/me/", "/api/v1/auth/token/"):
        assert route in text


def test_schema_served_to_signed_in_users(api_as, org):
    response = api_as(org.user()).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"].startswith("Qiaoban")


def test_docs_page_served_to_signed_in_users(client, org):
    client.force_login(org.user())
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
