"""``notifier``: record notices from the topics and send them until SIGTERM."""

from __future__ import annotations

import asyncio

from notifier.bootstrap import run
from notifier.config import NotifierSettings


def main() -> None:
    asyncio.run(run(NotifierSettings()))


if __name__ == "__main__":
    main()
