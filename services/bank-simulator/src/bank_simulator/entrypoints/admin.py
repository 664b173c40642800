"""The simulator's own controls under ``/_sim`` (never faulted): faults, marks, ledger.

- ``GET /_sim/health``, ``GET|POST /_sim/faults``: the simulator kit's; the faults include
  the settlement delay (partial JSON).
- ``POST /_sim/accounts/closed`` ``{"iban": ...}``: credits to it are rejected ``AC04``.
- ``POST /_sim/persons/deceased`` ``{"pin": ...}``: credits to them are rejected ``MD07``.
- ``GET /_sim/accounts``: every account; ``GET /_sim/ledger``: every settled credit.
- ``GET /_sim/health``: the server is up (whatever the faults).

PINs travel in bodies, never in paths, so that no access log holds one.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException
from simulator_kit import admin as simulator_admin

from bank_simulator.bank import Bank
from bank_simulator.errors import BankRefusal
from bank_simulator.faults import Faults


def router(bank: Bank, faults: Faults) -> APIRouter:
    admin = simulator_admin.router(faults)

    @admin.post("/accounts/closed")
    async def close_account(iban: Annotated[str, Body(embed=True)]) -> dict[str, str]:
        try:
            bank.close_account(iban)
        except BankRefusal as refused:
            raise HTTPException(refused.status_code, str(refused)) from None
        return {"iban": iban, "status": "CLOSED"}

    @admin.post("/persons/deceased")
    async def mark_deceased(pin: Annotated[str, Body(embed=True)]) -> dict[str, bool]:
        bank.mark_deceased(pin)
        return {"deceased": True}

    @admin.get("/accounts")
    async def accounts() -> list[dict[str, Any]]:
        book = bank.accounts
        return [{**asdict(a), "deceased": book.is_deceased(a.pin)} for a in book.all()]

    @admin.get("/ledger")
    async def ledger() -> list[dict[str, Any]]:
        bank.settle_due(timedelta(seconds=faults.current.settlement_delay_seconds))
        return [c.model_dump(mode="json", exclude={"kind"}) for c in bank.ledger()]

    return admin
