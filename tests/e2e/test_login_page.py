"""The login and home pages in a real browser, desktop and phone, both languages."""

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width,height,label", [(1280, 800, "desktop"), (375, 667, "phone")])
def test_sign_in_and_home(live_server, page_factory, artifact, org, ui_built, width, height, label):
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
    # The landing page is the web UI's workspace, in the shared shell.
    page.wait_for_url(f"{live_server.url}/app/")
    assert page.locator(".qb-home-greeting").inner_text() == "你好，李娜"
    page.wait_for_selector("text=还没有已发布的应用。")
    # Nothing may overflow sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifact(f"home-{label}.png"), full_page=True)

    # The language switch in the user menu reloads the page in English.
    page.click("[data-testid=user-menu]")
    page.get_by_text("语言").hover()
    page.get_by_text("English").click()
    page.wait_for_selector("text=Hello, 李娜")
    assert page.locator(".qb-home-greeting").inner_text() == "Hello, 李娜"

    # Signing out from the user menu ends the session.
    page.click("[data-testid=user-menu]")
    page.get_by_text("Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    page.goto(f"{live_server.url}/app/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
