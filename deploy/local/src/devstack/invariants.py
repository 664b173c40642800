"""What must hold after a run that went through faults, beyond the summary's reconciliation
(``devstack.reconcile``): the end-to-end suite and ``make chaos`` both check these, here.

- every registry record is exactly one event, or quarantined (the generator's
  ``truth.jsonl`` says which records were valid);
- no effect was published twice (an event id appears once on ``benefit-decisions``,
  ``payments`` and ``notices``) and no decision is superseded twice (one line of decisions
  per case). A registry record's event may be delivered twice with its one id: a
  connector re-sends a page whose acknowledgement it could not record (registry-connectors
  README, "How each connector stays exactly-once"), and every consumer's inbox drops the
  second; the run counts those re-deliveries and requires one id per record;
- nothing waits in any service's outbox;
- no consumer group is behind its topics.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devstack.demo import TIMEOUT_S, watch
from devstack.observe import BENEFIT_DECISIONS, LIFE_EVENTS, NOTICES, PAYMENTS, Observer, Record
from devstack.reconcile import Check, Summary
from devstack.supervisor import Supervisor

#: Our topics whose events are effects: each must be published exactly once.
EFFECT_TOPICS = (BENEFIT_DECISIONS.name, PAYMENTS.name, NOTICES.name)
#: Every service that consumes (its group's lag is read).
CONSUMERS = frozenset({"engine", "bank-gateway", "notifier"})


async def drained_and_checked(
    observer_of: Callable[[], Observer],
    supervisor: Supervisor,
    dataset: Path,
    timeout_s: float = TIMEOUT_S,
    revive: Callable[[list[str]], None] | None = None,
) -> Summary:
    """``watch`` until the backlog is drained (25 s without movement), then the summary
    with every check of :func:`after_the_run` appended (each read by its own observer)."""
    summary = await watch(observer_of(), supervisor, 25, timeout_s, revive)
    observer = observer_of()
    try:
        summary.checks += await after_the_run(observer, dataset)
    finally:
        await observer.close()
    return summary


async def after_the_run(observer: Observer, dataset: Path) -> list[Check]:
    """The checks, from what ``observer`` reads now and the dataset's ``truth.jsonl``."""
    read = {topic: await observer.read(topic) for topic in EFFECT_TOPICS}
    quarantined = await observer.read(f"{LIFE_EVENTS.name}.dlq")
    checks = [
        registry_records(await observer.read(LIFE_EVENTS.name), quarantined, truth(dataset)),
        published_once(read),
        one_line_of_decisions(read[BENEFIT_DECISIONS.name]),
    ]
    waiting = await observer.unpublished()
    if waiting is not None:
        stuck = {schema: n for schema, n in waiting.items() if n}
        checks.append(Check("nothing waits in an outbox", not stuck, _counts(stuck, waiting)))
    lag = await observer.lag(await observer.end_offsets(), set(CONSUMERS))
    behind = {group: n for group, n in lag.items() if n}
    checks.append(Check("no consumer group is behind", not behind, _counts(behind, lag)))
    return checks


def registry_records(
    events: list[Record], quarantined: list[Record], truth: list[dict[str, Any]]
) -> Check:
    """Each valid civil record became one event (one event id, redeliveries included);
    at least as many records were quarantined as the registry sent invalid ones."""
    ids: dict[str, set[str]] = defaultdict(set)
    deliveries: Counter[str] = Counter()
    for r in events:
        if r.type.endswith("-progress.v1"):
            continue  # the connectors' progress markers (ADR 0008)
        deliveries[r.id] += 1
        key = r.value.get("record_no") or f"{r.value.get('source_file')}:{r.value.get('line')}"
        ids[key].add(r.id)
    civil = [t for t in truth if t["source"] == "civil"]
    valid = {t["record_no"] for t in civil if t["valid"] and not t.get("redelivery_of")}
    invalid = sum(1 for t in civil if not t["valid"])
    missing = valid - set(ids)
    twice = [k for k, v in ids.items() if len(v) > 1]
    return Check(
        "every registry record is one event or quarantined",
        not missing and not twice and len(quarantined) >= invalid,
        f"{len(valid) - len(missing)} of {len(valid)} valid civil records an event,"
        f" {len(twice)} with two event ids, {len(quarantined)} quarantined"
        f" ({invalid} invalid sent); {sum(1 for n in deliveries.values() if n > 1)} events"
        " delivered again with their one id (a page re-sent after a fault; inboxes drop them)",
    )


def published_once(read: dict[str, list[Record]]) -> Check:
    """No event id twice on an effect topic: every effect was published exactly once."""
    twice = {
        topic: sum(1 for n in Counter(r.id for r in records if r.id).values() if n > 1)
        for topic, records in read.items()
    }
    events = sum(len(records) for records in read.values())
    return Check(
        "no effect published twice",
        not any(twice.values()),
        f"{events} events, ids twice: {_counts({t: n for t, n in twice.items() if n}, twice)}",
    )


def one_line_of_decisions(decisions: list[Record]) -> Check:
    """No decision superseded by two others (two decisions for one case at once)."""
    superseded = Counter(r.value["supersedes"] for r in decisions if r.value.get("supersedes"))
    forks = [d for d, n in superseded.items() if n > 1]
    return Check(
        "one decision per case at a time (none superseded twice)",
        not forks,
        f"{len(decisions)} decisions, {len(forks)} superseded twice",
    )


def truth(dataset: Path) -> list[dict[str, Any]]:
    """The generator's record of what it wrote (``truth.jsonl``)."""
    with (dataset / "truth.jsonl").open() as lines:
        return [json.loads(line) for line in lines]


def _counts(bad: dict[str, int], everything: dict[str, int]) -> str:
    if bad:
        return ", ".join(f"{name} {n}" for name, n in sorted(bad.items()))
    return f"none of {len(everything)}"
