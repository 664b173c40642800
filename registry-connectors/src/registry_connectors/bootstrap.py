"""Wires the connectors: the only reader of settings. Nothing runs at import time.

``build(settings, "all")`` makes every connector whose endpoint is configured (``civil``:
``CIVIL_REGISTRY_URL``, ``mse``: ``MSE_DROP_DIR``, ``population``:
``POPULATION_REGISTRY_URL``); naming one runs only that one. Tests pass a fixed clock, an
``httpx`` transport or a seeded random source.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from benefits_shared.clock import Clock, SystemClock
from benefits_shared.db.leadership import Leadership
from benefits_shared.partner_calls import MeteredTransport
from benefits_shared.retry_policies import RetryPolicy
from benefits_shared.service_runtime import ServiceRuntime

from registry_connectors.adapters.checkpoints import Checkpoints
from registry_connectors.adapters.civil_registry import CivilRegistryClient
from registry_connectors.adapters.civil_store import CivilStore
from registry_connectors.adapters.drop_folder import LocalDropFolder
from registry_connectors.adapters.kafka_publisher import KafkaPublisher, RecordsOnTopic
from registry_connectors.adapters.mse_store import MseStore
from registry_connectors.adapters.population_registry import Pace, PopulationRegistryClient
from registry_connectors.adapters.registry_http import PageLimits
from registry_connectors.adapters.tables import Tables, connector_tables
from registry_connectors.civil_feed import PagePlanner
from registry_connectors.config import ConnectorSettings
from registry_connectors.entrypoints.civil_poller import CivilParts, CivilPoller
from registry_connectors.entrypoints.leading import Forget, Led
from registry_connectors.entrypoints.mse_watcher import MseParts, MseWatcher
from registry_connectors.entrypoints.polling import Poller, Step
from registry_connectors.entrypoints.population_mirror import PopulationMirror, PopulationParts
from registry_connectors.mse_files import FilePlanner
from registry_connectors.population_records import PersonsPlanner

log = logging.getLogger(__name__)
CONNECTORS = ("civil", "mse", "population")
MIGRATIONS = "registry_connectors.migrations"


@dataclass(frozen=True, slots=True)
class Extras:
    """What tests replace: the clock and the HTTP transport."""

    clock: Clock = field(default_factory=SystemClock)
    transport: httpx.AsyncBaseTransport | None = None


@dataclass
class Service:
    runtime: ServiceRuntime
    pollers: list[Poller]
    clients: list[httpx.AsyncClient]
    leads: list[Led] = field(default_factory=list)

    async def start(self, configure_logging: bool = True) -> None:
        """Migrate the schema and start the Kafka producer."""
        await self.runtime.start(configure_logging)
        quiet_http_logs()

    async def serve(self) -> None:
        """Run the pollers until SIGTERM (or ``stop()``), then close everything."""
        try:
            await self.runtime.run(*self.pollers)
        finally:
            await self._close_clients()

    async def run(self) -> None:
        try:
            await self.start()
        except BaseException:
            await self.runtime.close()
            await self._close_clients()
            raise
        await self.serve()

    async def _close_clients(self) -> None:
        for lead in self.leads:  # its connection outlives the pool's disposal: free it now
            with contextlib.suppress(Exception):
                await lead.release()
        for client in self.clients:
            await client.aclose()

    def stop(self) -> None:
        for poller in self.pollers:
            poller.stop()


def quiet_http_logs() -> None:
    """httpx logs every URL at INFO, and the population listing's URL holds a PIN."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def chosen(settings: ConnectorSettings, which: str) -> list[str]:
    """The connectors to run: ``all`` means every one whose endpoint is configured."""
    configured = {
        "civil": settings.civil_registry_url,
        "mse": settings.mse_drop_dir,
        "population": settings.population_registry_url,
    }
    names = [n for n in CONNECTORS if configured[n]] if which == "all" else [which]
    missing = [n for n in names if n not in configured or not configured[n]]
    if missing or not names:
        raise ValueError(f"cannot run {which!r}: its endpoint is not configured or unknown")
    return names


def build(settings: ConnectorSettings, which: str = "all", extras: Extras | None = None) -> Service:
    """Call inside the event loop (the Kafka producer is made here)."""
    extras = extras or Extras()
    runtime = ServiceRuntime(
        "registry-connectors", settings, settings.connectors_schema, MIGRATIONS
    )
    wiring = _Wiring(settings, extras, runtime, connector_tables(settings.connectors_schema))
    pollers = [wiring.poller(name) for name in chosen(settings, which)]
    return Service(runtime, pollers, wiring.clients, wiring.leads)


class _Wiring:
    def __init__(
        self, settings: ConnectorSettings, extras: Extras, runtime: ServiceRuntime, tables: Tables
    ) -> None:
        self.settings, self.extras, self.runtime, self.tables = settings, extras, runtime, tables
        self.publisher = KafkaPublisher(runtime.producer)
        self.clients: list[httpx.AsyncClient] = []
        self.leads: list[Led] = []

    def poller(self, name: str) -> Poller:
        s = self.settings
        if name == "civil":
            civil = self._civil()
            step = self._led(name, civil.step, civil.start_again)
            return Poller(name, step, s.civil_poll_seconds, self._retry(), civil.finish)
        if name == "mse":
            return Poller(
                name, self._led(name, self._mse().step), s.mse_poll_seconds, self._retry()
            )
        population = self._population()
        step = self._led(name, population.step)
        return Poller(name, step, s.population_poll_seconds, self._retry())

    def _led(self, name: str, step: Step, forget: Forget | None = None) -> Led:
        """Several instances may run: only the feed's leader steps (ADR 0019)."""
        lead = Leadership(self.runtime.engine, f"{self.settings.connectors_schema}:{name}")
        self.leads.append(Led(lead, step, forget))
        return self.leads[-1]

    def _retry(self) -> RetryPolicy:
        s = self.settings
        return RetryPolicy(
            s.backoff_initial_seconds, s.backoff_max_seconds, s.retry_after_max_seconds
        )

    def _http(self, partner: str, base_url: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            base_url=base_url,
            timeout=self.settings.http_timeout_seconds,
            transport=MeteredTransport(partner, self.extras.transport),
        )
        self.clients.append(client)
        return client

    def _limits(self) -> PageLimits:
        return PageLimits(self.settings.http_max_page_bytes, self.settings.http_page_seconds)

    def _civil(self) -> CivilPoller:
        s, r = self.settings, self.runtime
        assert s.civil_registry_url is not None
        return CivilPoller(
            CivilParts(
                client=CivilRegistryClient(
                    self._http("civil-registry", s.civil_registry_url), self._limits()
                ),
                store=CivilStore(r.sessions, self.tables),
                planner=PagePlanner(r.hasher, s.life_events_topic),
                publisher=self.publisher,
                clock=self.extras.clock,
                page_size=s.civil_page_size,
            )
        )

    def _mse(self) -> MseWatcher:
        s, r = self.settings, self.runtime
        assert s.mse_drop_dir is not None
        return MseWatcher(
            MseParts(
                folder=LocalDropFolder(Path(s.mse_drop_dir), s.mse_max_file_bytes),
                store=MseStore(r.sessions, self.tables),
                planner=FilePlanner(r.hasher, s.life_events_topic, s.mse_max_file_bytes),
                publisher=self.publisher,
                clock=self.extras.clock,
            )
        )

    def _population(self) -> PopulationMirror:
        s, r = self.settings, self.runtime
        assert s.population_registry_url is not None
        client = self._http("population-registry", s.population_registry_url)
        return PopulationMirror(
            PopulationParts(
                client=PopulationRegistryClient(
                    client, Pace(s.population_requests_per_second), self._limits()
                ),
                checkpoints=Checkpoints(r.sessions, self.tables),
                planner=PersonsPlanner(r.hasher, s.persons_topic),
                publisher=self.publisher,
                clock=self.extras.clock,
                page_size=s.population_page_size,
                life_events=RecordsOnTopic(r.reader(), r.producer, s.life_events_topic),
            )
        )
