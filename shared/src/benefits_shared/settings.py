"""The configuration contract shared by every service.

Every service reads its settings from environment variables through a subclass of
:class:`CommonSettings`, only in its ``bootstrap.py``. The external endpoints always have
these names so that one build can be pointed at the simulators or at real systems.
"""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from benefits_shared.connections import (
    DatabaseConnection,
    KafkaConnection,
    KafkaProtocol,
    SaslMechanism,
    SslMode,
)
from benefits_shared.production import AppEnv, production_problems, simulator_refusal

LOCAL_KAFKA = "127.0.0.1:19092"
LOCAL_DATABASE_URL = "postgresql+asyncpg://benefits@127.0.0.1:15432/benefits"
DEV_PIN_HMAC_KEY = "dev-only-pin-hmac-key-change-me"


class CommonSettings(BaseSettings):
    """Settings every service has; defaults point at the local stack of ``deploy/local``.

    ``APP_ENV=production`` refuses development secrets and connections without TLS
    (:mod:`benefits_shared.production`): the settings cannot even be read then.
    """

    #: An error never echoes the input: it holds secrets (a password in a URL, say).
    model_config = SettingsConfigDict(
        env_prefix="", extra="ignore", frozen=True, hide_input_in_errors=True
    )
    #: False for a service that never opens the database (its TLS is not checked).
    USES_DATABASE: ClassVar[bool] = True
    #: The simulator's name for a simulator: it refuses production mode.
    SIMULATOR: ClassVar[str | None] = None

    app_env: AppEnv = "development"

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
    #: The health endpoint (``/healthz``, ``/readyz``, ``/metrics``); unset: none is served.
    health_port: int | None = Field(default=None, ge=0, le=65535)
    health_host: str = "127.0.0.1"
    #: Where spans go by OTLP/HTTP (``benefits_shared.tracing``); unset or empty: no tracing.
    #: The exporter reads the other standard ``OTEL_*`` variables itself.
    otel_exporter_otlp_endpoint: str | None = None

    @model_validator(mode="after")
    def _fit_for_production(self) -> Self:
        if self.SIMULATOR is not None and (
            refusal := simulator_refusal(self.app_env, self.SIMULATOR)
        ):
            raise ValueError(refusal)
        if self.app_env == "production":
            values = {name: getattr(self, name) for name in type(self).model_fields}
            if problems := production_problems(values, self.USES_DATABASE):
                raise ValueError("APP_ENV=production refuses: " + "; ".join(problems))
        return self

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
