"""How civil records go wrong and are put right: duplicates, errors, typos, corrections.

A birth is sometimes registered twice (the second record is then cancelled, "registered
twice") or registered in error (a record for a child who is not ours, then cancelled). A
record sometimes carries a mistake that a later CORRECTION fixes: a mistyped mother's PIN,
a father recognised later, a death date off by a few days, a mistyped informant.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from registry_simulators.population.events import later
from registry_simulators.population.story import Story


def emit_birth(rng: random.Random, story: Story, at: datetime, body: dict[str, Any]) -> None:
    """Emit a birth record with whatever mess befalls it."""
    original, fix = _birth_mistake(rng, story, body)
    _emit_with_correction(rng, story, at, original, fix)
    if rng.random() < story.options.mess.cancellation_rate:
        _emit_cancelled_copy(rng, story, at, body)


def emit_death(rng: random.Random, story: Story, at: datetime, body: dict[str, Any]) -> None:
    original, fix = _death_mistake(rng, story, body)
    _emit_with_correction(rng, story, at, original, fix)


def _birth_mistake(
    rng: random.Random, story: Story, body: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if rng.random() >= story.options.mess.correction_rate:
        return body, None
    if body["father_pin"] is not None and rng.random() < 0.5:
        return {**body, "father_pin": None}, {"father_pin": body["father_pin"]}
    if body["mother_pin"] is None:
        return body, None
    return {**body, "mother_pin": story.pins.outsider()}, {"mother_pin": body["mother_pin"]}


def _death_mistake(
    rng: random.Random, story: Story, body: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if rng.random() >= story.options.mess.correction_rate:
        return body, None
    if body["informant_pin"] is not None and rng.random() < 0.5:
        return {**body, "informant_pin": story.pins.outsider()}, {
            "informant_pin": body["informant_pin"]
        }
    wrong = date.fromisoformat(body["death_date"]) - timedelta(days=rng.randint(1, 3))
    return {**body, "death_date": wrong.isoformat()}, {"death_date": body["death_date"]}


def _emit_with_correction(
    rng: random.Random,
    story: Story,
    at: datetime,
    body: dict[str, Any],
    fix: dict[str, Any] | None,
) -> None:
    if fix is None:
        story.emit(at, "civil", body)
        return
    ref = story.new_ref()
    story.emit(at, "civil", {**body, "ref": ref})
    fixed_at = later(rng, at, 1, 30)
    story.emit(fixed_at, "civil", _amendment("CORRECTION", fixed_at, ref, "corrects", fix))


def _emit_cancelled_copy(
    rng: random.Random, story: Story, at: datetime, body: dict[str, Any]
) -> None:
    """A second registration of the same birth, or one made in error, later cancelled."""
    twice = rng.random() < 0.7
    child = body["child"] if twice else {**body["child"], "pin": story.pins.outsider()}
    ref = story.new_ref()
    copy_at = later(rng, at, 0, 3)
    if not story.emit(
        copy_at, "civil", {**body, "registered_at": copy_at.isoformat(), "child": child, "ref": ref}
    ):
        return
    reason = "registered twice" if twice else "registered in error"
    cancel_at = later(rng, copy_at, 1, 20)
    story.emit(cancel_at, "civil", _amendment("CANCELLATION", cancel_at, ref, "cancels", reason))


def _amendment(kind: str, at: datetime, target: str, field: str, payload: object) -> dict[str, Any]:
    """A CANCELLATION (``cancels``, ``reason``) or CORRECTION (``corrects``, ``changes``)."""
    detail = "reason" if kind == "CANCELLATION" else "changes"
    return {
        "kind": kind,
        "registered_at": at.isoformat(),
        field: None,
        detail: payload,
        "target": target,
    }
