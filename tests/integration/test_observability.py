"""Every service's ``/metrics`` has the families ``docs/observability.md`` lists for it, and
one birth is one trace from the registry record to the SMS (ADR 0015).

The whole system runs as in production, each service its own process in a namespace of
its own, a small world from the registry simulators; the services export their spans by
OTLP/HTTP to a collector that this test serves (a real HTTP server, the protobuf the
exporter sends).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.local_ports import free_port
from devstack.components import OPS_PORT, Dataset, free_offset, generator_argv, plan
from devstack.dashboard_png import capture, render
from devstack.layout import Layout
from devstack.metrics_doc import documented_families
from devstack.namespace import Namespace
from devstack.supervisor import Supervisor
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
WORLD = Dataset(persons=300, seed=11, start=date(2025, 11, 1), days=60)
SERVICES = ("connectors", "clock-ticker", "engine", "bank-gateway", "notifier", "ops")
BIRTH = "az.gov.benefits.birth-registered.v1"
NOON = {"NOTIFIER_FIXED_TIME": "2026-11-23T12:00:00+04:00"}  # never quiet hours


@dataclass
class Span:
    service: str
    trace_id: str
    name: str
    attributes: dict[str, str]


@dataclass
class Collector:
    """An OTLP/HTTP trace receiver: ``POST /v1/traces`` with an ExportTraceServiceRequest."""

    spans: list[Span] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, body: bytes) -> None:
        request = ExportTraceServiceRequest.FromString(body)
        for resource in request.resource_spans:
            attrs = {a.key: a.value.string_value for a in resource.resource.attributes}
            for scope in resource.scope_spans:
                for s in scope.spans:
                    named = {a.key: a.value.string_value for a in s.attributes}
                    span = Span(attrs.get("service.name", "?"), s.trace_id.hex(), s.name, named)
                    with self.lock:
                        self.spans.append(span)

    def traces(self) -> dict[str, list[Span]]:
        with self.lock:
            spans = list(self.spans)
        out: dict[str, list[Span]] = {}
        for s in spans:
            out.setdefault(s.trace_id, []).append(s)
        return out


def serve(collector: Collector) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            collector.take(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class World:
    collector: Collector
    metrics_urls: dict[str, str]
    supervisor: Supervisor


@pytest.fixture(scope="module")
def world(infrastructure: dict[str, str]) -> Iterator[World]:
    suffix = uuid.uuid4().hex[:8]
    run_dir = ROOT / ".state" / "observability" / suffix  # logs stay for a look after a failure
    ns = Namespace(suffix=suffix, port_offset=free_offset(suffix))
    asyncio.run(ensure_topics(infrastructure["kafka"], ns.topics()))
    health = {name: free_port() for name in SERVICES}
    extra = {name: {"HEALTH_PORT": str(port)} for name, port in health.items()}
    extra["notifier"].update(NOON)
    the_plan = plan(Layout(ROOT), WORLD, ns, run_dir, extra)
    subprocess.run(
        generator_argv(WORLD, run_dir / "registries"), check=True, stdout=subprocess.DEVNULL
    )
    collector = Collector()
    server = serve(collector)
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": infrastructure["kafka"],
        "DATABASE_URL": infrastructure["database_url"],
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}",
        "OTEL_BSP_SCHEDULE_DELAY": "500",
    }
    supervisor = Supervisor(run_dir / "logs", env)
    for component in the_plan.components:
        supervisor.start(component)
    urls = {name: f"http://127.0.0.1:{port}/metrics" for name, port in health.items()}
    urls["ops"] = f"http://127.0.0.1:{ns.port(OPS_PORT)}/metrics"
    try:
        yield World(collector, urls, supervisor)
    finally:
        supervisor.stop()
        server.shutdown()


def scrape(url: str, deadline: float) -> str:
    while True:
        try:
            answer = httpx.get(url, timeout=5)
            if answer.status_code == 200:
                return answer.text
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer")
        time.sleep(0.5)


def families_in(body: str) -> set[str]:
    """The families a scrape declares (a counter's ``_total`` is its samples' suffix)."""
    found = re.findall(r"^# TYPE (\S+) (\w+)", body, re.MULTILINE)
    return {n.removesuffix("_total") if t == "counter" else n for n, t in found}


def test_the_documentation_lists_families_for_every_service() -> None:
    assert set(documented_families(ROOT)) == {"shared", *SERVICES}


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_serves_the_families_it_documents(world: World, service: str) -> None:
    body = scrape(world.metrics_urls[service], time.monotonic() + 240)
    families = documented_families(ROOT)
    declared = families_in(body)
    missing = (families["shared"] | families[service]) - declared
    assert not missing, f"{service} does not serve {sorted(missing)}"


def test_labels_name_nobody(world: World) -> None:
    """No PIN-shaped (7 upper-case letters and digits) or phone-shaped label value."""
    pin = re.compile(r'="[0-9A-Z]{7}"')
    phone = re.compile(r'="\+?994\d{9}"')
    for service, url in world.metrics_urls.items():
        body = scrape(url, time.monotonic() + 240)
        assert not pin.search(body) and not phone.search(body), service


def complete_birth(traces: dict[str, list[Span]]) -> str | None:
    """A trace that went from a birth's registry record to the SMS."""
    for trace_id, spans in traces.items():
        names = {s.name for s in spans}
        peers = {s.attributes.get("peer") for s in spans}
        types = {s.attributes.get("event_type") for s in spans}
        services = {s.service for s in spans}
        if (
            {"registry-connectors", "eligibility-engine", "bank-gateway", "notifier"} <= services
            and any(n.startswith("benefit-decisions") and n.endswith("publish") for n in names)
            and any("payments" in n for n in names)
            and any("notices" in n for n in names)
            and {"bank", "sms-gateway"} <= peers
            and BIRTH in types
        ):
            return trace_id
    return None


def test_a_birth_is_one_trace_from_the_registry_record_to_the_sms(world: World) -> None:
    deadline = time.monotonic() + 600
    found = None
    while found is None and time.monotonic() < deadline:
        time.sleep(2)
        assert not world.supervisor.dead(), f"exited: {world.supervisor.dead()}"
        found = complete_birth(world.collector.traces())
    assert found is not None, "no trace went from a registry record to an SMS"
    spans = world.collector.traces()[found]
    hops = {s.name for s in spans}
    assert any(h.startswith("life-events") for h in hops), hops
    if picture := os.environ.get("OBSERVABILITY_DASHBOARD_PNG"):  # docs/observability.md's
        render(capture(world.metrics_urls, seconds=60), Path(picture))


def test_a_real_prometheus_loads_the_alerting_rules_and_evaluates_them_on_these_metrics(
    world: World, tmp_path: Path
) -> None:
    """The rules' promtool tests use synthetic series; here Prometheus itself (from the
    Debian package ``make setup`` unpacks) scrapes every service as the compose file's
    does (job ``benefits``, a ``service`` label) and evaluates every rule without error,
    and the gauges the alerts read are there with the labels the rules group by."""
    port = free_port()
    targets = [
        {
            "targets": [url.removeprefix("http://").removesuffix("/metrics")],
            "labels": {"service": name},
        }
        for name, url in world.metrics_urls.items()
    ]
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(ROOT / "deploy" / "prometheus-alerts.yml")],
        "scrape_configs": [{"job_name": "benefits", "static_configs": targets}],
    }
    (tmp_path / "prometheus.yml").write_text(json.dumps(config))  # YAML is a superset
    server = subprocess.Popen(
        [
            str(ROOT / ".state" / "bin" / "prometheus"),
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "prometheus.log").open("w"),
    )
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 120

        def answer(path: str, **params: str) -> Any:
            """The API's answer; every wait of this test ends here by the deadline."""
            while True:
                assert time.monotonic() < deadline, (tmp_path / "prometheus.log").read_text()
                try:
                    reply = httpx.get(f"{api}/{path}", params=params, timeout=5)
                    if reply.status_code == 200:
                        return reply.json()["data"]
                except httpx.TransportError:
                    pass
                time.sleep(0.5)

        def up() -> set[str]:
            found = answer("query", query='up{job="benefits"} == 1')["result"]
            return {series["metric"]["service"] for series in found}

        while up() != set(SERVICES):
            time.sleep(1)
        started = time.time()
        while True:
            rules = [r for g in answer("rules", type="alert")["groups"] for r in g["rules"]]
            evaluated = [r for r in rules if _seconds(r["lastEvaluation"]) > started]
            if len(evaluated) == len(rules):
                break
            time.sleep(1)
        groups = yaml.safe_load((ROOT / "deploy" / "prometheus-alerts.yml").read_text())["groups"]
        assert len(rules) == sum(len(group["rules"]) for group in groups)
        assert [(r["name"], r["lastError"]) for r in rules if r["health"] != "ok"] == []

        # an alert whose series do not exist never fires: the gauges they read are there,
        # with the labels they group by (counters appear with their first event)
        def labels(query: str, label: str) -> set[str]:
            while not (found := answer("query", query=query)["result"]):
                time.sleep(1)  # the lag watch looks every 30 s; gauges come with their parts
            return {series["metric"].get(label, "") for series in found}

        assert labels("benefits_circuit_breaker_state", "breaker") == {"bank", "sms-gateway"}
        assert len(labels("benefits_outbox_backlog_rows", "schema") - {""}) >= 3
        assert labels("engine_cases_waiting_oldest_seconds", "service") == {"engine"}
        assert labels("clock_last_tick_day_timestamp_seconds", "service") == {"clock-ticker"}
        assert labels("ops_consumer_group_committed_offsets", "group") - {""}
        assert labels("benefits_batch_duration_seconds_bucket", "group") - {""}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _seconds(rfc3339: str) -> float:
    """Prometheus's ``lastEvaluation`` (nanoseconds, 'Z'), as epoch seconds."""
    whole, _, fraction = rfc3339.rstrip("Z").partition(".")
    moment = datetime.fromisoformat(whole).replace(tzinfo=UTC)
    return moment.timestamp() + float(f"0.{fraction or 0}")
