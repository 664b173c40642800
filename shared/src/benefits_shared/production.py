"""What production mode (``APP_ENV=production``) refuses to start with.

A service's settings are checked when they are read (``bootstrap.py``), so a service
misconfigured for production never opens a connection. Refused:

- a secret that still has its development default (every such default starts with
  ``dev-only-``: ``PIN_HMAC_KEY``, ``SMS_REPORT_SECRET``), or a key shorter than 32
  characters (passwords are the business of the systems that issue them);
- Kafka without TLS (``KAFKA_SECURITY_PROTOCOL`` must be ``SSL`` or ``SASL_SSL``), and SASL
  without its user and password;
- PostgreSQL without a verified TLS connection (``DATABASE_SSLMODE`` must be ``verify-ca``
  or ``verify-full``), for a service that uses the database;
- a partner endpoint of the configuration contract that is not ``https://``;
- a session cookie that may travel without TLS (a ``*_cookie_secure`` setting left false).

A simulator refuses production mode whatever its settings (:func:`simulator_refusal`):
neither it nor its ``/_sim`` controls can run there. The messages name the variable, never
a secret's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import SecretStr

AppEnv = Literal["development", "production"]
DEV_SECRET_PREFIX = "dev-only-"  # noqa: S105 (the mark of a public default)
MIN_SECRET_LENGTH = 32
TLS_KAFKA = ("SSL", "SASL_SSL")
VERIFIED_DATABASE = ("verify-ca", "verify-full")
PARTNER_ENDPOINTS = (
    "civil_registry_url",
    "population_registry_url",
    "bank_api_url",
    "sms_gateway_url",
)


def production_problems(values: Mapping[str, Any], uses_database: bool) -> list[str]:
    """Every reason the settings (field name → value) are unfit for production."""
    problems = [*_secret_problems(values), *_kafka_problems(values)]
    if uses_database and values.get("database_sslmode") not in VERIFIED_DATABASE:
        problems.append("DATABASE_SSLMODE must be verify-ca or verify-full")
    for name in PARTNER_ENDPOINTS:
        url = values.get(name)
        if isinstance(url, str) and not url.lower().startswith("https://"):
            problems.append(f"{name.upper()} must be an https:// URL")
    for name, value in values.items():
        if name.endswith("_cookie_secure") and value is not True:
            problems.append(f"{name.upper()} must be true (cookies over HTTPS only)")
    return problems


def _secret_problems(values: Mapping[str, Any]) -> list[str]:
    problems = []
    for name, value in values.items():
        if not isinstance(value, SecretStr):
            continue
        secret = value.get_secret_value()
        if secret.startswith(DEV_SECRET_PREFIX):
            problems.append(f"{name.upper()} is the development default")
        elif not name.endswith("_password") and len(secret) < MIN_SECRET_LENGTH:
            problems.append(f"{name.upper()} must be at least {MIN_SECRET_LENGTH} characters")
    return problems


def _kafka_problems(values: Mapping[str, Any]) -> list[str]:
    protocol = values.get("kafka_security_protocol")
    problems = []
    if protocol not in TLS_KAFKA:
        problems.append("KAFKA_SECURITY_PROTOCOL must be SSL or SASL_SSL")
    if str(protocol).startswith("SASL") and not (
        values.get("kafka_sasl_username") and values.get("kafka_sasl_password")
    ):
        problems.append("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are needed with SASL")
    return problems


def simulator_refusal(app_env: str, name: str) -> str | None:
    """Why a simulator must not start, or None (development)."""
    if app_env == "production":
        return f"{name} is a simulator: it never runs with APP_ENV=production"
    return None
