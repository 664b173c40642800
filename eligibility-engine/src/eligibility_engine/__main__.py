"""``eligibility-engine``: decide from the topics until SIGTERM."""

from __future__ import annotations

import asyncio

from eligibility_engine.bootstrap import run
from eligibility_engine.config import EngineSettings


def main() -> None:
    asyncio.run(run(EngineSettings()))


if __name__ == "__main__":
    main()
