"""A connector's step, taken only by the instance that leads its feed (ADR 0019).

Each feed (civil, MSE, population) has one cursor: of several connector instances, the
one holding the feed's ``Leadership`` steps, the others idle as standbys and try again
after each idle pause. An instance that takes the lead (again) first forgets what it held
in memory, since another may have moved the cursor meanwhile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from benefits_shared.db.leadership import Leadership

from registry_connectors.entrypoints.polling import Step

Forget = Callable[[], Awaitable[None]]


class Led:
    def __init__(self, lead: Leadership, step: Step, forget: Forget | None = None) -> None:
        self._lead = lead
        self._step = step
        self._forget = forget
        self._leading = False

    async def __call__(self) -> bool:
        """The step's answer while leading; False (nothing waiting here) as a standby."""
        leading = await self._lead.lead()
        if leading and not self._leading and self._forget is not None:
            await self._forget()
        self._leading = leading
        return await self._step() if leading else False

    async def release(self) -> None:
        await self._lead.release()
        self._leading = False
