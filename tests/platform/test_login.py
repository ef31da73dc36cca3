"""Browser login: the page in both languages, sign in/out, brute-force lockout."""

import pytest
from axes.models import AccessAttempt


def test_login_page_in_chinese_by_default(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="zh-hans">' in text
    assert "登录" in text and "用户名" in text


def test_login_page_in_english_by_accept_language(client, db):
    text = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in text and "Sign in" in text and "User name" in text


def test_language_switch_persists(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Sign in" in client.get("/accounts/login/").content.decode()


def test_home_requires_login_then_greets(client, people):
    assert client.get("/")["Location"].startswith("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "requester", "password": "secret-pass-123"})
    assert response.status_code == 302 and response["Location"] == "/"
    # The signed-in landing page is the web UI's workspace (designer_ui).
    assert client.get("/")["Location"] == "/app/"
    assert client.get("/api/v1/me/").json()["username"] == "requester"
    client.post("/accounts/logout/")
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_wrong_password_shows_a_readable_error(client, people):
    response = client.post("/accounts/login/", {"username": "requester", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_user_labels_are_escaped(client, org, fake_ui_build):
    user = org.user("xss", display_name="<script>alert(1)</script>")
    client.force_login(user)
    page = client.get("/app/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in page  # json_script escaping


def test_brute_force_locks_the_name_and_address(client, people, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert client.post("/accounts/login/", {"username": "requester", "password": "bad"}).status_code == 200
    locked = client.post("/accounts/login/", {"username": "requester", "password": "bad"})
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    # Even the right password is refused while locked.
    again = client.post("/accounts/login/", {"username": "requester", "password": "secret-pass-123"})
    assert again.status_code == 429
    assert AccessAttempt.objects.filter(username="requester").exists()


def test_brute_force_on_the_api_is_json_429(api, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/token/", {"username": "requester", "password": "bad"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": "requester", "password": "secret-pass-123"},
                        format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too_many_attempts"


@pytest.mark.parametrize("lang,expected", [("en", "Authentication credentials were not provided."),
                                           ("zh-hans", "身份认证信息未提供。")])
def test_api_messages_follow_accept_language(api, db, lang, expected):
    body = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE=lang).json()
    assert body["error"]["message"] == expected


def test_domain_error_messages_are_translated(api_as, people):
    url = f"/api/v1/departments/{people.sales.pk}/"
    payload = {"parent": people.sales_east.pk}
    en = api_as(people.admin).patch(url, payload, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    zh = api_as(people.admin).patch(url, payload, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert en["error"]["message"].startswith("A department cannot be moved under itself")
    assert zh["error"]["message"] == "部门不能移动到它自己或它的下级部门下面。"


def test_language_switch_names_each_language_in_itself(client, db):
    for accept in ("en", "zh-hans"):
        text = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert "简体中文" in text and "English" in text and "英语" not in text


def test_password_change_page(client, people):
    from rest_framework.authtoken.models import Token

    from platform_core.audit.models import AuditEvent

    Token.objects.create(user=people.requester)
    client.force_login(people.requester)
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    weak = client.post("/accounts/password/", {"old_password": "secret-pass-123", "new_password1": "12345678",
                                                "new_password2": "12345678"})
    assert weak.status_code == 200 and "field-error" in weak.content.decode()
    done = client.post("/accounts/password/", {"old_password": "secret-pass-123", "new_password1": "Qb-new-pass-9",
                                                "new_password2": "Qb-new-pass-9"})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/done/"
    people.requester.refresh_from_db()
    assert people.requester.check_password("Qb-new-pass-9")
    assert not Token.objects.filter(user=people.requester).exists()
    assert AuditEvent.objects.filter(action="user.password_change", target_id=str(people.requester.pk)).exists()
    # Still signed in after the change.
    assert client.get("/api/v1/me/").status_code == 200
