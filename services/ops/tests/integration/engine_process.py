"""The real eligibility engine as a process beside the ops service under test, so that a
replay from the console is answered by the engine itself (ADR 12).

It reads the test's ``persons`` and ``life-events`` topics, answers on its
``ops-commands``/``ops-replies``, and publishes its decisions on a topic of its own (the
scenario's decisions on the projected topic stay the only ones the console shows).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.everything_known import announce_everything_known
from benefits_shared.topics import PERSONS, Topic, dead_letter_topic
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


class EngineProcess:
    def __init__(self, kafka: str, database_url: str, suffix: str, log: Path) -> None:
        self.kafka, self.database_url, self.suffix, self.log = kafka, database_url, suffix, log
        self.schema = f"engine_t_{suffix}"
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        decisions = Topic(f"engine-decisions-{self.suffix}", 3)
        await ensure_topics(self.kafka, [decisions, dead_letter_topic(decisions)])
        # No connectors here: say the registries are copied (ADR 0008).
        persons, life_events = f"persons-{self.suffix}", f"life-events-{self.suffix}"
        await announce_everything_known(self.kafka, persons, life_events, PERSONS.partitions)
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "DATABASE_URL": self.database_url,
            "ENGINE_SCHEMA": self.schema,
            "ENGINE_GROUP": f"engine-{self.suffix}",
            "ENGINE_INPUT_TOPICS": json.dumps(
                [f"persons-{self.suffix}", f"life-events-{self.suffix}"]
            ),
            "ENGINE_DECISIONS_TOPIC": decisions.name,
            "ENGINE_OPS_COMMANDS_TOPIC": f"ops-commands-{self.suffix}",
            "ENGINE_OPS_REPLIES_TOPIC": f"ops-replies-{self.suffix}",
        }
        self.process = self._spawn(env)

    def _spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as out:
            command = [sys.executable, "-m", "eligibility_engine"]
            return subprocess.Popen(command, env=env, stdout=out, stderr=out)

    async def decided(self) -> bool:
        """Whether it has decided something and published all it decided."""
        assert self.process is not None and self.process.poll() is None, self.log.read_text()[
            -3000:
        ]
        engine = create_async_engine(self.database_url)
        try:
            async with engine.connect() as conn:
                exists = await conn.execute(
                    text("SELECT to_regclass(:t)"), {"t": f'"{self.schema}".outbox'}
                )
                if exists.scalar() is None:
                    return False
                s = f'"{self.schema}"'
                cases = (await conn.execute(text(f"SELECT count(*) FROM {s}.cases"))).scalar()
                queued = f"SELECT count(*) FROM {s}.outbox WHERE published_at IS NULL"
                return bool(cases) and not (await conn.execute(text(queued))).scalar()
        finally:
            await engine.dispose()

    async def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        engine = create_async_engine(self.database_url)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        await engine.dispose()
