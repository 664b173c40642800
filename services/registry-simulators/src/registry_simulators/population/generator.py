"""Writing a whole dataset: the population, the registries' records, and the truth.

Two passes. First, households are made one by one: their persons go straight to
``population.jsonl`` and their events to an external sort. Then the events are read back in
time order and published: numbered, damaged or repeated as the options say, into
``civil_registry.jsonl``, ``population_changes.jsonl``, ``mse/`` and ``truth.jsonl``.
Memory holds one household, one sort chunk, and the few records a later one refers to.
The same options give the same files, byte for byte.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from registry_simulators.population.certificate_numbers import CertificateNumbers
from registry_simulators.population.civil_feed import CivilFeed
from registry_simulators.population.commission import Commission
from registry_simulators.population.events import parse_line, sort_line
from registry_simulators.population.external_sort import ExternalSorter
from registry_simulators.population.households import build_household
from registry_simulators.population.life import household_events
from registry_simulators.population.options import GeneratorOptions
from registry_simulators.population.pin_book import PinBook
from registry_simulators.population.truth import Truth, json_line

POPULATION = "population.jsonl"
CHANGES = "population_changes.jsonl"
CIVIL = "civil_registry.jsonl"
MSE_FOLDER = "mse"
MSE_DROPS = "mse_drops.jsonl"
TRUTH = "truth.jsonl"
MANIFEST = "manifest.json"


def generate(options: GeneratorOptions, out: Path, chunk_lines: int = 50_000) -> dict[str, Any]:
    """Write the dataset into ``out``; the manifest it returns is also ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / MSE_FOLDER, ignore_errors=True)  # no stale file of an earlier run
    with ExternalSorter(out / ".sorting", chunk_lines) as sorter:
        people = _people(options, out / POPULATION, sorter)
        counts = _publish(options, out, sorter.merged())
    manifest = {
        "options": options.as_manifest(),
        "counts": dict(sorted({**people, **counts}.items())),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(out: Path) -> dict[str, Any] | None:
    path = out / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _people(options: GeneratorOptions, path: Path, sorter: ExternalSorter) -> dict[str, int]:
    rng = random.Random(f"people:{options.seed}")
    pins = PinBook(options.seed, options.persons)
    households = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        while pins.residents_left:
            household = build_household(rng, households, pins, options.start)
            out.writelines(json_line(person.as_registry()) for person in household.members)
            for position, event in enumerate(household_events(rng, household, options, pins)):
                sorter.add(sort_line(event, households, position))
            households += 1
    return {"persons": options.persons, "households": households, "newborns": pins.newborns}


def _publish(options: GeneratorOptions, out: Path, lines: Iterable[str]) -> dict[str, int]:
    rng = random.Random(f"mess:{options.seed}")
    with ExitStack() as files:
        civil_out, changes_out, truth_out = (
            files.enter_context((out / name).open("w", encoding="utf-8", newline="\n"))
            for name in (CIVIL, CHANGES, TRUTH)
        )
        truth = Truth(truth_out)
        civil = CivilFeed(civil_out, truth, options.mess, rng)
        commission = Commission(out / MSE_FOLDER, options, rng, truth)
        numbers = CertificateNumbers(options.start)
        for line in lines:
            stream, body = parse_line(line)
            if stream == "civil":
                civil.add(body)
            elif stream == "population":
                truth.count("population.changes")
                changes_out.write(json_line({"seq": truth.counts["population.changes"], **body}))
            else:
                commission.add(numbers.number(body))
        civil.close()
        commission.close(out / MSE_DROPS)
    return dict(truth.counts)
