"""The connectors' settings: the configuration contract plus their own knobs.

Every variable is read from the environment (``CIVIL_REGISTRY_URL``, ``MSE_DROP_DIR`` …);
only ``bootstrap.py`` builds this object. Topic names and the schema are settings so that a
test can point a connector at a topic and a schema of its own.
"""

from __future__ import annotations

from benefits_shared.settings import CommonSettings
from benefits_shared.topics import LIFE_EVENTS, PERSONS
from pydantic import Field


class ConnectorSettings(CommonSettings):
    civil_registry_url: str | None = None
    population_registry_url: str | None = None
    mse_drop_dir: str | None = None

    connectors_schema: str = "connectors"
    life_events_topic: str = LIFE_EVENTS.name
    persons_topic: str = PERSONS.name

    civil_page_size: int = Field(default=1000, ge=1, le=1000)
    civil_poll_seconds: float = Field(default=2.0, gt=0)
    population_page_size: int = Field(default=1000, ge=1, le=1000)
    #: How often the change feed is read once caught up: a decision waiting for the
    #: copy to catch up waits about this long (ADR 0008).
    population_poll_seconds: float = Field(default=1.0, gt=0)
    #: Our own pace towards the population registry, below its rate limit.
    population_requests_per_second: float = Field(default=5.0, gt=0)
    mse_poll_seconds: float = Field(default=5.0, gt=0)
    #: A commission file larger than this is quarantined whole, unread (ADR 0017).
    mse_max_file_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)

    http_timeout_seconds: float = Field(default=10.0, gt=0)
    #: A registry page longer than this, or slower than this in all, is not read to its end.
    http_max_page_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    http_page_seconds: float = Field(default=60.0, gt=0)
    backoff_initial_seconds: float = Field(default=0.5, gt=0)
    backoff_max_seconds: float = Field(default=60.0, gt=0)
    #: The longest ``Retry-After`` we obey; a larger one is cut to this.
    retry_after_max_seconds: float = Field(default=600.0, gt=0)
