"""The engine's settings (environment variables)."""

from __future__ import annotations

from benefits_shared.settings import CommonSettings
from benefits_shared.topics import BENEFIT_DECISIONS, CLOCK_TICKS, LIFE_EVENTS, PAYMENTS, PERSONS


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
