"""An outbox relay process for the kill tests.

argv: bootstrap database_url schema. It waits a little after sending each batch and
before confirming it, so that a SIGKILL often lands in the window where the batch is in
Kafka but not marked published: the case the relay's recovery exists for.
"""

import asyncio
import random
import sys
import uuid

from benefits_shared.db.messaging_tables import add_messaging_tables
from benefits_shared.db.outbox import OutboxRelay, RelayTables
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.lifecycle import install_stop_signals
from benefits_shared.testing import worker_ready
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine


class SlowRelay(OutboxRelay):
    async def _confirm(
        self, batch_id: uuid.UUID, published: set[str] | None, row_ids: list[int] | None = None
    ) -> None:
        await asyncio.sleep(random.uniform(0, 0.1))
        await super()._confirm(batch_id, published, row_ids)


async def main(bootstrap: str, url: str, schema: str) -> None:
    _, outbox, batches = add_messaging_tables(MetaData(schema=schema))
    engine = create_async_engine(url)
    producer = idempotent_producer(bootstrap, f"relay-{schema}")
    reader = safe_consumer(bootstrap, None)
    await producer.start()
    await reader.start()
    relay = SlowRelay(engine, RelayTables(outbox, batches), producer, reader, batch_size=40)
    install_stop_signals(relay)
    worker_ready()  # SIGTERM is handled from here on
    try:
        await relay.run()
    finally:
        await producer.stop()
        await reader.stop()
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
