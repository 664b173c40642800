"""How a service reaches Kafka and PostgreSQL: addresses plus the security settings.

Locally (the defaults) Kafka is PLAINTEXT and PostgreSQL has no TLS. In production a
service speaks SASL/SCRAM over TLS to Kafka and TLS with ``verify-full`` to PostgreSQL;
``bootstrap.py`` builds these from the settings, the client factories apply them.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.engine import make_url

KafkaProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]
SslMode = Literal["disable", "require", "verify-ca", "verify-full"]


def tls_context(cafile: str | None, verify_host: bool = True) -> ssl.SSLContext:
    """A client TLS context that trusts ``cafile`` (else the system's roots)."""
    context = ssl.create_default_context(cafile=cafile)
    context.check_hostname = verify_host
    return context


@dataclass(frozen=True, slots=True)
class KafkaConnection:
    bootstrap_servers: str
    security_protocol: KafkaProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)
    ssl_cafile: str | None = None

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments of every aiokafka client (producer, consumer, admin)."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
        }
        if self.security_protocol in ("SSL", "SASL_SSL"):
            options["ssl_context"] = tls_context(self.ssl_cafile)
        if self.security_protocol.startswith("SASL"):
            if not (self.sasl_username and self.sasl_password):
                raise ValueError(f"{self.security_protocol} needs a SASL username and password")
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.sasl_username
            options["sasl_plain_password"] = self.sasl_password
        return options


def kafka_options(kafka: str | KafkaConnection) -> dict[str, Any]:
    """A bare bootstrap string is the local, PLAINTEXT broker."""
    connection = KafkaConnection(kafka) if isinstance(kafka, str) else kafka
    return connection.client_options()


@dataclass(frozen=True, slots=True)
class DatabaseConnection:
    url: str
    password: str | None = field(default=None, repr=False)
    #: None: as the URL says (asyncpg's default, ``prefer``): the local default, unchanged.
    sslmode: SslMode | None = None
    sslrootcert: str | None = None

    def full_url(self) -> str:
        """The URL with the password (``DATABASE_PASSWORD``) put in, if one is given."""
        if self.password is None:
            return self.url
        return make_url(self.url).set(password=self.password).render_as_string(False)

    def connect_args(self) -> dict[str, Any]:
        """asyncpg's ``ssl`` argument for the mode (nothing when no mode is set)."""
        if self.sslmode is None:
            return {}
        if self.sslmode == "disable":
            return {"ssl": False}
        if self.sslmode == "require":  # encrypted, server not verified (as libpq's require)
            context = tls_context(None, verify_host=False)
            context.verify_mode = ssl.CERT_NONE
            return {"ssl": context}
        return {"ssl": tls_context(self.sslrootcert, verify_host=self.sslmode == "verify-full")}


def database_connection(database: str | DatabaseConnection) -> DatabaseConnection:
    return DatabaseConnection(database) if isinstance(database, str) else database
