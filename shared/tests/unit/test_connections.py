"""The security settings of the configuration contract, as the clients receive them."""

from __future__ import annotations

import ssl

import pytest
from benefits_shared.connections import DatabaseConnection, KafkaConnection
from benefits_shared.settings import CommonSettings


def test_the_local_defaults_are_plaintext_kafka_and_the_drivers_default_for_postgresql(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "HEALTH_PORT"):
        monkeypatch.delenv(key, raising=False)
    settings = CommonSettings()
    assert settings.kafka().client_options() == {
        "bootstrap_servers": "127.0.0.1:19092",
        "security_protocol": "PLAINTEXT",
    }
    assert settings.database().connect_args() == {}
    assert settings.database().full_url() == settings.database_url
    assert settings.health_port is None


def test_sasl_scram_over_tls_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "KAFKA_BOOTSTRAP_SERVERS": "kafka:9093",
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_USERNAME": "notifier",
        "KAFKA_SASL_PASSWORD": "s3cret",
    }.items():
        monkeypatch.setenv(key, value)
    options = CommonSettings().kafka().client_options()
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "notifier",
        "s3cret",
    )
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["ssl_context"].check_hostname
    assert "s3cret" not in repr(CommonSettings().kafka())


def test_sasl_without_credentials_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="username and password"):
        KafkaConnection("kafka:9093", "SASL_SSL").client_options()


def test_verify_full_checks_the_host_and_the_password_goes_into_the_url() -> None:
    database = DatabaseConnection(
        "postgresql+asyncpg://engine@db-rw:5432/benefits", "p@ss/word", "verify-full"
    )
    context = database.connect_args()["ssl"]
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert database.full_url() == "postgresql+asyncpg://engine:p%40ss%2Fword@db-rw:5432/benefits"
    verify_ca = DatabaseConnection("postgresql+asyncpg://e@h/b", sslmode="verify-ca")
    assert not verify_ca.connect_args()["ssl"].check_hostname
    assert DatabaseConnection("postgresql+asyncpg://e@h/b", sslmode="disable").connect_args() == {
        "ssl": False
    }
