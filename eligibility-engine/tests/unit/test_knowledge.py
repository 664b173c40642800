"""Whether the copy of the registries covers what a decision needs (ADR 0008)."""

from __future__ import annotations

from datetime import date

from eligibility_engine.knowledge import Horizon, Needs, Touch

NOON = 1_767_261_600_000  # 2026-01-01 12:00 Baku, in epoch ms


def test_a_record_needs_the_population_copy_as_of_its_arrival_and_the_civil_feed_up_to_it() -> None:
    needs = Needs(arrived_ms=NOON, civil_seq=42)
    assert Horizon(population_ms=NOON, civil_seq=42).covers(needs)
    assert not Horizon(population_ms=NOON - 1, civil_seq=42).covers(needs)
    assert not Horizon(population_ms=NOON, civil_seq=41).covers(needs)


def test_a_copy_not_complete_on_every_partition_covers_nothing_a_record_needs() -> None:
    assert not Horizon(population_ms=None, civil_seq=100).covers(Needs(arrived_ms=NOON))
    assert not Horizon(population_ms=NOON, civil_seq=None).covers(Needs(NOON, civil_seq=1))


def test_a_certificate_needs_no_civil_record_and_a_person_update_needs_nothing() -> None:
    certificate = Needs(arrived_ms=NOON, mse_ms=NOON)
    assert Horizon(population_ms=NOON, civil_seq=None, mse_ms=NOON).covers(certificate)
    assert Horizon().covers(Needs())


def test_a_certificate_needs_the_drop_folder_as_of_its_arrival() -> None:
    certificate = Needs(arrived_ms=NOON, mse_ms=NOON)
    assert not Horizon(population_ms=NOON, civil_seq=100, mse_ms=None).covers(certificate)
    assert not Horizon(population_ms=NOON, civil_seq=100, mse_ms=NOON - 1).covers(certificate)
    assert Horizon(population_ms=NOON, mse_ms=NOON + 1).covers(certificate)
    # A civil record needs nothing of the folder.
    assert Horizon(population_ms=NOON, civil_seq=3, mse_ms=None).covers(Needs(NOON, 3))


def test_touches_add_up_to_the_latest_day_and_the_most_needed() -> None:
    first = Touch(date(2026, 1, 5), Needs(NOON, 7, NOON + 9))
    second = Touch(date(2026, 1, 3), Needs(NOON + 5, 3))
    assert first | second == Touch(date(2026, 1, 5), Needs(NOON + 5, 7, NOON + 9))
