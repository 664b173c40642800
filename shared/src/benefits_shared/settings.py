"""The configuration contract shared by every service.

Every service reads its settings from environment variables through a subclass of
:class:`CommonSettings`, only in its ``bootstrap.py``. The external endpoints always have
these names so that one build can be pointed at the simulators or at real systems.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_KAFKA = "127.0.0.1:19092"
LOCAL_DATABASE_URL = "postgresql+asyncpg://benefits@127.0.0.1:15432/benefits"
DEV_PIN_HMAC_KEY = "dev-only-pin-hmac-key-change-me"


class CommonSettings(BaseSettings):
    """Settings every service has; defaults point at the local stack of ``deploy/local``."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    kafka_bootstrap_servers: str = Field(default=LOCAL_KAFKA)
    database_url: str = Field(default=LOCAL_DATABASE_URL)
    pin_hmac_key: SecretStr = Field(default=SecretStr(DEV_PIN_HMAC_KEY))
    log_level: str = Field(default="INFO")


class EndpointSettings(CommonSettings):
    """The external endpoints of the configuration contract (unset: not configured)."""

    civil_registry_url: str | None = None
    population_registry_url: str | None = None
    mse_drop_dir: str | None = None
    bank_api_url: str | None = None
    sms_gateway_url: str | None = None
