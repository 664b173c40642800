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
    sibling,
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
    #: the topic of the answers. Unset, they are named like the decisions topic
    #: (``benefit-decisions-x`` → ``ops-commands-x``) and the group after the engine's.
    engine_ops_group: str | None = None
    engine_ops_commands_topic: str | None = None
    engine_ops_replies_topic: str | None = None

    def ops_topics(self) -> tuple[str, str, str]:
        """The ops commands topic, the replies topic and the group that reads commands."""
        decisions = self.engine_decisions_topic
        return (
            self.engine_ops_commands_topic or sibling(OPS_COMMANDS, BENEFIT_DECISIONS, decisions),
            self.engine_ops_replies_topic or sibling(OPS_REPLIES, BENEFIT_DECISIONS, decisions),
            self.engine_ops_group or f"{self.engine_group}-ops",
        )

    #: A folder of parameter files to decide with instead of the packaged ones (a rule
    #: fix deployed as data; tests).
    engine_parameters_dir: Path | None = None
