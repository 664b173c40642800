"""The unresolved queue when far more things are fine than need a human: every item
needing help is listed, counted and paged, wherever it sorts among the things."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio
from benefits_ops.access import Role
from benefits_shared.contracts.payments import PaymentRejected, PaymentSettled
from ops_rig import HASHER, OpsRig, eventually
from ops_scenario import OTHER

pytestmark = pytest.mark.asyncio(loop_scope="session")
SETTLED = 1050  # more than any single page
REJECTED = ("pay-z1", "pay-z2", "pay-z3", "pay-z4", "pay-z5")  # after every settled id


def _payment(payment_id: str) -> dict[str, Any]:
    return {
        "payment_id": payment_id,
        "decision_id": f"d-{payment_id}",
        "case_id": f"B1:{HASHER.digest(OTHER)}",
        "recipient_pin": OTHER,
        "amount": Decimal("250.00"),
    }


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def crowded(rig: OpsRig) -> AsyncIterator[OpsRig]:
    settled = [(PaymentSettled(**_payment(f"pay-{n:04d}")), OTHER) for n in range(SETTLED)]
    rejected = [(PaymentRejected(**_payment(p), reason_code="AC04"), OTHER) for p in REJECTED]
    await rig.publish([*settled, *rejected])

    async def projected() -> bool:
        figures = (await _get(rig, "/api/v1/dashboard"))["figures"]
        return bool(figures["events_total"] >= SETTLED + len(REJECTED))

    await eventually(projected, "every payment is projected", seconds=180)
    yield rig


async def _get(rig: OpsRig, path: str, **params: Any) -> Any:
    async with rig.client(Role.VIEWER) as c:
        answer = await c.get(path, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()


async def test_a_rejected_payment_sorting_after_a_thousand_settled_ones_is_listed(
    crowded: OpsRig,
) -> None:
    items = await _get(crowded, "/api/v1/unresolved", category="payment")
    assert sorted(i["decision_id"] for i in items) == [f"d-{p}" for p in REJECTED]
    everything = await _get(crowded, "/api/v1/unresolved")
    assert len(everything) == len(REJECTED)
    dashboard = await _get(crowded, "/api/v1/dashboard")
    assert dashboard["unresolved"] == {"payment": len(REJECTED)}


async def test_pages_of_the_queue_cover_it_once(crowded: OpsRig) -> None:
    whole = [i["key"] for i in await _get(crowded, "/api/v1/unresolved")]
    paged: list[str] = []
    for offset in range(0, len(REJECTED) + 2, 2):
        page = await _get(crowded, "/api/v1/unresolved", limit=2, offset=offset)
        assert len(page) <= 2
        paged += [i["key"] for i in page]
    assert paged == whole
    assert len(set(paged)) == len(REJECTED)
