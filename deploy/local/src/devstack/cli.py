"""``devstack setup|up|down|status|run|bench``: what ``make setup/up/down/status/run/bench``
run; ``devstack policy-doc [--check]`` writes docs/policy.md's parameter tables;
``devstack manifests`` writes the generated Kubernetes manifests, ``devstack lint-deploy``
checks every manifest and the compose file offline (``make lint``).

An endpoint set in the environment (``KAFKA_BOOTSTRAP_SERVERS``, ``DATABASE_URL``) is used
as it is and nothing local is started for it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

from benefits_shared.kafka.admin import ensure_topics, wait_until_ready
from benefits_shared.topics import all_topics

from devstack import demo, kafka, postgres
from devstack.layout import Layout, layout
from devstack.readiness import wait_for_group_coordinator


def _kafka_url(lay: Layout) -> tuple[str, bool]:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    return (external, True) if external else (kafka.bootstrap(lay), False)


def _database_url(lay: Layout) -> tuple[str, bool]:
    external = os.environ.get("DATABASE_URL")
    return (external, True) if external else (postgres.url(lay), False)


def setup(lay: Layout) -> None:
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        kafka.fetch_jars(lay)
    if not os.environ.get("DATABASE_URL") and postgres.binaries() is None:
        sys.exit("PostgreSQL server binaries not found (the Makefile's setup installs them)")


def up(lay: Layout) -> None:
    lay.logs.mkdir(parents=True, exist_ok=True)
    bootstrap, kafka_external = _kafka_url(lay)
    _db, db_external = _database_url(lay)
    if not kafka_external:
        print("kafka:", "starting…" if kafka.start(lay) else "already running", flush=True)
    if not db_external:
        print("postgres:", "started" if postgres.start(lay) else "already running", flush=True)
    asyncio.run(wait_until_ready(bootstrap, timeout_s=120))
    asyncio.run(wait_for_group_coordinator(bootstrap, timeout_s=120))
    print("kafka: a group coordinator answers", flush=True)
    created = asyncio.run(ensure_topics(bootstrap, all_topics()))
    print(f"topics: {len(created)} created, {len(all_topics())} in the catalog")
    status(lay)


def down(lay: Layout) -> None:
    print("kafka:", "stopped" if kafka.stop(lay) else "was not running")
    print("postgres:", "stopped" if postgres.stop(lay) else "was not running")


def status(lay: Layout) -> None:
    bootstrap, kafka_external = _kafka_url(lay)
    db, db_external = _database_url(lay)
    k_state = (
        "external"
        if kafka_external
        else ("running" if kafka.running_pid(kafka.pid_file(lay)) else "stopped")
    )
    p_state = "external" if db_external else ("running" if postgres.is_running(lay) else "stopped")
    print(f"  Kafka       {k_state:9} KAFKA_BOOTSTRAP_SERVERS={bootstrap}")
    print(f"  PostgreSQL  {p_state:9} DATABASE_URL={db}")
    print(f"  logs        {lay.logs}")


def run(lay: Layout) -> None:
    """The main job (see ``devstack.demo``); the stack is already up (``make up``)."""
    bootstrap, _ = _kafka_url(lay)
    db, _ = _database_url(lay)
    sys.exit(demo.main_job(lay, bootstrap, db))


def bench(lay: Layout) -> None:
    from devstack.bench.run import main as run_benchmarks

    bootstrap, _ = _kafka_url(lay)
    db, _ = _database_url(lay)
    run_benchmarks(bootstrap, db, lay.root)


def policy_doc(lay: Layout, check: bool) -> None:
    from devstack.policy_doc import main as write_policy_tables

    sys.exit(write_policy_tables(lay.root, check))


def manifests(lay: Layout) -> None:
    from devstack.manifests.files import write

    for path in write(lay.root):
        print(f"wrote {path.relative_to(lay.root)}")


def lint_deploy(lay: Layout) -> None:
    from devstack.manifests.validate import lint

    found = lint(lay.root)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        sys.exit(f"{len(found)} problem(s) in the deployment files")
    print("deployment files: valid")


COMMANDS = {
    "setup": setup,
    "up": up,
    "down": down,
    "status": status,
    "run": run,
    "bench": bench,
    "manifests": manifests,
    "lint-deploy": lint_deploy,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="devstack", description=__doc__)
    parser.add_argument("command", choices=[*sorted(COMMANDS), "policy-doc"])
    parser.add_argument(
        "--check",
        action="store_true",
        help="policy-doc: only say whether docs/policy.md is current",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="devstack: %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # outages: see devstack.outages
    if args.command == "policy-doc":
        policy_doc(layout(), args.check)
    COMMANDS[args.command](layout())


if __name__ == "__main__":
    main()
