"""``APP_ENV=production`` refuses what a reviewer checks first (ADR 0017): development
secrets, Kafka or PostgreSQL without TLS, plain-HTTP partners, and any simulator."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from bank_gateway.config import BankGatewaySettings
from bank_simulator.config import BankSimulatorSettings
from benefits_ops.config import OpsSettings
from benefits_shared.settings import CommonSettings
from clock_ticker.config import TickerSettings
from eligibility_engine.config import EngineSettings
from notifier.config import NotifierSettings
from pydantic import ValidationError
from pydantic_settings import BaseSettings
from registry_connectors.config import ConnectorSettings
from registry_simulators.config import SimulatorSettings as RegistrySimulatorSettings
from sms_simulator.config import SimulatorSettings as SmsSimulatorSettings

STRONG_KEY = "k" * 40
PRODUCTION = {
    "APP_ENV": "production",
    "PIN_HMAC_KEY": STRONG_KEY,
    "SMS_REPORT_SECRET": "s" * 40,
    "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "KAFKA_SASL_USERNAME": "notifier",
    "KAFKA_SASL_PASSWORD": "from-strimzi",
    "DATABASE_SSLMODE": "verify-full",
    "SMS_GATEWAY_URL": "https://sms.example",
    "BANK_API_URL": "https://bank.example",
    "OPS_COOKIE_SECURE": "true",
}
SERVICES: list[type[CommonSettings]] = [
    ConnectorSettings,
    EngineSettings,
    BankGatewaySettings,
    NotifierSettings,
    OpsSettings,
    TickerSettings,
]
SIMULATORS: list[type[BaseSettings]] = [
    RegistrySimulatorSettings,
    BankSimulatorSettings,
    SmsSimulatorSettings,
]


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in os.environ:
        if name.startswith(("KAFKA_", "DATABASE_", "PIN_", "SMS_", "BANK_", "APP_", "OPS_")):
            monkeypatch.delenv(name)
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.parametrize("settings", SERVICES, ids=lambda s: s.__name__)
def test_every_service_starts_in_production_with_secrets_and_tls(
    production: pytest.MonkeyPatch, settings: type[CommonSettings]
) -> None:
    assert settings().app_env == "production"


@pytest.mark.parametrize("settings", SERVICES, ids=lambda s: s.__name__)
def test_the_development_pin_key_is_refused_in_production(
    production: pytest.MonkeyPatch, settings: type[CommonSettings]
) -> None:
    production.delenv("PIN_HMAC_KEY")
    with pytest.raises(ValidationError, match="PIN_HMAC_KEY is the development default"):
        settings()


def test_a_short_pin_key_is_refused_and_never_quoted(production: pytest.MonkeyPatch) -> None:
    production.setenv("PIN_HMAC_KEY", "short-secret")
    with pytest.raises(ValidationError, match="PIN_HMAC_KEY must be at least 32") as refused:
        ConnectorSettings()
    assert "short-secret" not in str(refused.value)


def test_passwords_are_not_held_to_the_key_length(production: pytest.MonkeyPatch) -> None:
    production.setenv("DATABASE_PASSWORD", "cnpg-made")
    assert EngineSettings().app_env == "production"


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SASL_PLAINTEXT"])
@pytest.mark.parametrize("settings", SERVICES, ids=lambda s: s.__name__)
def test_kafka_without_tls_is_refused_in_production(
    production: pytest.MonkeyPatch, settings: type[CommonSettings], protocol: str
) -> None:
    production.setenv("KAFKA_SECURITY_PROTOCOL", protocol)
    with pytest.raises(ValidationError, match="KAFKA_SECURITY_PROTOCOL must be SSL or SASL_SSL"):
        settings()


def test_sasl_without_its_password_is_refused(production: pytest.MonkeyPatch) -> None:
    production.delenv("KAFKA_SASL_PASSWORD")
    with pytest.raises(ValidationError, match="KAFKA_SASL_PASSWORD are needed"):
        EngineSettings()


@pytest.mark.parametrize("mode", [None, "disable", "require"])
@pytest.mark.parametrize("settings", [s for s in SERVICES if s.USES_DATABASE])
def test_postgresql_without_verified_tls_is_refused_in_production(
    production: pytest.MonkeyPatch, settings: type[CommonSettings], mode: str | None
) -> None:
    if mode is None:
        production.delenv("DATABASE_SSLMODE")
    else:
        production.setenv("DATABASE_SSLMODE", mode)
    with pytest.raises(ValidationError, match="DATABASE_SSLMODE must be verify-ca or verify-full"):
        settings()


def test_the_clock_ticker_opens_no_database_so_its_tls_is_not_asked(
    production: pytest.MonkeyPatch,
) -> None:
    production.delenv("DATABASE_SSLMODE")
    assert TickerSettings().app_env == "production"


@pytest.mark.parametrize(
    ("variable", "settings"),
    [("SMS_GATEWAY_URL", NotifierSettings), ("BANK_API_URL", BankGatewaySettings)],
)
def test_a_partner_over_plain_http_is_refused_in_production(
    production: pytest.MonkeyPatch, variable: str, settings: type[CommonSettings]
) -> None:
    production.setenv(variable, "http://partner.example")
    with pytest.raises(ValidationError, match=f"{variable} must be an https:// URL"):
        settings()


def test_the_ops_console_cookie_without_secure_is_refused_in_production(
    production: pytest.MonkeyPatch,
) -> None:
    production.setenv("OPS_COOKIE_SECURE", "false")
    with pytest.raises(ValidationError, match="OPS_COOKIE_SECURE must be true"):
        OpsSettings()


def test_the_development_delivery_report_secret_is_refused_in_production(
    production: pytest.MonkeyPatch,
) -> None:
    production.delenv("SMS_REPORT_SECRET")
    with pytest.raises(ValidationError, match="SMS_REPORT_SECRET is the development default"):
        NotifierSettings()


@pytest.mark.parametrize("settings", SIMULATORS, ids=lambda s: s.__module__.split(".")[0])
def test_no_simulator_runs_in_production_mode_even_when_configured_well(
    production: pytest.MonkeyPatch, settings: type[BaseSettings]
) -> None:
    with pytest.raises(ValidationError, match="is a simulator: it never runs with APP_ENV"):
        settings()


@pytest.mark.parametrize("settings", SIMULATORS, ids=lambda s: s.__module__.split(".")[0])
def test_simulators_run_in_development(
    monkeypatch: pytest.MonkeyPatch, settings: type[BaseSettings]
) -> None:
    monkeypatch.delenv("APP_ENV", raising=False)
    settings()


@pytest.mark.parametrize(
    "argv",
    [
        ["-m", "notifier"],
        ["-m", "sms_simulator"],
        ["-m", "registry_simulators.population", "--out", "/nonexistent", "--persons", "1"],
    ],
    ids=["notifier", "sms-simulator", "mse-simulator"],
)
def test_a_process_refuses_to_start_before_touching_anything(argv: list[str]) -> None:
    """The real entry points, with the development defaults and APP_ENV=production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIN_", "SMS_"))}
    env |= {
        "APP_ENV": "production",
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
        "DATABASE_URL": "postgresql+asyncpg://u:password-in-the-url@127.0.0.1:1/db",
    }
    done = subprocess.run(
        [sys.executable, *argv], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode != 0
    assert "APP_ENV" in done.stderr
    assert "dev-only" not in done.stderr
    assert "password-in-the-url" not in done.stderr
