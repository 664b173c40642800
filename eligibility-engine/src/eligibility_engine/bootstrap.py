"""Wires the engine once: the only reader of settings."""

from __future__ import annotations

from benefits_shared.service_runtime import ServiceRuntime

from eligibility_engine.adapters.tables import engine_tables
from eligibility_engine.config import EngineSettings
from eligibility_engine.entrypoints.event_handler import EventHandler
from eligibility_engine.parameters import Parameters


async def run(settings: EngineSettings) -> None:
    runtime = ServiceRuntime(
        "eligibility-engine", settings, settings.engine_schema, "eligibility_engine.migrations"
    )
    await runtime.start()
    handler = EventHandler(
        runtime.sessions,
        engine_tables(settings.engine_schema),
        runtime.hasher,
        Parameters.packaged(),
        settings.engine_decisions_topic,
    )
    loop = runtime.consumer_loop(
        settings.engine_group,
        settings.engine_input_topics,
        handler.handle,
        settings.engine_batch_max,
    )
    await runtime.run(loop, runtime.outbox_relay())
