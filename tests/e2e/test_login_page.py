"""The login and home pages in a real browser, desktop and phone, both languages."""

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width,height,label", [(1280, 800, "desktop"), (375, 667, "phone")])
def test_sign_in_and_home(live_server, page_factory, artifact, org, width, height, label):
    org.user("lina", display_name="李娜", password="secret-pass-123")
    page = page_factory(width=width, height=height)
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    page.screenshot(path=artifact(f"login-{label}.png"), full_page=True)

    page.fill("#id_username", "lina")
    page.fill("#id_password", "wrong")
    page.click("button.btn-primary")
    assert "用户名或密码错误" in page.locator(".alert-error").inner_text()
    page.screenshot(path=artifact(f"login-error-{label}.png"), full_page=True)

    page.fill("#id_password", "secret-pass-123")
    page.click("button.btn-primary")
    page.wait_for_url(f"{live_server.url}/")
    assert "欢迎，李娜" in page.locator("h1").inner_text()
    # Nothing may overflow sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifact(f"home-{label}.png"), full_page=True)

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Welcome, 李娜"
