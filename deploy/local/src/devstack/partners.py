"""The partner simulators' bad days, switched at run time through their ``/_sim/faults``
(the simulator kit's admin API): what the end-to-end suite and ``make chaos`` inject.

An *outage* answers 503 to everything (no work done); a *time-out after the work* does the
work and then holds the answer past the client's time-out (bank: ``timeout_hold_seconds``;
SMS gateway: ``timeout_seconds``), so that the retry meets work already done.
"""

from __future__ import annotations

import asyncio

import httpx

from devstack.components import Plan

#: The partners and the setting that holds an answer for a time-out after the work.
PARTNERS = {"BANK_API_URL": "timeout_hold_seconds", "SMS_GATEWAY_URL": "timeout_seconds"}

#: Retry and breaker settings short enough that a run recovers from a fault in seconds.
QUICK_RECOVERY: dict[str, dict[str, str]] = {
    # Noon in Baku, so the notices are not held for quiet hours whenever a run happens.
    "notifier": {
        "NOTIFIER_FIXED_TIME": "2026-11-23T12:00:00+04:00",
        "NOTIFIER_BACKOFF_MAX_SECONDS": "5",
        "NOTIFIER_BREAKER_COOLDOWN_SECONDS": "5",
    },
    "bank-gateway": {
        "GATEWAY_STATUS_POLL_SECONDS": "1",
        "GATEWAY_RETRY_MAX_SECONDS": "5",
        "GATEWAY_BREAKER_OPEN_SECONDS": "5",
    },
}


async def partners_up(the_plan: Plan, timeout_s: float = 180) -> None:
    """Wait until the partner simulators answer (a loaded machine starts them slowly), so
    that the faults switched later have someone to switch."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    async with httpx.AsyncClient(timeout=5) as http:
        for name in PARTNERS:
            while True:
                try:
                    if (await http.get(f"{the_plan.endpoints[name]}/_sim/health")).is_success:
                        break
                except httpx.TransportError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"the simulator behind {name} never answered")
                await asyncio.sleep(1)


async def outage(base_url: str, seconds: float) -> None:
    """Everything answers 503 for ``seconds``."""
    await _for_a_while(base_url, {"outage": True}, seconds)


async def timeouts_after_work(endpoint: str, base_url: str, seconds: float) -> None:
    """For ``seconds``, every call does its work and then times out (held 12 s)."""
    await _for_a_while(base_url, {"timeout_rate": 1.0, PARTNERS[endpoint]: 12.0}, seconds)


async def _for_a_while(base_url: str, faults: dict[str, object], seconds: float) -> None:
    """Switch ``faults`` on for ``seconds``, then back to what they were."""
    async with httpx.AsyncClient(timeout=10) as http:
        before = (await http.get(f"{base_url}/_sim/faults")).raise_for_status().json()
        (await http.post(f"{base_url}/_sim/faults", json=faults)).raise_for_status()
        try:
            await asyncio.sleep(seconds)
        finally:
            back = {name: before[name] for name in faults}
            (await http.post(f"{base_url}/_sim/faults", json=back)).raise_for_status()
