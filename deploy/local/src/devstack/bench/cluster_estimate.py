"""The report's estimate of what a 3-broker cluster with more partitions and N nodes should
reach, from this run's single-machine figures (issue #12). An estimate says what bounds
each stage; only ``make bench`` pointed at the cluster measures it."""

from __future__ import annotations

from benefits_shared.topics import LIFE_EVENTS

from devstack.bench.measure import Figure

#: Partitions a production cluster would give the per-person topics (docs/operations.md).
CLUSTER_PARTITIONS = 24


def _value(figures: list[Figure], prefix: str) -> float | None:
    return next((f.value for f in figures if f.name.startswith(prefix)), None)


def _rate(value: float | None, unit: str, what: str) -> str:
    """``what`` with the figure, or saying it was not measured."""
    figure = f"{value:,.0f} {unit}" if value is not None else "(not measured in this run)"
    return what.format(figure)


def cluster_estimate(figures: list[Figure]) -> list[str]:
    """Markdown lines: one paragraph per stage, each with the figure it starts from."""
    engine = _value(figures, "engine: events decided")
    producer = _value(figures, "raw producer")
    connector = _value(figures, "civil-registry connector")
    bank = _value(figures, "bank gateway")
    one = _value(figures, "end to end, 1 instance")
    two = _value(figures, "end to end, 2 instance")
    scale = (
        f"two instances of every service reached {two / one:.2f}× the births per second of one"
        if one and two
        else "one and two instances of every service were not both measured in this run"
    )
    here = LIFE_EVENTS.partitions
    return [
        "## What a 3-broker cluster with more partitions and N nodes should reach",
        "",
        "An estimate from this run's figures, not a measurement: point `make bench` at the "
        "cluster (`KAFKA_BOOTSTRAP_SERVERS`, `DATABASE_URL`) to measure it. "
        'The reasoning is in docs/operations.md ("What bounds throughput").',
        "",
        f"- **Kafka** is not the bound: {_rate(producer, 'records/s', 'one broker here took {}')} "
        "from one producer with `acks=all`. With replication factor 3 every broker of three "
        "stores every record, so the cluster writes about what one broker does, with "
        "durability and the partition leaders spread over three; that is still many times "
        "what the stages below consume. The per-person topics have "
        f"{here} partitions here; with {CLUSTER_PARTITIONS} a group can use "
        f"{CLUSTER_PARTITIONS} members.",
        f"- **Engine**: {_rate(engine, 'events/s', '{} per process here')}. Every batch takes one "
        "decide lock per schema (ADR 8) so that a family spread over partitions is decided "
        "as by one process: N engines overlap fetching and decoding but decide one batch at a "
        "time, so the cluster's engine rate is about one process's on a faster core, not N "
        "times it, until the lock is taken per family.",
        f"- **Civil connector**: {_rate(connector, 'records/s', '{} here')}; one instance "
        "leads each feed (ADR 19), so N nodes add availability, not speed; the registry's "
        "paging bounds it.",
        f"- **Bank gateway and notifier**: {_rate(bank, 'payments/s', '{} per gateway here')}"
        "; both claim rows with `SKIP LOCKED` and scale with instances up to the partners' "
        "contracted rates, which bound them in production (the simulators here are set not "
        "to).",
        f"- **End to end**: {scale} on this 2-core machine, where both share the same two "
        "cores, Kafka and PostgreSQL. On N nodes the end-to-end rate is the smallest of the "
        "stages above; the ceiling of the whole platform is the PostgreSQL primary's write "
        "rate (every decision, payment and notice is a transaction on it).",
        "",
    ]
