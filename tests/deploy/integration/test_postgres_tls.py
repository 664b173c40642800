"""Services on a PostgreSQL that accepts only TLS, each with the role the CloudNativePG
manifest gives it: the role migrates and uses its own schema over verify-full TLS, and is
refused another service's schema and a schema of its own making."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from asyncpg.exceptions import InsufficientPrivilegeError, InvalidAuthorizationSpecificationError
from bank_gateway.config import BankGatewaySettings
from benefits_shared.connections import DatabaseConnection
from benefits_shared.db.migrations import migrate
from benefits_shared.db.sessions import make_engine
from devstack.manifests.access import by_name
from devstack.manifests.render import database_sql, role_name
from eligibility_engine.config import EngineSettings
from secure_stack import SecurePostgres, make_certificates
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

PASSWORDS = {"eligibility-engine": "engine-db-secret", "bank-gateway": "gateway-db-secret"}


@pytest.fixture(scope="module")
def secure_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecurePostgres]:
    folder = tmp_path_factory.mktemp("secure-postgres")
    server = SecurePostgres(make_certificates(folder / "tls"))
    server.start()
    try:
        server.psql("CREATE DATABASE benefits")
        for statement in database_sql():  # what the Cluster's postInitApplicationSQL runs
            server.psql(statement, "benefits")
        for name, password in PASSWORDS.items():  # what its managed roles then do
            server.psql(f"ALTER ROLE \"{role_name(by_name(name))}\" LOGIN PASSWORD '{password}'")
        yield server
    finally:
        server.stop()


def settings_env(server: SecurePostgres, service: str, ca: Path) -> dict[str, str]:
    """The configuration contract's variables, as the Deployment sets them."""
    role = role_name(by_name(service))
    return {
        "DATABASE_URL": f"postgresql+asyncpg://{role}@127.0.0.1:{server.port}/benefits",
        "DATABASE_PASSWORD": PASSWORDS[service],
        "DATABASE_SSLMODE": "verify-full",
        "DATABASE_SSLROOTCERT": str(ca),
    }


@pytest_asyncio.fixture
async def engine_db(
    secure_postgres: SecurePostgres, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[DatabaseConnection, AsyncEngine]]:
    ca = secure_postgres.certs.ca
    for key, value in settings_env(secure_postgres, "bank-gateway", ca).items():
        monkeypatch.setenv(key, value)
    gateway = BankGatewaySettings()
    await migrate(gateway.database(), "bank_gateway.migrations", gateway.gateway_schema)
    for key, value in settings_env(secure_postgres, "eligibility-engine", ca).items():
        monkeypatch.setenv(key, value)
    database = EngineSettings().database()
    engine = make_engine(database)
    yield database, engine
    await engine.dispose()


async def test_a_service_migrates_and_uses_its_own_schema_over_verified_tls(
    engine_db: tuple[DatabaseConnection, AsyncEngine],
) -> None:
    database, engine = engine_db
    await migrate(database, "eligibility_engine.migrations", "engine")
    async with engine.connect() as connection:
        tls = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        assert (await connection.execute(text(tls))).scalar() is True
        owner = "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'engine'"
        assert (await connection.execute(text(owner))).scalar() == "eligibility_engine"
        assert (await connection.execute(text("SELECT count(*) FROM engine.inbox"))).scalar() == 0


async def test_another_services_schema_is_refused(
    engine_db: tuple[DatabaseConnection, AsyncEngine],
) -> None:
    _, engine = engine_db
    for statement in (
        "SELECT count(*) FROM bank_gateway.inbox",
        "CREATE TABLE bank_gateway.intruder (id int)",
        "CREATE SCHEMA intruder",
        "CREATE TABLE public.intruder (id int)",
    ):
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as refused:
                await connection.execute(text(statement))
            assert isinstance(refused.value.orig.__cause__, InsufficientPrivilegeError), statement


async def test_a_connection_without_tls_or_with_an_unknown_ca_is_refused(
    secure_postgres: SecurePostgres, tmp_path: Path
) -> None:
    url = f"postgresql+asyncpg://eligibility_engine@127.0.0.1:{secure_postgres.port}/benefits"
    plain = make_engine(DatabaseConnection(url, PASSWORDS["eligibility-engine"], "disable"))
    with pytest.raises(DBAPIError) as refused:
        async with plain.connect():
            pass
    assert isinstance(refused.value.orig.__cause__, InvalidAuthorizationSpecificationError)
    await plain.dispose()

    stranger = make_certificates(tmp_path / "other-ca")
    untrusted = DatabaseConnection(
        url, PASSWORDS["eligibility-engine"], "verify-full", str(stranger.ca)
    )
    engine = make_engine(untrusted)
    with pytest.raises(OSError, match="CERTIFICATE_VERIFY_FAILED"):
        async with engine.connect():
            pass
    await engine.dispose()
