"""PINs: the registry's shape, never the same twice, different per seed."""

from __future__ import annotations

import re

import pytest
from registry_simulators.population.pin_book import PinBook
from registry_simulators.population.pins import PIN_SPACE, PinPermutation, spell

PIN = re.compile(r"[0-9A-HJ-NP-Z]{7}")


def test_the_pin_space_is_34_symbols_to_the_seventh():
    assert PIN_SPACE == 34**7
    assert spell(0) == "0000000"
    assert spell(PIN_SPACE - 1) == "ZZZZZZZ"


def test_a_hundred_thousand_person_numbers_get_distinct_pins_of_the_right_shape():
    permutation = PinPermutation(seed=1)
    pins = [permutation.pin(n) for n in range(100_000)]
    assert all(PIN.fullmatch(pin) for pin in pins)
    assert len(set(pins)) == len(pins)


def test_the_top_of_the_space_maps_inside_it_without_collisions():
    permutation = PinPermutation(seed=1)
    pins = {permutation.pin(n) for n in range(PIN_SPACE - 20_000, PIN_SPACE)}
    assert len(pins) == 20_000
    assert all(PIN.fullmatch(pin) for pin in pins)


def test_another_seed_gives_other_pins():
    assert PinPermutation(1).pin(0) != PinPermutation(2).pin(0)
    assert [PinPermutation(1).pin(n) for n in range(5)] == [
        PinPermutation(1).pin(n) for n in range(5)
    ]


def test_residents_newborns_and_outsiders_never_share_a_pin():
    book = PinBook(seed=3, residents=1_000)
    residents = [book.resident() for _ in range(1_000)]
    newborns = [book.newborn() for _ in range(1_000)]
    outsiders = [book.outsider() for _ in range(1_000)]
    assert len(set(residents + newborns + outsiders)) == 3_000
    assert book.residents_left == 0
    with pytest.raises(RuntimeError):
        book.resident()
