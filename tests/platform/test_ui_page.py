"""The page that boots the web UI (designer_ui/views.py): login, assets, boot data, deep links."""

import json
import re

import pytest


def boot_of(page: str) -> dict:
    match = re.search(r'<script id="qiaoban-boot" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no boot data in the page"
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/app/apps/purchase/form")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/app/apps/purchase/form")


def test_page_loads_the_built_assets_and_boot_data(client, people, fake_ui_build):
    client.force_login(people.requester)
    response = client.get("/app/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<script type="module" src="/static/ui/assets/index-AbCd1234.js">' in page
    assert '<link rel="stylesheet" href="/static/ui/assets/index-IjKl9012.css">' in page
    assert '<link rel="modulepreload" href="/static/ui/assets/vendor-EfGh5678.js">' in page
    assert response["Cache-Control"] == "no-store"
    assert "csrftoken" in response.cookies  # the app's POSTs need it
    boot = boot_of(page)
    assert boot["user"]["username"] == "requester"
    assert boot["user"]["name"] == "李娜"
    assert boot["language"] == "zh-Hans"
    assert boot["urls"]["root"] == "/app/"
    assert boot["user"]["permissions"] == []


def test_every_client_route_serves_the_same_page(client, people, fake_ui_build):
    client.force_login(people.requester)
    for path in ("/app/apps", "/app/apps/purchase/form", "/app/dictionary/expense_type", "/app/nowhere/x"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert boot_of(response.content.decode())["user"]["username"] == "requester"


def test_english_session_boots_in_english(client, people, fake_ui_build):
    client.force_login(people.requester)
    client.post("/i18n/setlang/", {"language": "en", "next": "/app/"})
    assert boot_of(client.get("/app/").content.decode())["language"] == "en"


def test_missing_build_is_a_readable_503(client, people, settings, tmp_path):
    settings.UI_DIST = tmp_path / "missing"
    client.force_login(people.requester)
    response = client.get("/app/")
    assert response.status_code == 503
    assert "make ui" in response.content.decode()


def test_manifest_is_reread_after_a_rebuild(fake_ui_build):
    from designer_ui.manifest import entry_assets

    first = entry_assets()
    manifest = fake_ui_build / ".vite" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["index.html"]["file"] = "assets/index-NewHash99.js"
    manifest.write_text(json.dumps(data))
    import os

    os.utime(manifest, (manifest.stat().st_atime, manifest.stat().st_mtime + 5))
    assert first.script == "ui/assets/index-AbCd1234.js"
    assert entry_assets().script == "ui/assets/index-NewHash99.js"


def test_the_app_is_installable(client, people, fake_ui_build):
    """A PWA manifest (no sign-in needed, no user data) with icons that exist, linked from the page."""
    from django.contrib.staticfiles import finders

    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "巧办" and manifest["start_url"] == "/app/" and manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    client.force_login(people.requester)
    page = client.get("/app/inbox").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#1677ff">' in page
    english = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en")
    assert json.loads(english.content)["name"] == "Qiaoban"
