"""The engine's settings (environment variables)."""

from __future__ import annotations

from pathlib import Path

from benefits_shared.settings import CommonSettings
from benefits_shared.topics import (
    BENEFIT_DECISIONS,
    CLOCK_TICKS,
    LIFE_EVENTS,
    OPS_COMMANDS,
    OPS_REPLIES,
    PAYMENTS,
    PERSONS,
)


class EngineSettings(CommonSettings):
    engine_group: str = "eligibility-engine"
    engine_schema: str = "engine"
    #: Records handled per transaction: the handler's statements are set-based, so a
    #: larger batch costs about the same number of round trips as a small one.
    engine_batch_max: int = 2000
    #: The topics it reads; overridable so that tests can use fresh ones.
    engine_input_topics: tuple[str, ...] = (
        PERSONS.name,
        LIFE_EVENTS.name,
        CLOCK_TICKS.name,
        PAYMENTS.name,
    )
    engine_decisions_topic: str = BENEFIT_DECISIONS.name
    #: Ops commands (replays, shadow runs: ADR 12), read with a group of their own, and
    #: the topic of the answers.
    engine_ops_group: str = "eligibility-engine-ops"
    engine_ops_commands_topic: str = OPS_COMMANDS.name
    engine_ops_replies_topic: str = OPS_REPLIES.name
    #: A folder of parameter files to decide with instead of the packaged ones (a rule
    #: fix deployed as data; tests).
    engine_parameters_dir: Path | None = None
