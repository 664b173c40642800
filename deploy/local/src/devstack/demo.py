"""``make run``: the main job. Generates a population, starts the simulators and every
service, streams the registries through them with live progress until the backlog is
drained, prints a reconciled summary, and keeps running until Ctrl-C (``RUN_ONCE=1``:
exits after the summary, 0 only if everything reconciles)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benefits_shared.kafka.admin import ensure_topics
from notifier.bootstrap import clock_of
from notifier.config import NotifierSettings
from notifier.quiet_hours import is_quiet

from devstack.components import (
    Dataset,
    Plan,
    console_url,
    generator_argv,
    ops_token_argv,
    plan,
)
from devstack.console import Board, Steps, say
from devstack.flow import Flow, kind_of
from devstack.layout import Layout
from devstack.namespace import Namespace
from devstack.observe import BENEFIT_DECISIONS, LIFE_EVENTS, NOTICES, PAYMENTS, Observer, Record
from devstack.reconcile import Summary, latency, summarise
from devstack.summary_view import summary_json, summary_text
from devstack.supervisor import Supervisor

#: Exit codes of ``devstack run`` (``RUN_ONCE=1``; 2 is a usage error).
RECONCILED, NOT_RECONCILED, PROCESSES_DIED, INTERRUPTED = 0, 1, 3, 130

QUIET_S = float(os.environ.get("RUN_QUIET_SECONDS", "20"))
TIMEOUT_S = float(os.environ.get("RUN_TIMEOUT_SECONDS", "3600"))


def dataset_from_env() -> Dataset:
    return Dataset(
        persons=int(os.environ.get("RUN_PERSONS", DEFAULT.persons)),
        seed=int(os.environ.get("RUN_SEED", DEFAULT.seed)),
        start=date.fromisoformat(os.environ.get("RUN_START", DEFAULT.start.isoformat())),
        days=int(os.environ.get("RUN_DAYS", DEFAULT.days)),
    )


DEFAULT = Dataset(persons=50_000, seed=1, start=date(2025, 11, 1), days=365)


def namespace_of(data: Dataset) -> Namespace:
    """The default dataset uses the catalog's names; any other its own, so that datasets
    never mix on one Kafka and PostgreSQL (a registry's sequence numbers start again)."""
    offset = int(os.environ.get("RUN_PORT_OFFSET") or 0)  # a second run beside the first
    if data == DEFAULT:
        return Namespace(port_offset=offset)
    return Namespace(suffix=hashlib.sha256(data.name.encode()).hexdigest()[:8], port_offset=offset)


class ProcessesDiedError(RuntimeError):
    """A process of the run exited: the run cannot finish (its log says why)."""


def main_job(layout: Layout, bootstrap: str, database_url: str, as_json: bool = False) -> int:
    """The exit code: ``RECONCILED``, ``NOT_RECONCILED``, ``PROCESSES_DIED`` or
    ``INTERRUPTED``; the summary on stdout (``as_json``: as JSON), the rest on stderr."""
    data = dataset_from_env()
    ns = namespace_of(data)
    asyncio.run(ensure_topics(bootstrap, ns.topics()))
    the_plan = plan(layout, data, ns)
    if needs_dataset(the_plan):
        generate_dataset(data, the_plan.run_dir / "registries")
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
    supervisor = Supervisor(layout.logs / "run", env)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    for component in the_plan.components:
        supervisor.start(component)
        say(f"  started {component.name:20} log: {supervisor.logs / component.name}.log")
    if any(c.name == "ops" for c in the_plan.components):
        token = ops_admin_token(the_plan.run_dir, env, ns)
        say(f"ops console: {console_url(ns)}  (admin token for this run: {token})")
    once = os.environ.get("RUN_ONCE") == "1"
    try:
        observer = Observer(bootstrap, the_plan.endpoints, ns, database_url)
        summary = asyncio.run(watch(observer, supervisor))
        print(json.dumps(summary_json(summary), indent=2) if as_json else summary_text(summary))
        if once:
            return RECONCILED if summary.reconciled else NOT_RECONCILED
        say("Everything keeps running; Ctrl-C stops it all cleanly.")
        signal.pause()
        return RECONCILED
    except ProcessesDiedError as died:
        say(str(died))
        return PROCESSES_DIED
    except KeyboardInterrupt:
        return INTERRUPTED
    finally:
        say("stopping every process…")
        supervisor.stop()


def ops_admin_token(run_dir: Path, env: dict[str, str], ns: Namespace) -> Path:
    """Make an admin token for this run; its secret goes to a file only its owner reads."""
    made = subprocess.run(
        ops_token_argv(f"make-run-{datetime.now(UTC):%Y%m%dT%H%M%S}"),
        env={**env, **ns.service_env()["ops"]},
        capture_output=True,
        text=True,
        check=True,
    )
    path = run_dir / "ops-admin-token"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(json.loads(made.stdout)["secret"] + "\n")
    return path


def _exit_cleanly(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so that every started process is stopped on the way out


def needs_dataset(the_plan: Plan) -> bool:
    """Whether a simulator of ours reads the generated registries (none does when every
    registry endpoint is external: ``CIVIL_REGISTRY_URL``, ``POPULATION_REGISTRY_URL``,
    ``MSE_DROP_DIR``)."""
    return any(c.name in DATASET_READERS for c in the_plan.components)


DATASET_READERS = ("registry-simulators", "mse-commission")


def generate_dataset(data: Dataset, out: Path) -> None:
    if (out / "manifest.json").exists():
        return
    what = f"generating {data.persons:,} persons and {data.days} days of registry records"
    with Steps(what) as steps:
        generator = subprocess.Popen(generator_argv(data, out), stdout=subprocess.DEVNULL)
        while generator.poll() is None:
            steps.note(f"({_megabytes(out):,.1f} MB written)")
            time.sleep(0.5)
    if generator.returncode:
        raise subprocess.CalledProcessError(generator.returncode, generator.args)


def _megabytes(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


async def watch(
    observer: Observer,
    supervisor: Supervisor,
    quiet_s: float = QUIET_S,
    timeout_s: float = TIMEOUT_S,
    revive: Callable[[list[str]], None] | None = None,
) -> Summary:
    """Show progress until the backlog is drained, then read every record and summarise.

    Drained: no consumer lag, no payment the bank took without its outcome, no notice the
    gateway was offered waiting for a retry (outside quiet hours), and nothing moved on our
    own topics (nor in the notifier's waiting notices) for ``quiet_s``. Every count is ours
    (``devstack.flow``), never a partner's, so a real bank or SMS gateway is watched as
    well as our simulators. A poll that waited for Kafka or PostgreSQL to come
    back counts as movement: nothing could be seen while they were away. A process that
    exits stops the watch (``ProcessesDiedError``), unless ``revive`` is given: it is then
    called with their names (``make chaos`` notes and restarts them)."""
    try:
        ends = await _until_drained(observer, supervisor, quiet_s, timeout_s, revive)
        return await summary_of(observer, ends, notifier_now(supervisor.env_of("notifier")))
    finally:
        await observer.close()


async def _until_drained(
    observer: Observer,
    supervisor: Supervisor,
    quiet_s: float,
    timeout_s: float,
    revive: Callable[[list[str]], None] | None,
) -> dict[str, int]:
    """The topics' end offsets once drained (or timed out), showing the figures meanwhile."""
    started = stable_since = time.monotonic()
    flow, failures_seen = Flow(), 0
    last: tuple[Any, ...] = ()
    with Board("make run") as board:
        while True:
            ends = await observer.end_offsets()
            lag = await observer.lag(ends, _alive(supervisor))
            for topic in (PAYMENTS.name, NOTICES.name):
                flow.add(await observer.follow(topic))
            waiting = await observer.notices_not_handed_over()
            now = notifier_now(supervisor.env_of("notifier"))
            retrying = not is_quiet(now) and await observer.notices_in_retry()
            snapshot = (tuple(sorted(ends.items())), flow.snapshot(), waiting)
            board.show(_figures(time.monotonic() - started, ends, lag, flow))
            failures = observer.outages.failures.total()
            busy = any(lag.values()) or flow.in_flight or retrying
            busy = busy or "mse-commission" in _alive(supervisor)
            if snapshot != last or busy or failures != failures_seen:
                last, stable_since, failures_seen = snapshot, time.monotonic(), failures
            if time.monotonic() - stable_since > quiet_s:
                return ends
            if (dead := supervisor.dead()) and revive is not None:
                revive(dead)  # make chaos: noted and started again
                stable_since = time.monotonic()
            elif dead:
                raise ProcessesDiedError(
                    f"these processes died: {', '.join(dead)} (see their logs)"
                )
            if time.monotonic() - started > timeout_s:
                say("the backlog did not drain in time: summary of what was done")
                return ends
            await asyncio.sleep(2)


def _alive(supervisor: Supervisor) -> set[str]:
    return {n for n, p in supervisor.running.items() if p.poll() is None}


def _figures(
    elapsed: float, ends: dict[str, int], lag: dict[str, int], flow: Flow
) -> dict[str, str]:
    return {
        "elapsed": f"{elapsed:.0f} s",
        "events in": f"{ends.get(LIFE_EVENTS.name, 0):,}",
        "persons": f"{ends.get('persons', 0):,}",
        "decisions": f"{ends.get(BENEFIT_DECISIONS.name, 0):,}",
        "payments settled": f"{flow.settled:,}",
        "at the bank": f"{flow.in_flight:,}",
        "SMS": f"{flow.sms:,}",
        "lag": f"{sum(lag.values()):,}",
    }


async def summary_of(observer: Observer, ends: dict[str, int], now: datetime) -> Summary:
    """Counted from our own topics; compared with a partner's records where the partner is
    our simulator (its ``/_sim`` listings answer), and says which comparisons did not run."""
    decisions = await observer.read(BENEFIT_DECISIONS.name)
    payments = await observer.read(PAYMENTS.name)
    notices = await observer.read(NOTICES.name)
    ledger = await observer.sim("BANK_API_URL", "/_sim/ledger")
    accounts = await observer.sim("BANK_API_URL", "/_sim/accounts")
    messages = await observer.sim("SMS_GATEWAY_URL", "/_sim/messages")
    summary = summarise(decisions, payments, notices, ledger, accounts, messages, ends)
    summary.not_handed_over = await observer.notices_not_handed_over()
    summary.quiet_hours = is_quiet(now)
    summary.latency_s = await latency_of(observer, decisions, notices)
    return summary


async def latency_of(
    observer: Observer, decisions: list[Record], notices: list[Record]
) -> tuple[float, float] | None:
    """From a registry record's arrival in Kafka to its first notice accepted by the SMS
    gateway (the time our ``accepted`` event was written): p50 and p99 in seconds."""
    return latency(*await latency_spans(observer, decisions, notices))


async def latency_spans(
    observer: Observer, decisions: list[Record], notices: list[Record]
) -> tuple[dict[str, int], dict[str, int]]:
    """For each first notice of ``decisions`` accepted by the SMS gateway: when its
    registry record arrived in Kafka, and when the notice was accepted (ms, by notice)."""
    arrived: dict[str, int] = {}
    for r in await observer.read(LIFE_EVENTS.name):
        key = r.value.get("record_no") or r.value.get("certificate_no")
        if key and key not in arrived:
            arrived[key] = r.timestamp_ms
    record_of = {d.value["decision_id"]: _record_key(d.value) for d in decisions}
    starts, ends = {}, {}
    for n in notices:
        if kind_of(n) != "notice-changed" or n.value.get("state") != "accepted":
            continue
        key = record_of.get(n.value["decision_id"])
        if key in arrived and n.value["notice_id"] not in ends:
            starts[n.value["notice_id"]] = arrived[key]
            ends[n.value["notice_id"]] = n.timestamp_ms
    return starts, ends


def _record_key(decision: dict[str, Any]) -> str | None:
    facts = decision.get("facts", {})
    for part, key in (
        ("birth", "record_no"),
        ("death", "record_no"),
        ("certificate", "certificate_no"),
    ):
        if isinstance(facts.get(part), dict) and facts[part].get(key):
            return str(facts[part][key])
    return None


def notifier_now(env: Mapping[str, str] | None = None) -> datetime:
    """The notifier's clock as it runs with ``env`` (ours by default):
    ``NOTIFIER_FIXED_TIME`` or now."""
    fixed = (os.environ if env is None else env).get("NOTIFIER_FIXED_TIME")
    return clock_of(NotifierSettings(notifier_fixed_time=fixed)).now()
