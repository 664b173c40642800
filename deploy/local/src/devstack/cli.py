"""``devstack``: the local stack without Docker, and the main job. What ``make setup``,
``up``, ``down``, ``status``, ``run``, ``bench`` and ``lint`` run.

Scriptable first (style.md 14): results on stdout (``--json`` for machines where it makes
sense), progress on stderr (rich on a terminal, plain lines elsewhere), never a prompt.
Exit codes: 0 done; 1 not reconciled, or files not current / not valid; 2 usage error;
3 a process of the main job died; 130 interrupted.

An endpoint set in the environment (``KAFKA_BOOTSTRAP_SERVERS``, ``DATABASE_URL``) is used
as it is and nothing local is started for it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Annotated

import typer
from benefits_shared.kafka.admin import ensure_topics, wait_until_ready
from benefits_shared.topics import all_topics

from devstack import demo, kafka, postgres
from devstack.console import say
from devstack.layout import Layout, layout
from devstack.readiness import wait_for_group_coordinator

DIFFERENT = 1
HELP = (
    "The local stack without Docker, and the main job (make setup/up/down/status/run/bench)."
    " Results on stdout (--json for machines), progress on stderr. Exit codes: 0 done;"
    " 1 not reconciled, or files not current or not valid; 2 usage error; 3 a process of"
    " the main job died; 130 interrupted."
)
app = typer.Typer(
    name="devstack",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]


@app.callback()
def _logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="devstack: %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # outages: see devstack.outages


def _kafka_url(lay: Layout) -> tuple[str, bool]:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    return (external, True) if external else (kafka.bootstrap(lay), False)


def _database_url(lay: Layout) -> tuple[str, bool]:
    external = os.environ.get("DATABASE_URL")
    return (external, True) if external else (postgres.url(lay), False)


@app.command()
def setup() -> None:
    """Fetch what the local stack needs (Kafka's jars from Maven Central)."""
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        kafka.fetch_jars(layout())
    if not os.environ.get("DATABASE_URL") and postgres.binaries() is None:
        say("PostgreSQL server binaries not found (the Makefile's setup installs them)")
        raise typer.Exit(DIFFERENT)


@app.command()
def up() -> None:
    """Start Kafka and PostgreSQL (those not set in the environment) and the topics."""
    lay = layout()
    lay.logs.mkdir(parents=True, exist_ok=True)
    bootstrap, kafka_external = _kafka_url(lay)
    _db, db_external = _database_url(lay)
    if not kafka_external:
        say(f"kafka: {'starting…' if kafka.start(lay) else 'already running'}")
    if not db_external:
        say(f"postgres: {'started' if postgres.start(lay) else 'already running'}")
    asyncio.run(wait_until_ready(bootstrap, timeout_s=120))
    asyncio.run(wait_for_group_coordinator(bootstrap, timeout_s=120))
    say("kafka: a group coordinator answers")
    created = asyncio.run(ensure_topics(bootstrap, all_topics()))
    say(f"topics: {len(created)} created, {len(all_topics())} in the catalog")
    status()


@app.command()
def down() -> None:
    """Stop the local Kafka and PostgreSQL."""
    lay = layout()
    print("kafka:", "stopped" if kafka.stop(lay) else "was not running")
    print("postgres:", "stopped" if postgres.stop(lay) else "was not running")


@app.command()
def status(as_json: AsJson = False) -> None:
    """What runs where."""
    lay = layout()
    bootstrap, kafka_external = _kafka_url(lay)
    db, db_external = _database_url(lay)
    k_running = kafka.running_pid(kafka.pid_file(lay))
    k_state = "external" if kafka_external else ("running" if k_running else "stopped")
    p_state = "external" if db_external else ("running" if postgres.is_running(lay) else "stopped")
    if as_json:
        found = {
            "kafka": {"state": k_state, "KAFKA_BOOTSTRAP_SERVERS": bootstrap},
            "postgres": {"state": p_state, "DATABASE_URL": db},
            "logs": str(lay.logs),
        }
        print(json.dumps(found, indent=2))
        return
    print(f"  Kafka       {k_state:9} KAFKA_BOOTSTRAP_SERVERS={bootstrap}")
    print(f"  PostgreSQL  {p_state:9} DATABASE_URL={db}")
    print(f"  logs        {lay.logs}")


@app.command()
def run(as_json: AsJson = False) -> None:
    """The main job (make run; the stack is up). RUN_ONCE=1: exit after the summary."""
    lay = layout()
    bootstrap, _ = _kafka_url(lay)
    db, _ = _database_url(lay)
    raise typer.Exit(demo.main_job(lay, bootstrap, db, as_json))


@app.command()
def chaos() -> None:
    """Rounds of faults on a stack of its own, then every check (CHAOS_ROUNDS, CHAOS_SEED,
    CHAOS_PERSONS; exit 0 only if every check holds, 1 if one fails, 3 if a process died)."""
    from devstack.chaos.run import main as run_chaos

    raise typer.Exit(run_chaos(layout().root))


@app.command()
def bench(
    render: Annotated[
        bool,
        typer.Option("--render", help="Only write report.md again from report.json."),
    ] = False,
) -> None:
    """Run every benchmark (BENCH_* sizes) and write the report."""
    from devstack.bench.run import main as run_benchmarks

    lay = layout()
    if render:
        from devstack.bench.report import render as render_report

        print(render_report(lay.root / "benchmarks").read_text())
        return
    bootstrap, _ = _kafka_url(lay)
    db, _ = _database_url(lay)
    run_benchmarks(bootstrap, db, lay.root)


@app.command("policy-doc")
def policy_doc(
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether docs/policy.md is current (1: not).")
    ] = False,
) -> None:
    """Write docs/policy.md's parameter tables from the engine's YAML."""
    from devstack.policy_doc import main as write_policy_tables

    raise typer.Exit(write_policy_tables(layout().root, check))


@app.command()
def manifests(as_json: AsJson = False) -> None:
    """Write the generated Kubernetes manifests (deploy/k8s/base/generated/)."""
    from devstack.manifests.files import write

    root = layout().root
    written = [str(path.relative_to(root)) for path in write(root)]
    print(json.dumps(written, indent=2) if as_json else "\n".join(f"wrote {p}" for p in written))


@app.command("lint-deploy")
def lint_deploy(as_json: AsJson = False) -> None:
    """Check every manifest and the compose file offline (1: problems found)."""
    from devstack.manifests.validate import lint

    found = lint(layout().root)
    if as_json:
        print(json.dumps({"problems": found}, indent=2))
    else:
        for problem in found:
            say(problem)
        say(
            f"{len(found)} problem(s) in the deployment files"
            if found
            else "deployment files: valid"
        )
    if found:
        raise typer.Exit(DIFFERENT)


def main(argv: list[str] | None = None) -> None:
    app(args=argv, prog_name="devstack")


if __name__ == "__main__":
    main()
