"""Wires the engine once: the only reader of settings."""

from __future__ import annotations

import asyncio

from benefits_shared.doorbell import Doorbell
from benefits_shared.kafka.awaited_loop import AwaitedTopicLoop
from benefits_shared.kafka.consumer_loop import LoopSettings
from benefits_shared.service_runtime import Received, ServiceRuntime, decode_contract

from eligibility_engine.adapters.case_redecider import CaseRedecider
from eligibility_engine.adapters.decide_lock import DecideLock
from eligibility_engine.adapters.ops_command_store import OpsCommandStore
from eligibility_engine.adapters.ops_command_tables import ops_commands_table
from eligibility_engine.adapters.replay_selection import ReplaySelector
from eligibility_engine.adapters.tables import EngineTables, engine_tables
from eligibility_engine.config import EngineSettings
from eligibility_engine.entrypoints.event_handler import APPLIES, EventHandler
from eligibility_engine.entrypoints.ops_commands import OpsCommandHandler, ReplayRunner
from eligibility_engine.entrypoints.waiting_release import WaitingReleaser
from eligibility_engine.parameters import Parameters


async def run(settings: EngineSettings) -> None:
    runtime = ServiceRuntime(
        "eligibility-engine", settings, settings.engine_schema, "eligibility_engine.migrations"
    )
    await runtime.start()
    tables = engine_tables(settings.engine_schema)
    parameters = _parameters(settings)
    doorbell = Doorbell()  # a batch rings the releaser when its marker covers more than a slice
    handler = EventHandler(
        runtime.sessions,
        tables,
        runtime.hasher,
        parameters,
        settings.engine_decisions_topic,
        doorbell,
    )
    releaser = WaitingReleaser(handler, doorbell)
    lock = DecideLock(settings.engine_schema)  # the handler takes it in each batch
    loop = runtime.consumer_loop(
        settings.engine_group,
        settings.engine_input_topics,
        handler.handle,
        settings.engine_batch_max,
        APPLIES,
    )
    ops_loop, runner = _ops_commands(runtime, settings, tables, parameters, lock)
    relay = runtime.outbox_relay()
    await runtime.run(loop, relay, ops_loop, runner, releaser)


def _parameters(settings: EngineSettings) -> Parameters:
    if settings.engine_parameters_dir is None:
        return Parameters.packaged()
    return Parameters.from_directory(settings.engine_parameters_dir)


def _ops_commands(
    runtime: ServiceRuntime,
    settings: EngineSettings,
    tables: EngineTables,
    parameters: Parameters,
    lock: DecideLock,
) -> tuple[AwaitedTopicLoop[Received], ReplayRunner]:
    """The consumer of ``ops-commands`` and the runner of replays and shadow runs (ADR 12)."""
    commands, replies, group = settings.ops_topics()
    store = OpsCommandStore(ops_commands_table(settings.engine_schema), tables.outbox, replies)
    wake = asyncio.Event()
    handler = OpsCommandHandler(runtime.sessions, store, wake)
    loop = AwaitedTopicLoop(
        runtime.kafka,
        runtime.producer,
        decode_contract,
        handler.handle,
        LoopSettings(group, 100),
        commands,
    )
    selector = ReplaySelector(settings.engine_schema, runtime.kafka, settings.engine_input_topics)
    redecider = CaseRedecider(tables, runtime.hasher, settings.engine_decisions_topic)
    runner = ReplayRunner(
        runtime.engine,
        runtime.sessions,
        store,
        (selector, redecider, lock),
        (parameters, settings.engine_parameters_dir),
        wake,
    )
    return loop, runner
