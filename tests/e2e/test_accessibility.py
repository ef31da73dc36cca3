"""Accessibility (issue 8): axe-core, the engine behind Lighthouse's accessibility audit, run
in the browser on the portal, the inbox, a form and a task page, at desktop and phone width.
No critical or serious violation (WCAG 2.1 A/AA) may remain; every violation found is printed
so the moderate and minor ones stay visible too. A screenshot of each page is kept in
test-artifacts/ (a11y-<page>-<width>.png) to look at what the audit saw. A second test audits
what a process administrator works in (apps, both designers, the dictionary) at desktop width.
Text drawn on the flow canvas is reported by axe as "incomplete" (React Flow's layers overlap it,
so no background can be computed): it uses the --qb-*-text colours, whose contrast
src/app/theme.test.ts checks.

axe-core comes from the UI's own devDependencies (designer_ui/node_modules), pinned in
package-lock.json; `make test` installs it with `npm ci` before the browser tests run.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "designer_ui" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "qiaoban2026"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")


@pytest.fixture
def demo(transactional_db: Any) -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("platform_core.dictionary.migrations.0002_seed").seed(apps, None)
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    call_command("install_templates", stdout=StringIO())


def audit(page: Any, name: str, artifact: Any) -> list[str]:
    """Run axe on the page, print every violation and return the blocking (critical, serious) ones."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` in designer_ui/ (make test does)")
    page.wait_for_timeout(500)  # let entrance animations finish
    page.screenshot(path=artifact(f"a11y-{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    blocking = []
    for violation in result["violations"]:
        targets = [node["target"] for node in violation["nodes"][:3]]
        line = f"{violation['id']} ({len(violation['nodes'])}×): {violation['help']} {json.dumps(targets)}"
        print(f"[axe {name}] {violation['impact']}: {line}")
        if violation["impact"] in BLOCKING:
            blocking.append(line)
    return blocking


@pytest.mark.parametrize("width", [1280, 375])
def test_portal_inbox_form_and_task_pages_have_no_serious_violations(demo, signed_in, live_server, artifact,
                                                                     width):
    from platform_core.org.models import User
    from runtime.instances import services

    lina = User.objects.get(username="lina")
    instance = services.instance_submit(actor=lina, app_key="leave", data={
        "leave_type": "annual", "period": {"start": "2026-12-14", "end": "2026-12-15"}, "reason": "体检"}).instance

    page = signed_in("lina", password=PASSWORD, width=width, height=800)
    found: dict[str, list[str]] = {}
    page.goto(f"{live_server.url}/app/")
    page.wait_for_selector("[data-testid^=start-]")
    found["portal"] = audit(page, f"portal-{width}", artifact)
    page.goto(f"{live_server.url}/app/start/leave")
    page.wait_for_selector("[data-testid=field-leave_type]")
    found["form"] = audit(page, f"form-{width}", artifact)

    head = signed_in("wangfang", password=PASSWORD, width=width, height=800)
    head.goto(f"{live_server.url}/app/inbox")
    head.wait_for_selector("[data-testid^=inbox-row-]")
    found["inbox"] = audit(head, f"inbox-{width}", artifact)
    head.goto(f"{live_server.url}/app/instances/{instance.pk}")
    head.wait_for_selector("[data-testid=action-approve]")
    found["task"] = audit(head, f"task-{width}", artifact)
    assert found == {"portal": [], "form": [], "inbox": [], "task": []}


def test_designer_and_admin_pages_have_no_serious_violations(demo, signed_in, live_server, artifact):
    """What a process administrator works in, at desktop width: the apps list and an app, the form
    designer (and a field's properties), the flow designer (a node's properties, a simulation) and
    the dictionary. Screenshots: test-artifacts/a11y-admin-<page>.png."""
    admin = signed_in("liuyang", password=PASSWORD, width=1280, height=800)
    found: dict[str, list[str]] = {}
    admin.goto(f"{live_server.url}/app/apps")
    admin.wait_for_selector("[data-testid=app-row-purchase]")
    found["apps"] = audit(admin, "admin-apps", artifact)
    admin.goto(f"{live_server.url}/app/apps/purchase")
    admin.wait_for_selector("[data-testid=design-flow]")
    found["app"] = audit(admin, "admin-app", artifact)

    admin.goto(f"{live_server.url}/app/apps/purchase/form")
    admin.wait_for_selector("[data-testid=field-items] [data-testid=column-items-name]")
    admin.wait_for_selector("[data-testid=palette-text]")
    found["form"] = audit(admin, "admin-form", artifact)
    admin.click("[data-testid=field-title] .fd-field-label")
    admin.wait_for_selector("[data-testid=prop-required]")
    found["form-field"] = audit(admin, "admin-form-field", artifact)

    admin.goto(f"{live_server.url}/app/apps/purchase/flow")
    admin.wait_for_selector("[data-testid=flow-node-start]")
    admin.wait_for_selector("[data-testid=palette-approval]")
    admin.wait_for_selector("[data-testid=save-state-saved]")
    found["flow"] = audit(admin, "admin-flow", artifact)
    admin.locator("[data-node-type=approval]").first.click()
    admin.wait_for_selector("[data-testid=approval-mode]")
    found["flow-node"] = audit(admin, "admin-flow-node", artifact)
    admin.click("[data-testid=simulate]")
    admin.locator("[data-testid=sim-initiator]").click()
    admin.keyboard.type("朱红")
    admin.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="朱红").first.click()
    admin.locator("[data-testid=sim-form] [data-testid=field-amount] input").fill("6000")
    admin.click("[data-testid=sim-run]")
    admin.wait_for_selector("[data-testid^=sim-people-]")
    found["flow-simulation"] = audit(admin, "admin-flow-simulation", artifact)

    admin.goto(f"{live_server.url}/app/dictionary/leave_type")
    admin.wait_for_selector("[data-testid=option-annual]")
    admin.wait_for_selector("[data-testid=usage-total]")
    found["dictionary"] = audit(admin, "admin-dictionary", artifact)
    assert found == {page: [] for page in found}
