"""GET /api/v1/field-types/: the designer's palette, and the web UI mirrors the same types."""

import re
from pathlib import Path

import pytest

from runtime.forms import field_type_registry

UI_FIELD_TYPES = Path(__file__).resolve().parents[2] / "designer_ui" / "src" / "form-designer" / "field-types"


@pytest.mark.django_db
def test_signed_in_users_get_every_type_with_defaults(client, org):
    assert client.get("/api/v1/field-types/").status_code in (401, 403)
    client.force_login(org.user("designer"))
    body = client.get("/api/v1/field-types/").json()
    assert [entry["type"] for entry in body] == [ft.type for ft in field_type_registry]
    money = next(entry for entry in body if entry["type"] == "money")
    assert money["label"] == {"zh": "金额", "en": "Amount"}
    assert money["schema"]["x-currency"] == "CNY"
    assert money["capabilities"]["report_role"] == "measure"
    table = next(entry for entry in body if entry["type"] == "table")
    assert table["capabilities"]["column_allowed"] is False


def test_the_web_ui_has_an_editor_for_every_server_field_type():
    """STYLE.md 20: the front end mirrors the registry under the same type keys."""
    source = (UI_FIELD_TYPES / "index.ts").read_text(encoding="utf-8")
    table = source.split("export const FIELD_TYPES", 1)[1].split("\n};", 1)[0]
    ui_types = set(re.findall(r"^\s+([a-z_]+): \{", table, re.M))
    assert ui_types == {ft.type for ft in field_type_registry}
