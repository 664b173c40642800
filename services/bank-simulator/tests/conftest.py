"""The simulator driven in-process through ``httpx.ASGITransport``, on a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from bank_simulator.adapters.journal import MemoryJournal
from bank_simulator.bootstrap import build_app
from bank_simulator.config import BankSimulatorSettings
from benefits_shared.clock import BAKU, FixedClock
from fastapi import FastAPI
from lxml import etree
from lxml.builder import ElementMaker

PAIN001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
AGENCY_IBAN = "AZ21NABZ00000000137010001944"
DELAY_SECONDS = 120

Tx = tuple[str, str, str, str]  # EndToEndId, IBAN, amount text, creditor name


def pain001(msg_id: str, txs: list[Tx], *, ccy: str = "AZN", ctrl_sum: str | None = None) -> bytes:
    """A pain.001.001.09 document written here by hand, independent of the bank's reader."""
    e = ElementMaker(namespace=PAIN001, nsmap={None: PAIN001})
    total = ctrl_sum or str(sum((Decimal(t[2]) for t in txs), Decimal(0)))
    transfers = [
        e.CdtTrfTxInf(
            e.PmtId(e.EndToEndId(e2e)),
            e.Amt(e.InstdAmt(amount, Ccy=ccy)),
            e.Cdtr(e.Nm(name)),
            e.CdtrAcct(e.Id(e.IBAN(iban))),
        )
        for e2e, iban, amount, name in txs
    ]
    document = e.Document(
        e.CstmrCdtTrfInitn(
            e.GrpHdr(
                e.MsgId(msg_id),
                e.CreDtTm("2026-04-01T10:00:00+04:00"),
                e.NbOfTxs(str(len(txs))),
                e.CtrlSum(total),
                e.InitgPty(e.Nm("Sosial Müavinətlər Agentliyi")),
            ),
            e.PmtInf(
                e.PmtInfId(msg_id),
                e.PmtMtd("TRF"),
                e.ReqdExctnDt(e.Dt("2026-04-01")),
                e.Dbtr(e.Nm("Sosial Müavinətlər Agentliyi")),
                e.DbtrAcct(e.Id(e.IBAN(AGENCY_IBAN))),
                e.DbtrAgt(e.FinInstnId(e.BICFI("NABZAZ2X"))),
                *transfers,
            ),
        )
    )
    xml: bytes = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    return xml


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 4, 1, 10, 0, tzinfo=BAKU))


@pytest.fixture
def journal() -> MemoryJournal:
    return MemoryJournal()


@pytest.fixture
def app(clock: FixedClock, journal: MemoryJournal) -> FastAPI:
    settings = BankSimulatorSettings(
        bank_sim_settlement_delay_seconds=DELAY_SECONDS, bank_sim_seed=7
    )
    return build_app(settings, clock=clock, journal=journal)


@pytest.fixture
async def bank(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bank.test") as client:
        yield client


OpenAccount = Callable[..., Awaitable[dict[str, Any]]]
Submit = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def open_account(bank: httpx.AsyncClient) -> OpenAccount:
    async def open_(pin: str = "5AB7C9D", name: str = "Əliyeva Şəbnəm") -> dict[str, Any]:
        body = {"pin": pin, "full_name": name, "birth_date": "1990-05-17", "phone": None}
        answer = await bank.post(
            "/v1/accounts", json=body, headers={"Idempotency-Key": f"acc-{pin}"}
        )
        assert answer.status_code in (200, 201), answer.text
        result: dict[str, Any] = answer.json()
        return result

    return open_


@pytest.fixture
def submit(bank: httpx.AsyncClient) -> Submit:
    async def submit_(document: bytes, key: str) -> httpx.Response:
        headers = {"Idempotency-Key": key, "Content-Type": "application/xml"}
        return await bank.post("/v1/payments", content=document, headers=headers)

    return submit_


@pytest.fixture
def document() -> Callable[..., bytes]:
    """``document(msg_id, [(e2e, iban, amount, name), ...], ccy=..., ctrl_sum=...)``."""
    return pain001


PAIN002 = {"s": "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"}
Statuses = Callable[[httpx.Response], dict[str, tuple[str, str | None]]]


@pytest.fixture
def statuses() -> Statuses:
    """Read a pain.002 answer into ``{EndToEndId: (TxSts, reason code)}``."""

    def read(answer: httpx.Response) -> dict[str, tuple[str, str | None]]:
        assert answer.status_code == 200, answer.text
        root = etree.fromstring(answer.content)
        return {
            tx.findtext("s:OrgnlEndToEndId", namespaces=PAIN002): (
                tx.findtext("s:TxSts", namespaces=PAIN002),
                tx.findtext("s:StsRsnInf/s:Rsn/s:Cd", namespaces=PAIN002),
            )
            for tx in root.iterfind(".//s:TxInfAndSts", PAIN002)
        }

    return read
