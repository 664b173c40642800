"""The ops API on the real thing: roles and refusals, the timeline, the queues, redrive,
tokens and the audit log, with the projection fed by real events on fresh topics."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
import pytest_asyncio
from benefits_ops.access import Role
from benefits_shared.contracts.life_events import BirthRegistered
from benefits_shared.contracts.persons import PersonRecord
from ops_rig import HASHER, OpsRig, eventually
from ops_scenario import (
    CHILD,
    DECEASED,
    FATHER,
    GRANT_REASON,
    MOTHER,
    MOTHER_PHONE,
    PARKED_NOTICE,
    SMS_TEXT,
    leyla_story,
    troubles,
)
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

pytestmark = pytest.mark.asyncio(loop_scope="session")
STORY_EVENTS = len(leyla_story()) + len(troubles())


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def fed(rig: OpsRig) -> AsyncIterator[OpsRig]:
    await rig.publish(leyla_story() + troubles())

    async def projected() -> bool:
        async with rig.client(Role.VIEWER) as c:
            figures = (await c.get("/api/v1/dashboard")).json()["figures"]
        return bool(figures["events_total"] >= STORY_EVENTS)

    await eventually(projected, "the story is projected")
    yield rig


async def call(rig: OpsRig, role: Role | None, method: str, path: str, **kw: Any) -> Any:
    async with rig.client(role) as c:
        return await c.request(method, path, **kw)


async def lookup(rig: OpsRig, pin: str, role: Role = Role.VIEWER, why: str = "142 call") -> Any:
    body = {"pin": pin, "reason": why}
    return await call(rig, role, "POST", "/api/v1/citizens/lookup", json=body)


async def test_no_token_no_data_on_any_endpoint_but_health(fed: OpsRig) -> None:
    async with fed.client(None) as c:
        spec = (await c.get("/openapi.json")).json()
        assert (await c.get("/healthz")).status_code == 200
        for path, methods in spec["paths"].items():
            if path in ("/healthz", "/readyz"):
                continue
            concrete = path.replace("{dead_letter_id}", "1").replace("{token_id}", "x")
            for method in methods:
                answer = await c.request(method.upper(), concrete, json={})
                assert answer.status_code == 401, (method, path, answer.text)
        bad = {"Authorization": "Bearer ops_not-a-token"}
        assert (await c.get("/api/v1/dashboard", headers=bad)).status_code == 401


async def test_a_viewer_reads_but_cannot_act(fed: OpsRig) -> None:
    v = Role.VIEWER
    assert (await call(fed, v, "GET", "/api/v1/dashboard")).status_code == 200
    assert (await call(fed, v, "GET", "/api/v1/dead-letters")).status_code == 200
    assert (await call(fed, v, "GET", "/api/v1/unresolved")).status_code == 200
    assert (await lookup(fed, MOTHER, v)).status_code == 200
    refused = [
        ("POST", "/api/v1/dead-letters/1/redrive", {"reason": "try"}),
        ("POST", "/api/v1/dead-letters/1/discard", {"reason": "try"}),
        ("POST", "/api/v1/unresolved/resolve", {"key": "undecided:x", "note": "done"}),
        ("GET", "/api/v1/tokens", None),
        ("POST", "/api/v1/tokens", {"name": "x", "role": "admin"}),
        ("GET", "/api/v1/audit", None),
    ]
    for method, path, body in refused:
        answer = await call(fed, v, method, path, json=body)
        assert answer.status_code == 403, (path, answer.text)


async def test_an_operator_acts_but_does_not_manage_tokens(fed: OpsRig) -> None:
    o = Role.OPERATOR
    assert (await call(fed, o, "GET", "/api/v1/tokens")).status_code == 403
    assert (await call(fed, o, "GET", "/api/v1/audit")).status_code == 403
    missing = await call(
        fed, o, "POST", "/api/v1/dead-letters/999999/discard", json={"reason": "x"}
    )
    assert missing.status_code == 404


async def test_the_timeline_says_why_she_got_the_birth_grant(fed: OpsRig) -> None:
    answer = await lookup(fed, MOTHER)
    timeline = answer.json()
    titles = [e["title"] for e in timeline["entries"]]
    assert timeline["name"] == "Leyla Aliyeva"
    assert "Birth registered" in titles
    decision = next(e for e in timeline["entries"] if e["title"] == "Birth grant granted")
    assert (
        decision["summary"]
        == "Birth grant granted: the 1st child of the mother; paid to the mother."
    )
    assert decision["details"]["amount"] == "250.00 AZN"
    assert decision["details"]["rule version"] == "B1-2025.1"
    assert decision["parameters"] == {"birth_grant.base_amount@2025-01-01": "250.00"}
    assert decision["facts"]["rank"] == 1
    settled = next(e for e in timeline["entries"] if e["title"] == "Payment settled")
    assert settled["details"]["ISO 20022 status"] == "ACSC (settled)"
    sms = [e for e in timeline["entries"] if e["title"].startswith("SMS")]
    assert {e["state"] for e in sms} == {"accepted", "delivered"}
    assert all(SMS_TEXT in e["summary"] for e in sms)
    assert GRANT_REASON not in json.dumps(timeline)  # the engine's words, in plain words
    child = await lookup(fed, CHILD)
    assert "Birth grant granted" in [e["title"] for e in child.json()["entries"]]


async def test_the_timeline_says_why_not_with_dead_letters_and_days_owed_to_the_estate(
    fed: OpsRig,
) -> None:
    record = PersonRecord(
        pin=DECEASED, given_name="Rauf", surname="Mammadov", birth_date=date(1950, 2, 1), sex="M"
    )
    broken = {**record.model_dump(mode="json"), "birth_date": "1950-02-30"}
    reason = "birth_date: day is out of range for month"
    await fed.dead_letter(record, DECEASED, broken, reason)

    async def told() -> list[dict[str, Any]]:
        answer = await lookup(fed, DECEASED, why="heirs called")
        entries: list[dict[str, Any]] = answer.json()["entries"]
        return entries

    async def dead_letter_shown() -> bool:
        return any(e["area"] == "dead-letters" for e in await told())

    await eventually(dead_letter_shown, "the dead letter is projected")
    entries = await told()
    dead = next(e for e in entries if e["area"] == "dead-letters")
    assert (dead["title"], dead["summary"], dead["state"]) == (
        "Record not processed (person-recorded)",
        reason,
        "open",
    )
    assert dead["details"]["origin topic"] == fed.topic("persons")
    assert dead["at"] is not None
    owed = [e for e in entries if e["title"] == "Owed to the estate"]
    assert sorted(e["summary"].split(" for ")[0] for e in owed) == ["140.00 AZN", "310.00 AZN"]
    assert all("estate of this citizen, who died on 2026-03-14" in e["summary"] for e in owed)
    assert [e["details"].get("refused payment (MD07)") for e in owed].count("pay-b2-0007") == 1
    assert not [e for e in entries if e["title"] == e["event_type"]]  # nothing left raw


async def test_every_lookup_is_audited_without_the_pin(fed: OpsRig) -> None:
    await lookup(fed, FATHER)
    audit = (await call(fed, Role.ADMIN, "GET", "/api/v1/audit")).json()
    lookups = [e for e in audit if e["action"] == "citizen.lookup"]
    assert any(
        e["target"] == f"pin#{HASHER.digest(FATHER)}" and e["reason"] == "142 call" for e in lookups
    )
    assert all(e["role"] for e in lookups)
    assert FATHER not in json.dumps(audit)


async def test_a_lookup_without_a_reason_is_refused_and_shows_nothing(fed: OpsRig) -> None:
    for body in ({"pin": FATHER}, {"pin": FATHER, "reason": ""}):
        answer = await call(fed, Role.VIEWER, "POST", "/api/v1/citizens/lookup", json=body)
        assert answer.status_code == 422 and "entries" not in answer.text
    async with httpx.AsyncClient(
        base_url=fed.url, cookies={"ops_token": fed.tokens[Role.VIEWER]}
    ) as console:
        page = await console.post("/console/citizens", data={"pin": FATHER, "reason": "  "})
    assert page.status_code == 422 and "Say why you look this citizen up" in page.text
    audit = (await call(fed, Role.ADMIN, "GET", "/api/v1/audit")).json()
    assert all(e["reason"] for e in audit if e["action"] == "citizen.lookup")


async def test_nothing_stored_or_logged_holds_a_pin_or_phone(fed: OpsRig) -> None:
    await lookup(fed, MOTHER)
    engine = create_async_engine(fed.database_url)
    try:
        rows = []
        async with engine.connect() as conn:
            for table in ("events", "dead_letters", "audit_log", "resolutions"):
                rows += (await conn.execute(text(f'SELECT * FROM "{fed.schema}".{table}'))).all()
        stored = " ".join(str(r) for r in rows)
    finally:
        await engine.dispose()
    for pin in (MOTHER, CHILD, FATHER, DECEASED):
        assert pin not in stored
        assert pin not in fed.log.read_text()
    assert "Leyla" in stored  # names stay, for the timeline
    assert MOTHER_PHONE not in fed.log.read_text()


async def test_the_unresolved_queue_lists_and_resolves(fed: OpsRig) -> None:
    items = (await call(fed, Role.VIEWER, "GET", "/api/v1/unresolved")).json()
    by_category = {i["category"]: i for i in items if i["category"] != "estate"}
    assert by_category["undecided"]["title"] == "Birth grant could not be decided"
    assert "mother is not known" in by_category["undecided"]["summary"]
    assert by_category["payment"]["summary"] == "250.00 AZN: bank reason AC04"
    assert by_category["notice"]["notice_id"] == PARKED_NOTICE
    assert by_category["notice"]["state"] == "parked"
    assert by_category["notice"]["actions"] == ["retry", "resolve"]
    assert by_category["payment"]["actions"] == ["resolve"]
    estate = {i["summary"].split(" owed")[0]: i for i in items if i["category"] == "estate"}
    assert sorted(estate) == ["140.00 AZN", "310.00 AZN"]
    assert "2026-03-01 to 2026-03-14 (14 days)" in estate["140.00 AZN"]["summary"]
    assert "MD07" in estate["310.00 AZN"]["summary"]
    dashboard = (await call(fed, Role.VIEWER, "GET", "/api/v1/dashboard")).json()
    assert dashboard["unresolved"] == {"undecided": 1, "payment": 1, "estate": 2, "notice": 1}
    for resolved in (by_category["payment"], estate["140.00 AZN"]):
        await _resolve_once(fed, resolved["key"])
    after = (await call(fed, Role.VIEWER, "GET", "/api/v1/unresolved")).json()
    assert [i["key"] for i in after if i["category"] in ("payment", "estate")] == [
        estate["310.00 AZN"]["key"]
    ]


async def test_the_queue_offers_a_parked_notice_s_retry_to_an_operator(fed: OpsRig) -> None:
    retry = f"/console/notices/{PARKED_NOTICE}/retry"
    for role, offered in ((Role.OPERATOR, True), (Role.VIEWER, False)):
        async with httpx.AsyncClient(
            base_url=fed.url, cookies={"ops_token": fed.tokens[role]}
        ) as c:
            page = (await c.get("/console/unresolved")).text
        assert (retry in page) is offered
        assert ("Owed to a deceased holder" in page) is True
    answer = await call(
        fed,
        Role.OPERATOR,
        "POST",
        f"/api/v1/notices/{PARKED_NOTICE}/retry",
        json={"reason": "gateway back"},
    )
    assert answer.status_code == 202


async def _resolve_once(rig: OpsRig, key: str) -> None:
    body = {"key": key, "note": "handled"}
    assert (
        await call(rig, Role.VIEWER, "POST", "/api/v1/unresolved/resolve", json=body)
    ).status_code == 403
    assert (
        await call(rig, Role.OPERATOR, "POST", "/api/v1/unresolved/resolve", json=body)
    ).status_code == 204
    assert (
        await call(rig, Role.OPERATOR, "POST", "/api/v1/unresolved/resolve", json=body)
    ).status_code == 409
    audit = (await call(rig, Role.ADMIN, "GET", "/api/v1/audit")).json()
    assert any(e["action"] == "resolve" and e["target"] == key for e in audit)


async def _dead_letter(rig: OpsRig, broken: dict[str, Any], reason: str) -> dict[str, Any]:
    model = BirthRegistered.model_validate({**broken, "child": {**broken["child"]}})
    await rig.dead_letter(
        model, CHILD, {**broken, "child": {**broken["child"], "birth_date": "2026-02-30"}}, reason
    )

    async def listed() -> bool:
        rows = (await call(rig, Role.VIEWER, "GET", "/api/v1/dead-letters")).json()
        return any(r["reason"] == reason for r in rows)

    await eventually(listed, "the dead letter is projected")
    rows = (await call(rig, Role.VIEWER, "GET", "/api/v1/dead-letters")).json()
    found: dict[str, Any] = next(r for r in rows if r["reason"] == reason)
    return found


def _birth(record_no: str) -> dict[str, Any]:
    return {
        "record_no": record_no,
        "seq": 7,
        "registered_at": "2026-03-03T10:00:00+00:00",
        "office": "Baku-2",
        "child": {
            "pin": CHILD,
            "given_name": "Aysu",
            "surname": "Aliyeva",
            "birth_date": "2026-03-01",
            "sex": "F",
        },
        "mother_pin": MOTHER,
    }


async def test_a_fixed_dead_letter_is_redriven_once_with_a_new_id(fed: OpsRig) -> None:
    fixed = _birth("CR-2001")
    dead = await _dead_letter(fed, fixed, "child.birth_date: not a date")
    shown = (await call(fed, Role.VIEWER, "GET", f"/api/v1/dead-letters/{dead['id']}")).json()
    assert shown["payload_json"]["child"]["birth_date"] == "2026-02-30"
    assert shown["headers"]["dlq_reason"] == "child.birth_date: not a date"
    assert dead["origin_topic"] == fed.topic("life-events")
    path = f"/api/v1/dead-letters/{dead['id']}/redrive"
    done = await call(
        fed, Role.OPERATOR, "POST", path, json={"reason": "date typo", "fixed_payload": fixed}
    )
    assert done.status_code == 200, done.text
    assert done.json()["fixed"] is True
    new_id = done.json()["ce_id"]
    assert new_id != dead["ce_id"]
    again = await call(fed, Role.OPERATOR, "POST", path, json={"reason": "twice"})
    assert again.status_code == 409
    sent = [r for r in await fed.read_all("life-events") if dict(r.headers).get("ops_redrive")]
    assert len(sent) == 1
    headers = dict(sent[0].headers)
    assert headers["ce_id"].decode() == new_id
    assert not any(k.startswith("dlq_") for k in headers)
    assert json.loads(sent[0].value) == fixed
    assert sent[0].key == HASHER.kafka_key(CHILD)
    open_now = (await call(fed, Role.VIEWER, "GET", "/api/v1/dead-letters")).json()
    assert dead["id"] not in [r["id"] for r in open_now]
    audit = (await call(fed, Role.ADMIN, "GET", "/api/v1/audit")).json()
    assert any(e["action"] == "dead-letter.view" and e["role"] == "viewer" for e in audit)
    entry = next(e for e in audit if e["action"] == "redrive-fixed")
    assert entry["reason"] == "date typo" and entry["details"]["ce_id"] == new_id
    assert CHILD not in json.dumps(entry)  # the fix is recorded with PINs hashed

    async def projected() -> bool:
        timeline = await lookup(fed, CHILD)
        return any(e["details"].get("record") == "CR-2001" for e in timeline.json()["entries"])

    await eventually(projected, "the redriven birth is projected like any event")


async def test_a_dead_letter_redriven_as_is_keeps_its_id_and_one_discarded_stays_closed(
    fed: OpsRig,
) -> None:
    dead = await _dead_letter(fed, _birth("CR-3001"), "engine was down")
    path = f"/api/v1/dead-letters/{dead['id']}/redrive"
    done = (await call(fed, Role.OPERATOR, "POST", path, json={"reason": "engine fixed"})).json()
    assert done["ce_id"] == dead["ce_id"] and done["fixed"] is False
    other = await _dead_letter(fed, _birth("CR-3002"), "duplicate from a test")
    discard = f"/api/v1/dead-letters/{other['id']}/discard"
    assert (
        await call(fed, Role.OPERATOR, "POST", discard, json={"reason": "test data"})
    ).status_code == 200
    redrive = f"/api/v1/dead-letters/{other['id']}/redrive"
    assert (
        await call(fed, Role.OPERATOR, "POST", redrive, json={"reason": "no"})
    ).status_code == 409
    closed = (
        await call(fed, Role.VIEWER, "GET", "/api/v1/dead-letters", params={"state": "discarded"})
    ).json()
    assert [r["resolution"]["reason"] for r in closed if r["id"] == other["id"]] == ["test data"]


async def test_an_admin_makes_and_revokes_tokens(fed: OpsRig) -> None:
    made = await call(
        fed, Role.ADMIN, "POST", "/api/v1/tokens", json={"name": "call centre", "role": "viewer"}
    )
    assert made.status_code == 201
    secret, token_id = made.json()["secret"], made.json()["token_id"]
    listed = (await call(fed, Role.ADMIN, "GET", "/api/v1/tokens")).json()
    assert secret not in json.dumps(listed)
    headers = {"Authorization": f"Bearer {secret}"}
    async with fed.client(None) as c:
        assert (await c.get("/api/v1/dashboard", headers=headers)).status_code == 200
        assert (await c.get("/api/v1/audit", headers=headers)).status_code == 403
    assert (await call(fed, Role.ADMIN, "DELETE", f"/api/v1/tokens/{token_id}")).status_code == 204
    async with fed.client(None) as c:
        assert (await c.get("/api/v1/dashboard", headers=headers)).status_code == 401
    actions = [e["action"] for e in (await call(fed, Role.ADMIN, "GET", "/api/v1/audit")).json()]
    assert "token.create" in actions and "token.revoke" in actions


async def test_the_audit_log_refuses_updates_and_deletes(fed: OpsRig) -> None:
    engine = create_async_engine(fed.database_url)
    try:
        for statement in ("UPDATE {s}.audit_log SET reason = 'x'", "DELETE FROM {s}.audit_log"):
            with pytest.raises(DBAPIError, match="append-only"):
                async with engine.begin() as conn:
                    await conn.execute(text(statement.format(s=f'"{fed.schema}"')))
    finally:
        await engine.dispose()
