"""The configuration contract shared by every service.

Every service reads its settings from environment variables through a subclass of
:class:`CommonSettings`, only in its ``bootstrap.py``. The external endpoints always have
these names so that one build can be pointed at the simulators or at real systems.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from benefits_shared.connections import (
    DatabaseConnection,
    KafkaConnection,
    KafkaProtocol,
    SaslMechanism,
    SslMode,
)

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

    #: Kafka security (production: SASL_SSL with SCRAM-SHA-512; locally PLAINTEXT).
    kafka_security_protocol: KafkaProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None
    #: PostgreSQL: a password kept out of the URL, and TLS (production: verify-full).
    database_password: SecretStr | None = None
    database_sslmode: SslMode | None = None
    database_sslrootcert: str | None = None
    #: A stable name of this replica (a StatefulSet's pod name; a host's name): set, every
    #: consumer-group member is static (KIP-345, ``<group>:<this>``), so a restarted
    #: replica gets its partitions back at once instead of after the dead member's session
    #: (ADR 18). Unset: dynamic members, which leave the group on a clean stop. Two live
    #: processes must never share it.
    kafka_group_instance_id: str | None = None
    #: The health endpoint (``/healthz``, ``/readyz``); unset: none is served.
    health_port: int | None = Field(default=None, ge=0, le=65535)
    health_host: str = "127.0.0.1"

    def kafka(self) -> KafkaConnection:
        password = self.kafka_sasl_password
        return KafkaConnection(
            self.kafka_bootstrap_servers,
            self.kafka_security_protocol,
            self.kafka_sasl_mechanism,
            self.kafka_sasl_username,
            password.get_secret_value() if password else None,
            self.kafka_ssl_cafile,
        )

    def database(self) -> DatabaseConnection:
        password = self.database_password
        return DatabaseConnection(
            self.database_url,
            password.get_secret_value() if password else None,
            self.database_sslmode,
            self.database_sslrootcert,
        )


class EndpointSettings(CommonSettings):
    """The external endpoints of the configuration contract (unset: not configured)."""

    civil_registry_url: str | None = None
    population_registry_url: str | None = None
    mse_drop_dir: str | None = None
    bank_api_url: str | None = None
    sms_gateway_url: str | None = None
