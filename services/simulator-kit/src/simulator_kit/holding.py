"""A partner that holds its answer (the time-out faults), and how long a simulator's
server waits for such answers when it stops.

uvicorn waits ``GRACEFUL_SHUTDOWN_SECONDS`` for the requests in hand, then cancels the
rest and says how many in one line; a request cancelled inside the application is also
logged, as "Exception in ASGI application" with its traceback. A held answer is not a
failure of the simulator, so :func:`hold` ends early on that cancellation and the request
answers what it would have answered, to a client that is usually gone by then.
"""

from __future__ import annotations

import asyncio
import contextlib

#: What a stopping simulator waits for the requests in hand (a held answer would hold
#: the stop for its whole delay: 35 s in the issue's faults).
GRACEFUL_SHUTDOWN_SECONDS = 2


async def hold(seconds: float) -> None:
    """Wait ``seconds`` before answering; a server stopping meanwhile ends the wait."""
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.sleep(seconds)
