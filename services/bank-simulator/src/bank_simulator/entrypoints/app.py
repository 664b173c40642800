"""The ASGI app: the bank's API, the simulator's controls, and a settlement loop.

The loop settles due credits in the background (so the ledger fills even if nobody asks
for a status); every status and ledger read settles first too, which is all a test driving
the app through ``httpx.ASGITransport`` (no lifespan) needs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI

from bank_simulator.bank import Bank
from bank_simulator.entrypoints import admin, bank_api
from bank_simulator.faults import Faults

SETTLE_EVERY_SECONDS = 0.2


def create_app(bank: Bank, faults: Faults) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.create_task(_settle_forever(bank, faults))
        yield
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop

    app = FastAPI(title="Partner bank simulator", lifespan=lifespan)
    app.include_router(bank_api.router(bank, faults))
    app.include_router(admin.router(bank, faults))
    return app


async def _settle_forever(bank: Bank, faults: Faults) -> None:
    while True:
        bank.settle_due(timedelta(seconds=faults.current.settlement_delay_seconds))
        await asyncio.sleep(SETTLE_EVERY_SECONDS)
