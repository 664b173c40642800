"""The chaos run's own Kafka and PostgreSQL (it kills them: never the shared stack's), on
free ports, each behind a TCP proxy of ours that the services connect through. The run's
observer connects directly, so that a network fault blinds the services and not it."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path

from benefits_shared.kafka.admin import wait_until_ready
from benefits_shared.local_ports import free_port

from devstack import kafka, postgres
from devstack.layout import POSTGRES_DB, POSTGRES_USER, Layout
from devstack.readiness import wait_for_group_coordinator
from devstack.tcp_proxy import TcpProxy


def distinct_free_ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        if (port := free_port()) not in ports:
            ports.append(port)
    return ports


@dataclass
class ChaosStack:
    layout: Layout
    kafka_proxy: TcpProxy
    postgres_proxy: TcpProxy

    @classmethod
    def on_free_ports(cls, root: Path, state: Path) -> ChaosStack:
        direct, controller, clients, k_proxy, pg, pg_proxy = distinct_free_ports(6)
        lay = Layout(root, state, direct, controller, pg, kafka_clients=(clients, k_proxy))
        return cls(lay, TcpProxy("kafka", k_proxy, clients), TcpProxy("postgres", pg_proxy, pg))

    @property
    def services_bootstrap(self) -> str:
        """Where the services find Kafka: the proxy."""
        return f"127.0.0.1:{self.kafka_proxy.listen_port}"

    @property
    def services_database_url(self) -> str:
        port = self.postgres_proxy.listen_port
        return f"postgresql+asyncpg://{POSTGRES_USER}@127.0.0.1:{port}/{POSTGRES_DB}"

    @property
    def bootstrap(self) -> str:
        """Where the run's observer finds Kafka: the broker itself."""
        return kafka.bootstrap(self.layout)

    @property
    def database_url(self) -> str:
        return postgres.url(self.layout)

    def start(self) -> None:
        """Start on fresh data (a broker or a database left by an earlier run is removed:
        its ports were others)."""
        self._remove_data()
        self.layout.logs.mkdir(parents=True, exist_ok=True)
        kafka.start(self.layout)
        postgres.start(self.layout)
        self.kafka_proxy.start()
        self.postgres_proxy.start()
        asyncio.run(self.kafka_ready())

    async def kafka_ready(self) -> None:
        await wait_until_ready(self.bootstrap, timeout_s=180)
        await wait_for_group_coordinator(self.bootstrap, timeout_s=180)

    def stop(self, remove_data: bool) -> None:
        """Stop all of it (what is not running is skipped); ``remove_data``: delete the
        broker's and the database's data (the logs stay)."""
        for proxy in (self.kafka_proxy, self.postgres_proxy):
            proxy.stop()
        kafka.stop(self.layout)
        postgres.stop(self.layout)
        if remove_data:
            self._remove_data()

    def _remove_data(self) -> None:
        shutil.rmtree(self.layout.kafka_dir, ignore_errors=True)
        postgres.remove(self.layout)
