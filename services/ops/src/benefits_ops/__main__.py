"""``python -m benefits_ops``: the projection consumer and the HTTP console until SIGTERM."""

from __future__ import annotations

import asyncio

from benefits_ops.bootstrap import run
from benefits_ops.config import OpsSettings


def main() -> None:
    asyncio.run(run(OpsSettings()))


if __name__ == "__main__":
    main()
