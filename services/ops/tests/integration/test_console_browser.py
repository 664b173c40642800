"""The console in a real browser: headless Chromium from Debian's ``chromium`` package
(installed by ``make setup``), driven by Playwright through ``executable_path``.

A person logs in, looks up a mother whose child brought her the birth grant and sees the
decision's reason, the payment and the SMS; fixes a dead letter and redrives it, and sees
it leave the queue. Every page is screenshotted into ``OPS_SCREENSHOTS`` (default
``.state/screenshots/ops``); the README shows the committed copies in
``services/ops/docs/screenshots``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from benefits_ops.access import Role
from benefits_shared.clock import BAKU
from benefits_shared.contracts.life_events import BirthRegistered
from engine_process import EngineProcess
from ops_rig import OpsRig, eventually
from ops_scenario import CHILD, MOTHER, SMS_TEXT, leyla_story, troubles
from playwright.async_api import Browser, Page, async_playwright, expect

pytestmark = pytest.mark.asyncio(loop_scope="session")
ROOT = Path(__file__).resolve().parents[4]
SHOTS = Path(os.environ.get("OPS_SCREENSHOTS", ROOT / ".state" / "screenshots" / "ops"))
BROKEN_DATE, FIXED_DATE = "2026-02-30", "2026-02-28"


def chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if path is None:
        raise RuntimeError("Debian's chromium is missing: run `make setup`")
    return path


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(
            executable_path=chromium(), headless=True, args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def fed(rig: OpsRig) -> OpsRig:
    await rig.publish(leyla_story() + troubles())
    birth = {
        "record_no": "CR-9001",
        "seq": 9,
        "registered_at": "2026-03-05T08:00:00+00:00",
        "office": "Ganja-1",
        "child": {
            "pin": CHILD,
            "given_name": "Aysu",
            "surname": "Aliyeva",
            "birth_date": FIXED_DATE,
            "sex": "F",
        },
        "mother_pin": MOTHER,
    }
    broken = {**birth, "child": {**birth["child"], "birth_date": BROKEN_DATE}}
    await rig.dead_letter(
        BirthRegistered.model_validate(birth), CHILD, broken, "child.birth_date: day out of range"
    )

    async def projected() -> bool:
        async with rig.client(Role.VIEWER) as c:
            return len((await c.get("/api/v1/dead-letters")).json()) == 1

    await eventually(projected, "the dead letter is projected")
    return rig


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def engine(fed: OpsRig) -> AsyncIterator[EngineProcess]:
    process = EngineProcess(
        fed.kafka, fed.database_url, fed.suffix, fed.log.with_name("engine.log")
    )
    await process.start()
    yield process
    await process.stop()


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def test_an_operator_works_the_console_in_a_browser(
    fed: OpsRig, browser: Browser, engine: EngineProcess
) -> None:
    page = await browser.new_page(viewport={"width": 1360, "height": 900})
    await page.goto(f"{fed.url}/console")
    await expect(page).to_have_url(f"{fed.url}/console/login")
    await shot(page, "login")
    await page.fill("#token", fed.tokens[Role.ADMIN])
    await page.click("button[type=submit]")
    await expect(page.locator("h1")).to_contain_text("Dashboard")
    await shot(page, "dashboard")

    # Why did she get the birth grant? The timeline alone answers.
    await page.click("text=Citizen")
    await page.fill("#pin", MOTHER)
    await page.fill("#lookup-reason", "142 call 0815")
    await page.click("text=Look up")
    timeline = page.locator("table.timeline")
    await expect(timeline).to_contain_text("Birth grant granted: the 1st child of the mother")
    await expect(timeline).to_contain_text("250.00 AZN")
    await expect(timeline).to_contain_text("Payment settled")
    await expect(timeline).to_contain_text("ACSC (settled)")
    await expect(timeline).to_contain_text(SMS_TEXT)
    await expect(timeline).to_contain_text("SMS delivered")
    await shot(page, "citizen-timeline")

    # After an outage: a dry run of today's life events, answered by the engine itself.
    await eventually(engine.decided, "the engine has decided the story", 120)
    await page.click("text=Replay")
    today = datetime.now(BAKU).date()
    await page.select_option("#kind", "topic_time")
    await page.select_option("select[name=topic]", "life-events")
    await page.fill("input[name=since]", f"{today}T00:00")
    await page.fill("input[name=until]", f"{today + timedelta(days=1)}T00:00")
    replay_form = page.locator("form[action='/console/replay']")
    await replay_form.locator("input[name=reason]").fill("the engine was down this morning")
    await shot(page, "replay")
    await replay_form.locator("button[type=submit]").click()
    await expect(page.locator("#verdict")).to_have_text("no change", timeout=90_000)
    selected = (await page.locator("#cases").inner_text()).split(" / ")[1]
    assert int(selected) > 0  # "no change" over the day's cases, not an empty selection
    await expect(page.locator("table")).to_contain_text("No change.")
    await shot(page, "replay-dry-run")

    # A dead letter whose date is impossible: fix it, redrive it, see it leave the queue.
    await page.click("text=Dead letters")
    row = page.locator("#dead-letters tbody tr[data-id]")
    await expect(row).to_have_count(1)
    await shot(page, "dead-letters")
    await row.locator("a").click()
    await expect(page.locator("#raw-payload")).to_contain_text(BROKEN_DATE)
    fixed = json.loads(await page.locator("#fixed_payload").input_value())
    fixed["child"]["birth_date"] = FIXED_DATE
    await page.fill("#fixed_payload", json.dumps(fixed, indent=2))
    await page.fill("#redrive-reason", "impossible date, corrected from the paper record")
    await shot(page, "dead-letter")
    await page.click("#redrive-form button[type=submit]")
    await expect(page).to_have_url(f"{fed.url}/console/dead-letters")
    await expect(page.locator("#dead-letters tbody tr[data-id]")).to_have_count(0)
    await expect(page.locator("#dead-letters")).to_contain_text("No open dead letters")

    await page.click("text=Unresolved")
    await expect(page.locator("#unresolved")).to_contain_text("Birth grant could not be decided")
    await expect(page.locator("#unresolved")).to_contain_text("Payment rejected by the bank")
    await shot(page, "unresolved")

    await page.click("text=Audit log")
    audit = page.locator("table")
    await expect(audit).to_contain_text("citizen.lookup")
    await expect(audit).to_contain_text("redrive-fixed")
    await expect(audit).to_contain_text("impossible date, corrected from the paper record")
    await shot(page, "audit-log")

    await page.click("text=Tokens")
    await shot(page, "tokens")
    await page.close()


async def test_a_viewer_sees_no_action_and_no_admin_page(fed: OpsRig, browser: Browser) -> None:
    page = await browser.new_page()
    await page.goto(f"{fed.url}/console/login")
    await page.fill("#token", fed.tokens[Role.VIEWER])
    await page.click("button[type=submit]")
    await expect(page.locator("nav")).not_to_contain_text("Audit log")
    await page.goto(f"{fed.url}/console/unresolved")
    await expect(page.locator("#unresolved button")).to_have_count(0)
    answer = await page.goto(f"{fed.url}/console/audit")
    assert answer is not None and answer.status == 403
    await page.close()
