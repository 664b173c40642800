"""A generated population for the engine's integration tests, and an independent reading
of docs/policy.md to check the engine against (written here, from the policy text, without
the engine's code)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from engine_scenario import Feed, birth, cancellation, certificate, death, person

ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class World:
    feed: Feed = field(default_factory=list)
    known: dict[str, date] = field(default_factory=dict)  # pin → birth date, in the registry
    births: list[dict[str, Any]] = field(default_factory=list)
    deaths: list[dict[str, Any]] = field(default_factory=list)
    certificates: list[dict[str, Any]] = field(default_factory=list)


def generate(seed: int, families: int) -> World:
    rng = random.Random(seed)
    pins: set[str] = set()

    def new_pin() -> str:
        while (pin := "".join(rng.choice(ALPHABET) for _ in range(7))) in pins:
            pass
        pins.add(pin)
        return pin

    world = World()
    seq = 0

    def add_person(pin: str, born: date, sex: str = "F", **extra: Any) -> None:
        world.feed.append(person(pin, born, sex, **extra))
        world.known[pin] = born

    for f in range(families):
        mother, father = new_pin(), new_pin() if rng.random() < 0.7 else None
        if rng.random() > 0.05:
            add_person(mother, date(rng.randint(1975, 2000), rng.randint(1, 12), 1))
        if father and rng.random() > 0.1:
            add_person(father, date(rng.randint(1970, 1998), 6, 1), "M")
        day = date(2022, 6, 1) + timedelta(days=rng.randint(0, 300))
        for _ in range(rng.randint(1, 5)):
            twins = 2 if rng.random() < 0.1 else 1
            for _ in range(twins):
                seq += 1
                child, no = new_pin(), f"B-{f:05d}-{seq:07d}"
                add_person(child, day, mother_pin=mother, father_pin=father)
                world.feed.append(birth(seq, no, child, day, mother, father))
                world.births.append(
                    {
                        "no": no,
                        "child": child,
                        "born": day,
                        "mother": mother,
                        "father": father,
                        "cancelled": False,
                    }
                )
                if rng.random() < 0.05:
                    seq += 1
                    world.feed.append(cancellation(seq, f"K-{seq:07d}", no, child, day))
                    world.births[-1]["cancelled"] = True
                if day >= date(2023, 1, 1) and rng.random() < 0.05:
                    world.certificates.append(_certificate(world, rng, child, day, "CHILD"))
            day += timedelta(days=rng.randint(300, 500))
        if rng.random() < 0.15:
            granny, died = new_pin(), date(2022, 10, 1) + timedelta(days=rng.randint(0, 1200))
            add_person(granny, date(1945, 3, 3))
            informant = mother if rng.random() < 0.9 else None
            seq += 1
            world.feed.append(death(seq, f"D-{seq:07d}", granny, died, informant))
            world.deaths.append({"deceased": granny, "died": died, "informant": informant})
        if mother in world.known and rng.random() < 0.1:
            start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1000))
            world.certificates.append(
                _certificate(world, rng, mother, start, rng.choice(["I", "II", "III"]))
            )
            if rng.random() < 0.3:
                later = start + timedelta(days=rng.randint(30, 300))
                world.certificates.append(_certificate(world, rng, mother, later, "II"))
    for c in world.certificates:
        world.feed.append(
            certificate(c["no"], c["holder"], c["group"], c["from"], c["until"], line=c["line"])
        )
    return world


def _certificate(
    world: World, rng: random.Random, holder: str, start: date, group: str
) -> dict[str, Any]:
    until = start + timedelta(days=rng.randint(200, 800)) if rng.random() < 0.7 else None
    n = len(world.certificates) + 1
    return {
        "no": f"MSE-{n:06d}",
        "holder": holder,
        "group": group,
        "from": start,
        "until": until,
        "line": n + 1,
    }


# ---------------------------------------------------------------- the independent reading

B1 = [
    (date(2025, 1, 1), Decimal("250.00"), Decimal("100.00")),
    (date(2023, 1, 1), Decimal("200.00"), Decimal("50.00")),
]
B3 = [(date(2026, 1, 1), Decimal("350.00")), (date(2023, 1, 1), Decimal("300.00"))]


def expected(world: World) -> dict[tuple[str, str], dict[str, Any]]:
    """(benefit, subject) → what docs/policy.md says the final decision is."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for b in world.births:
        out[("B1", b["child"])] = _birth_grant(world, b)
    for d in world.deaths:
        out[("B3", d["deceased"])] = _funeral(world, d)
    for c in world.certificates:
        out[("B2", c["no"])] = _allowance(world, c)
    return out


def _birth_grant(world: World, b: dict[str, Any]) -> dict[str, Any]:
    if b["cancelled"]:
        return {"outcomes": {"revoked", "rejected"}}
    if b["born"] < date(2023, 1, 1):
        return {"outcomes": {"rejected"}}
    parent = next((p for p in (b["mother"], b["father"]) if p in world.known), None)
    if parent is None:
        return {"outcomes": {"unresolved"}}
    role = "mother" if parent == b["mother"] else "father"
    siblings = sorted(
        (x["born"], x["no"]) for x in world.births if x[role] == parent and not x["cancelled"]
    )
    n = siblings.index((b["born"], b["no"])) + 1
    base, extra = next((a, s) for since, a, s in B1 if b["born"] >= since)
    return {
        "outcomes": {"assigned"},
        "recipient": parent,
        "amount": base + (extra if n >= 3 else 0),
    }


def _funeral(world: World, d: dict[str, Any]) -> dict[str, Any]:
    if d["died"] < date(2023, 1, 1):
        return {"outcomes": {"rejected"}}
    informant = d["informant"]
    if informant not in world.known or (d["died"] - world.known[informant]).days < 18 * 366:
        return {"outcomes": {"unresolved"}}
    amount = next(a for since, a in B3 if d["died"] >= since)
    return {"outcomes": {"assigned"}, "recipient": informant, "amount": amount}


def _allowance(world: World, c: dict[str, Any]) -> dict[str, Any]:
    start = max(c["from"], date(2023, 1, 1))
    ends = [c["until"] - timedelta(days=1)] if c["until"] else []
    later = [
        x["from"] for x in world.certificates if x["holder"] == c["holder"] and x["no"] > c["no"]
    ]
    ends += [d - timedelta(days=1) for d in later]
    if c["group"] == "CHILD":
        born = world.known[c["holder"]]
        ends.append(born.replace(year=born.year + 18) - timedelta(days=1))
    end = min(ends) if ends else None
    if end is not None and end < start:
        return {"outcomes": {"rejected", "revoked"}}
    payee = c["holder"]
    if c["group"] == "CHILD":
        b = next(x for x in world.births if x["child"] == c["holder"])
        payee = next((p for p in (b["mother"], b["father"]) if p in world.known), None)
        if payee is None:
            return {"outcomes": {"unresolved"}}
    return {
        "outcomes": {"assigned", "ended"},
        "recipient": payee,
        "entitlement": (c["group"], start.isoformat(), end.isoformat() if end else None),
    }


def check(
    expected_by_case: dict[tuple[str, str], dict[str, Any]],
    final: dict[tuple[str, str], dict[str, Any]],
) -> list[str]:
    """The differences between what the engine decided and the independent reading."""
    problems = []
    for key, want in expected_by_case.items():
        got = final.get(key)
        if got is None:
            problems.append(f"{key}: no decision")
            continue
        if got["outcome"] not in want["outcomes"]:
            problems.append(f"{key}: {got['outcome']} not in {want['outcomes']}: {got['reason']}")
            continue
        recipient = got["recipient"]["pin"] if got.get("recipient") else None
        if "recipient" in want and recipient != want["recipient"]:
            problems.append(f"{key}: recipient differs")
        if "amount" in want and Decimal(got["amount"]) != want["amount"]:
            problems.append(f"{key}: amount {got['amount']} != {want['amount']}")
        if "entitlement" in want:
            e = got["entitlement"]
            if (e["group"], e["start"], e["end"]) != want["entitlement"]:
                problems.append(f"{key}: entitlement {e} != {want['entitlement']}")
    return problems
