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
import sys
import time
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
from devstack.flow import Flow, kind_of
from devstack.layout import Layout
from devstack.namespace import Namespace
from devstack.observe import BENEFIT_DECISIONS, LIFE_EVENTS, NOTICES, PAYMENTS, Observer, Record
from devstack.reconcile import Summary, latency, summarise
from devstack.supervisor import Supervisor

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


def main_job(layout: Layout, bootstrap: str, database_url: str) -> int:
    data = dataset_from_env()
    ns = namespace_of(data)
    asyncio.run(ensure_topics(bootstrap, ns.topics()))
    the_plan = plan(layout, data, ns)
    if needs_dataset(the_plan):
        _generate(data, the_plan.run_dir / "registries")
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
        print(f"  started {component.name:20} log: {supervisor.logs / component.name}.log")
    if any(c.name == "ops" for c in the_plan.components):
        token = ops_admin_token(the_plan.run_dir, env, ns)
        print(f"ops console: {console_url(ns)}  (admin token for this run: {token})")
    once = os.environ.get("RUN_ONCE") == "1"
    try:
        observer = Observer(bootstrap, the_plan.endpoints, ns, database_url)
        summary = asyncio.run(watch(observer, supervisor))
        _print_summary(summary)
        if once:
            return 0 if summary.reconciled else 1
        print("\nEverything keeps running; Ctrl-C stops it all cleanly.")
        signal.pause()
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        print("stopping every process…", flush=True)
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


def _generate(data: Dataset, out: Path) -> None:
    if (out / "manifest.json").exists():
        return
    print(f"generating {data.persons:,} persons and {data.days} days of registry records…")
    subprocess.run(generator_argv(data, out), check=True, stdout=subprocess.DEVNULL)


async def watch(
    observer: Observer,
    supervisor: Supervisor,
    quiet_s: float = QUIET_S,
    timeout_s: float = TIMEOUT_S,
) -> Summary:
    """Show progress until the backlog is drained, then read every record and summarise.

    Drained: no consumer lag, no payment the bank took without its outcome, and nothing
    moved on our own topics (nor in the notifier's waiting notices) for ``quiet_s``. Every
    count is ours (``devstack.flow``), never a partner's, so a real bank or SMS gateway is
    watched as well as our simulators. A poll that waited for Kafka or PostgreSQL to come
    back counts as movement: nothing could be seen while they were away."""
    started = time.monotonic()
    flow = Flow()
    last: tuple[Any, ...] = ()
    stable_since = time.monotonic()
    failures_seen = 0
    try:
        while True:
            ends = await observer.end_offsets()
            lag = await observer.lag(ends, _alive(supervisor))
            for topic in (PAYMENTS.name, NOTICES.name):
                flow.add(await observer.follow(topic))
            waiting = await observer.notices_not_handed_over()
            snapshot = (tuple(sorted(ends.items())), flow.snapshot(), waiting)
            _progress(time.monotonic() - started, ends, lag, flow)
            failures = observer.outages.failures.total()
            busy = any(lag.values()) or flow.in_flight or "mse-commission" in _alive(supervisor)
            if snapshot != last or busy or failures != failures_seen:
                last, stable_since, failures_seen = snapshot, time.monotonic(), failures
            if time.monotonic() - stable_since > quiet_s:
                break
            if dead := supervisor.dead():
                raise SystemExit(f"\nthese processes died: {', '.join(dead)} (see their logs)")
            if time.monotonic() - started > timeout_s:
                print("\nthe backlog did not drain in time: summary of what was done")
                break
            await asyncio.sleep(2)
        print()
        return await summary_of(observer, ends)
    finally:
        await observer.close()


def _alive(supervisor: Supervisor) -> set[str]:
    return {n for n, p in supervisor.running.items() if p.poll() is None}


def _progress(elapsed: float, ends: dict[str, int], lag: dict[str, int], flow: Flow) -> None:
    line = (
        f"\r[{elapsed:6.0f}s] events in {ends.get(LIFE_EVENTS.name, 0):>8,}"
        f" · persons {ends.get('persons', 0):>8,}"
        f" · decisions {ends.get(BENEFIT_DECISIONS.name, 0):>7,}"
        f" · payments settled {flow.settled:>6,} (at the bank {flow.in_flight:>5,})"
        f" · SMS {flow.sms:>6,} · lag {sum(lag.values()):>7,}"
    )
    sys.stdout.write(line)
    sys.stdout.flush()


async def summary_of(observer: Observer, ends: dict[str, int]) -> Summary:
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
    summary.quiet_hours = is_quiet(notifier_now())
    summary.latency_s = await latency_of(observer, decisions, notices)
    return summary


async def latency_of(
    observer: Observer, decisions: list[Record], notices: list[Record]
) -> tuple[float, float] | None:
    """From a registry record's arrival in Kafka to its first notice accepted by the SMS
    gateway (the time our ``accepted`` event was written)."""
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
    return latency(starts, ends)


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


def notifier_now() -> datetime:
    """The notifier's clock as ``make run`` starts it (``NOTIFIER_FIXED_TIME`` or now)."""
    return clock_of(NotifierSettings()).now()


def _print_summary(s: Summary) -> None:
    print("\n══ Summary ══")
    print("decisions (final, per case):")
    for (benefit, outcome), n in sorted(s.decisions.items()):
        print(f"  {benefit} {outcome:18} {n:>8,}")
    print("payments settled:")
    for benefit, (n, total) in s.paid.items():
        print(f"  {benefit} {n:>8,} payments  {total:>14,.2f} AZN")
    print(
        f"accounts opened {s.accounts:,} · payments rejected {dict(s.rejected) or 0}"
        f" · recovery cases {s.recoveries:,}"
    )
    print(
        f"SMS accepted by the gateway {s.sms:,} ({s.segments:,} segments)"
        f" · notices by state {dict(s.notices)}"
    )
    if line := s.waiting_notices_line():
        print(line)
    if s.latency_s:
        print(
            f"latency registry record → SMS accepted: p50 {s.latency_s[0]:.1f} s,"
            f" p99 {s.latency_s[1]:.1f} s"
        )
    unresolved = sum(n for (_, o), n in s.decisions.items() if o == "unresolved")
    print(f"unresolved (ops queue) {unresolved:,} · dead letters {s.dead_letters or 0}")
    print("reconciliation (our own topics; a partner's records where it is our simulator):")
    for c in s.checks:
        print(f"  {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")
    for skipped in s.not_run:
        print(f"  not run: {skipped}")
    print("RECONCILED" if s.reconciled else "NOT RECONCILED")
