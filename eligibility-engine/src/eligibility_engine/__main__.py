"""``eligibility-engine``: decide from the topics until SIGTERM.

The event loop is uvloop's: the engine's transports (asyncpg, aiokafka) and its tasks run
on libuv instead of the pure-Python selector loop (see the README's profile notes)."""

from __future__ import annotations

import uvloop

from eligibility_engine.bootstrap import run
from eligibility_engine.config import EngineSettings


def main() -> None:
    uvloop.run(run(EngineSettings()))


if __name__ == "__main__":
    main()
