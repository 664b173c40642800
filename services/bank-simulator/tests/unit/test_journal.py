"""The journal: JSON lines that outlive the process and rebuild the bank on restart."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from bank_simulator.adapters.journal import JsonLinesJournal
from bank_simulator.bootstrap import build_app
from bank_simulator.config import BankSimulatorSettings
from bank_simulator.events import PersonDeceased
from benefits_shared.clock import BAKU, FixedClock
from fastapi import FastAPI

PERSON = {
    "pin": "5AB7C9D",
    "full_name": "Əliyeva Şəbnəm",
    "birth_date": "1990-05-17",
    "phone": None,
}
Doc = Callable[..., bytes]


def app_on(path: Path, clock: FixedClock) -> FastAPI:
    settings = BankSimulatorSettings(bank_sim_ledger_path=path, bank_sim_settlement_delay_seconds=0)
    return build_app(settings, clock=clock)


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bank.test")


async def pay_once(app: FastAPI, document: Doc) -> str:
    """Open an account, pay 170.32 into it and let it settle; its IBAN."""
    async with client(app) as bank:
        opened = await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "a1"})
        iban: str = opened.json()["iban"]
        doc = document("MSG1", [("E2E1", iban, "170.32", "Əliyeva Şəbnəm")])
        headers = {"Idempotency-Key": "p1", "Content-Type": "application/xml"}
        assert (await bank.post("/v1/payments", content=doc, headers=headers)).status_code == 202
        await bank.get("/_sim/ledger")
        return iban


async def test_every_settled_credit_is_a_json_line_with_a_decimal_string(
    tmp_path: Path, clock: FixedClock, document: Doc
) -> None:
    path = tmp_path / "ledger.jsonl"
    iban = await pay_once(app_on(path, clock), document)
    facts = [json.loads(line) for line in path.read_text().splitlines()]
    credits = [f for f in facts if f["kind"] == "credit_settled"]
    assert [(c["end_to_end_id"], c["iban"], c["amount"], c["currency"]) for c in credits] == [
        ("E2E1", iban, "170.32", "AZN")
    ]


async def test_a_restarted_bank_remembers_accounts_credits_and_answers(
    tmp_path: Path, clock: FixedClock, document: Doc
) -> None:
    path = tmp_path / "ledger.jsonl"
    iban = await pay_once(app_on(path, clock), document)
    async with client(app_on(path, clock)) as restarted:
        assert [c["iban"] for c in (await restarted.get("/_sim/ledger")).json()] == [iban]
        again = await restarted.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "a1"})
        assert (again.status_code, again.json()["iban"]) == (201, iban)
        other_key = await restarted.post(
            "/v1/accounts", json=PERSON, headers={"Idempotency-Key": "a2"}
        )
        assert (other_key.status_code, other_key.json()["iban"]) == (200, iban)


async def test_a_torn_last_line_is_cut_off_when_the_journal_is_opened(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "ledger.jsonl"
    async with client(app_on(path, clock)) as bank:
        await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "a1"})
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"kind": "account_op')
    assert len(list(JsonLinesJournal(path).replay())) == len(whole.splitlines())
    assert path.read_bytes() == whole


def test_the_journal_folder_is_created_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "ledger.jsonl"
    JsonLinesJournal(path).append(
        PersonDeceased(at=datetime(2026, 4, 1, tzinfo=BAKU), pin="5AB7C9D")
    )
    assert [f.kind for f in JsonLinesJournal(path).replay()] == ["person_deceased"]
