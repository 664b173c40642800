"""``python -m benefits_shared.kafka.create_topics``: create the catalog's missing topics
on the broker of the settings (compose runs it once before the services)."""

from __future__ import annotations

import asyncio
import logging

from benefits_shared.kafka.admin import ensure_topics, wait_until_ready
from benefits_shared.settings import CommonSettings
from benefits_shared.topics import all_topics

log = logging.getLogger(__name__)


async def create() -> list[str]:
    kafka = CommonSettings().kafka()
    await wait_until_ready(kafka, timeout_s=120)
    return await ensure_topics(kafka, all_topics())


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    created = asyncio.run(create())
    log.info("topics: %d created, %d in the catalog", len(created), len(all_topics()))


if __name__ == "__main__":
    main()
