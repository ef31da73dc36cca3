"""The app portal (工作台) and request drafts in a real browser: favourites, search, categories,
saving a draft, finding it on the portal, restoring and clearing it, and the draft gone after submit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_start_page import PASSWORD, _choose, _no_overflow, _pick_dates, _shot, demo  # noqa: F401


def _home(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/app/")
    page.locator("[data-testid=start-travel]").wait_for()


@pytest.mark.django_db(transaction=True)
def test_favourite_search_and_a_draft_round_trip(demo: None, signed_in: Any, artifact: Any,  # noqa: F811
                                                 live_server: Any) -> None:
    from runtime.drafts.models import FavoriteApp, RequestDraft
    from runtime.instances.models import Instance

    page = signed_in("lina", password=PASSWORD)
    page.locator("[data-testid=start-travel]").wait_for()
    # Star 差旅申请: it shows under 常用 at once and stays after a reload.
    page.click("[data-testid=star-travel]")
    page.locator("[data-testid=portal-favorites] [data-testid=favorite-travel]").wait_for()
    for _ in range(20):
        if FavoriteApp.objects.filter(user__username="lina").exists():
            break
        page.wait_for_timeout(100)
    page.reload()
    page.locator("[data-testid=portal-favorites] [data-testid=favorite-travel]").wait_for()

    # Search narrows the grid; the other sections step aside.
    page.fill("input[data-testid=portal-search], [data-testid=portal-search] input", "差旅")
    page.locator("[data-testid=start-leave]").wait_for(state="detached")
    assert page.locator("[data-testid=start-travel]").is_visible()
    assert page.locator("[data-testid=portal-favorites]").count() == 0
    page.fill("input[data-testid=portal-search], [data-testid=portal-search] input", "")
    page.locator("[data-testid=start-leave]").wait_for()

    # Fill part of a travel request and save it as a draft.
    page.click("[data-testid=start-travel]")
    page.wait_for_url("**/app/start/travel")
    page.locator("[data-testid=field-trip_dates]").wait_for()
    page.fill("#qb-field-destination", "杭州")
    page.click("[data-testid=save-draft]")
    page.get_by_text("草稿已保存").first.wait_for()
    draft = RequestDraft.objects.get(user__username="lina", app__key="travel")
    assert draft.data["destination"] == "杭州"

    # Back on the portal: the draft is listed; opening it restores the values with a note.
    _home(page, live_server)
    page.locator("[data-testid=draft-travel]").wait_for()
    assert "差旅申请" in page.locator("[data-testid=draft-travel]").inner_text()
    assert "recent-travel" in page.locator("[data-testid=portal-recent]").inner_html()
    _shot(page, artifact("portal-1280.png"))
    page.click("[data-testid=draft-travel] a")
    page.wait_for_url("**/app/start/travel")
    page.locator("[data-testid=draft-restored]").wait_for()
    assert "保存的草稿" in page.locator("[data-testid=draft-restored]").inner_text()
    assert page.input_value("#qb-field-destination") == "杭州"
    _shot(page, artifact("portal-draft-restored-1280.png"))

    # 清空草稿: the form is empty again and the draft is gone.
    page.click("[data-testid=draft-clear]")
    page.locator("[data-testid=draft-restored]").wait_for(state="detached")
    assert page.input_value("#qb-field-destination") == ""
    assert not RequestDraft.objects.filter(user__username="lina").exists()

    # Save again, then submit: the draft is deleted with the submission.
    page.fill("#qb-field-destination", "上海")
    page.click("[data-testid=save-draft]")
    page.locator("[data-testid=draft-saved-at]").wait_for()
    assert RequestDraft.objects.filter(user__username="lina").exists()
    _pick_dates(page, "2026-12-01", "2026-12-03")
    _choose(page, "expense_type", "火车票")
    page.fill("#qb-field-reason", "拜访客户")
    page.click("[data-testid=submit]")
    page.get_by_text("已提交").wait_for()
    assert Instance.objects.count() == 1
    for _ in range(30):
        if not RequestDraft.objects.filter(user__username="lina").exists():
            break
        page.wait_for_timeout(100)
    assert not RequestDraft.objects.filter(user__username="lina").exists()
    _home(page, live_server)
    page.locator("[data-testid=portal-recent] [data-testid=recent-travel]").wait_for()
    assert page.locator("[data-testid=portal-drafts]").count() == 0
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_portal_at_phone_width(demo: None, signed_in: Any, artifact: Any, live_server: Any,  # noqa: F811
                               language: str) -> None:
    from django.contrib.auth import get_user_model

    from runtime.definitions.models import App
    from runtime.drafts.models import FavoriteApp, RequestDraft

    lina = get_user_model().objects.get(username="lina")
    FavoriteApp.objects.create(user=lina, app=App.objects.get(key="leave"))
    RequestDraft.objects.create(user=lina, app=App.objects.get(key="travel"), data={"destination": "杭州"})
    page = signed_in("lina", password=PASSWORD, width=375, height=740, language=language)
    page.locator("[data-testid=favorite-leave]").wait_for()
    page.locator("[data-testid=draft-travel]").wait_for()
    assert _no_overflow(page)
    # Touch targets: the star and the draft's delete button are at least 40 px square.
    for selector in ("[data-testid=star-travel]", "[data-testid=draft-delete-travel]", "[data-testid=start-travel]"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["width"] >= 40 and box["height"] >= 40, (selector, box)
    _shot(page, artifact(f"portal-375-{language}.png"))
    page.click("[data-testid=draft-travel] a")
    page.locator("[data-testid=draft-restored]").wait_for()
    assert _no_overflow(page)
    box = page.locator("[data-testid=save-draft]").bounding_box()
    assert box and box["height"] >= 40
    _shot(page, artifact(f"portal-start-375-{language}.png"))
    assert page.js_errors == []
