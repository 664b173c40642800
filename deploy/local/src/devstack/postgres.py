"""A PostgreSQL cluster owned by the project, its data in ``.state/postgres`` (see ``layout``).

PostgreSQL refuses to run as root: when we are root the cluster runs as the ``postgres``
system user that Debian's package creates. If that user cannot reach the project folder
(a clone in a private temp folder), the data lives in ``/var/lib/postgresql/benefits-*``
and ``.state/postgres`` is a link to it.
"""

from __future__ import annotations

import getpass
import glob
import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

from devstack.layout import POSTGRES_DB, POSTGRES_USER, Layout

#: Server settings of every PostgreSQL of ours, this one and the deployed cluster
#: (``manifests``). Autovacuum looks for tables to analyze every 5 s, not every minute: a
#: table that grows from nothing (a new schema, a burst on an empty day) is otherwise
#: planned for a minute from statistics of when it was empty, and a prepared statement's
#: generic plan made then (a nested loop with a whole scan inside, once per row) stays
#: until the table is analyzed (ADR 27).
SERVER_SETTINGS = {"autovacuum_naptime": "5s"}


def binaries() -> Path | None:
    """The folder of ``pg_ctl`` and ``initdb`` (Debian keeps them off the PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if found:
        return Path(found[0]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool from ``/`` (the ``postgres`` user may not enter our folder)."""
    return subprocess.run(argv, cwd="/", text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def _reachable_by_postgres(path: Path) -> bool:
    if os.geteuid() != 0:
        return True
    probe = ["runuser", "-u", "postgres", "--", "test", "-w", str(path)]
    return _run(probe, check=False).returncode == 0


def data_dir(layout: Layout) -> Path:
    link = layout.postgres_dir
    if link.exists() or link.is_symlink():
        return link.resolve()
    layout.state.mkdir(parents=True, exist_ok=True)
    link.mkdir()
    if os.geteuid() == 0:
        shutil.chown(link, "postgres", "postgres")
        if not _reachable_by_postgres(link):
            link.rmdir()
            owner = layout.state_dir or layout.root  # one cluster per state folder
            digest = hashlib.sha256(str(owner).encode()).hexdigest()[:12]
            elsewhere = Path(f"/var/lib/postgresql/benefits-{digest}")
            elsewhere.mkdir(parents=True, exist_ok=True)
            shutil.chown(elsewhere, "postgres", "postgres")
            link.symlink_to(elsewhere)
    return link.resolve()


def _pg(layout: Layout, tool: str, *args: str) -> list[str]:
    folder = binaries()
    if folder is None:
        raise SystemExit("PostgreSQL is not installed: run `make setup`")
    return _as_owner([str(folder / tool), *args])


def _initdb_once(layout: Layout, data: Path) -> None:
    if (data / "PG_VERSION").exists():
        return
    user = "postgres" if os.geteuid() == 0 else getpass.getuser()
    _run(
        _pg(
            layout,
            "initdb",
            "-D",
            str(data),
            "-U",
            user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with (data / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '127.0.0.1'\nport = {layout.postgres_port}\n"
            f"unix_socket_directories = '{data}'\nmax_connections = 200\n"
            "shared_buffers = 256MB\ntimezone = 'UTC'\n"
        )


def is_running(layout: Layout) -> bool:
    data = data_dir(layout)
    if not (data / "PG_VERSION").exists():
        return False
    status = _run(
        _pg(layout, "pg_ctl", "status", "-D", str(data)), check=False, capture_output=True
    )
    return status.returncode == 0


def start(layout: Layout) -> bool:
    data = data_dir(layout)
    _initdb_once(layout, data)
    if is_running(layout):
        return False
    log = data / "server.log"
    options = " ".join(f"-c {name}={value}" for name, value in SERVER_SETTINGS.items())
    _run(
        _pg(
            layout,
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            options,
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    _create_database(layout)
    return True


def setting(layout: Layout, name: str) -> str:
    """The running server's value of a setting (``SHOW``)."""
    return _psql(layout, f"SHOW {name}")


def _psql(layout: Layout, sql: str) -> str:
    user = "postgres" if os.geteuid() == 0 else getpass.getuser()
    out = _run(
        _pg(
            layout,
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(layout.postgres_port),
            "-U",
            user,
            "-d",
            "postgres",
            "-tAc",
            sql,
        ),
        check=True,
        capture_output=True,
    )
    return out.stdout.strip()


def _create_database(layout: Layout) -> None:
    for _ in range(50):
        try:
            _psql(layout, "SELECT 1")
            break
        except subprocess.CalledProcessError:
            time.sleep(0.2)
    role_sql = f"SELECT 1 FROM pg_roles WHERE rolname='{POSTGRES_USER}'"
    if _psql(layout, role_sql) != "1":
        _psql(layout, f"CREATE ROLE {POSTGRES_USER} LOGIN SUPERUSER")
    db_sql = f"SELECT 1 FROM pg_database WHERE datname='{POSTGRES_DB}'"
    if _psql(layout, db_sql) != "1":
        _psql(layout, f"CREATE DATABASE {POSTGRES_DB} OWNER {POSTGRES_USER}")


def stop(layout: Layout) -> bool:
    return _stop(layout, "fast")


def crash(layout: Layout) -> bool:
    """``pg_ctl stop -m immediate``: every process quits at once, no checkpoint; the next
    start recovers from the write-ahead log as after a power cut. True if it was running."""
    return _stop(layout, "immediate")


def remove(layout: Layout) -> None:
    """Stop this layout's PostgreSQL if it runs and delete its data, wherever it lives (a
    stack of a test's or a run's own; the data may sit under /var/lib/postgresql)."""
    link = layout.postgres_dir
    if not (link.exists() or link.is_symlink()):
        return
    _stop(layout, "fast")
    shutil.rmtree(link.resolve(), ignore_errors=True)
    if link.is_symlink():
        link.unlink()


def _stop(layout: Layout, mode: str) -> bool:
    if not is_running(layout):
        return False
    _run(
        _pg(layout, "pg_ctl", "stop", "-m", mode, "-w", "-D", str(data_dir(layout))),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return True


def url(layout: Layout) -> str:
    port = layout.postgres_port
    return f"postgresql+asyncpg://{POSTGRES_USER}@127.0.0.1:{port}/{POSTGRES_DB}"
