"""Wires the engine once: the only reader of settings."""

from __future__ import annotations

import gc

from benefits_shared.service_runtime import ServiceRuntime

from eligibility_engine.adapters.tables import engine_tables
from eligibility_engine.config import EngineSettings
from eligibility_engine.entrypoints.event_handler import EventHandler
from eligibility_engine.parameters import Parameters

#: A batch allocates a great many short-lived objects that refcounting frees; collecting
#: after every 50,000 allocations (not 700) spares it most young-generation passes.
GC_THRESHOLDS = (50_000, 20, 20)


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
    relay = runtime.outbox_relay()
    # What start-up built (modules, schemas, parameters, clients) lives as long as the
    # process: kept out of the collector's full passes, it is not walked again after
    # every few batches (a third of the engine's CPU in the benchmark went to that).
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    await runtime.run(loop, relay)
