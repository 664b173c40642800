"""The civil registry's feed: the records registries.md shows, with the real world's mess,
and a truth file that says which records were damaged on purpose."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import date, datetime
from typing import Any

PIN = re.compile(r"[0-9A-HJ-NP-Z]{7}")
RECORD_NO = re.compile(r"[BDKX]-\d{4}-\d{7}")
FIELDS = {
    "BIRTH": [
        "seq",
        "record_no",
        "kind",
        "registered_at",
        "office",
        "child",
        "mother_pin",
        "father_pin",
    ],
    "DEATH": [
        "seq",
        "record_no",
        "kind",
        "registered_at",
        "office",
        "deceased_pin",
        "death_date",
        "informant_pin",
    ],
    "CANCELLATION": ["seq", "record_no", "kind", "registered_at", "cancels", "reason"],
    "CORRECTION": ["seq", "record_no", "kind", "registered_at", "corrects", "changes"],
}
CHILD = ["pin", "given_name", "surname", "birth_date", "sex"]


def _day(text: object) -> bool:
    try:
        date.fromisoformat(str(text))
    except ValueError:
        return False
    return True


def _pin_or_none(value: object) -> bool:
    return value is None or (isinstance(value, str) and PIN.fullmatch(value) is not None)


def _well_formed(record: dict[str, Any]) -> bool:
    """An independent reading of registries.md §1: is this record usable as it is?"""
    kind = record.get("kind")
    if kind not in FIELDS or list(record) != FIELDS[kind]:
        return False
    try:
        registered = datetime.fromisoformat(record["registered_at"])
    except ValueError:
        return False
    if registered.tzinfo is None or not RECORD_NO.fullmatch(record["record_no"]):
        return False
    if kind == "BIRTH":
        child = record["child"]
        return (
            list(child) == CHILD
            and _pin_or_none(child["pin"])
            and child["pin"] is not None
            and _day(child["birth_date"])
            and _pin_or_none(record["mother_pin"])
            and _pin_or_none(record["father_pin"])
        )
    if kind == "DEATH":
        return (
            record["deceased_pin"] is not None
            and _pin_or_none(record["deceased_pin"])
            and _day(record["death_date"])
            and _pin_or_none(record["informant_pin"])
        )
    target = record["cancels"] if kind == "CANCELLATION" else record["corrects"]
    return RECORD_NO.fullmatch(target) is not None


def test_the_truth_names_every_record_and_agrees_with_an_independent_check(dataset):
    truth = {t["seq"]: t for t in dataset.truth_of("civil")}
    assert sorted(truth) == [r["seq"] for r in dataset.civil]
    for record in dataset.civil:
        assert _well_formed(record) == truth[record["seq"]]["valid"], record


def test_records_of_every_kind_are_there_and_some_are_malformed(dataset):
    kinds = Counter(r.get("kind") for r in dataset.civil)
    assert set(kinds) == set(FIELDS)
    defects = Counter(t["defect"] for t in dataset.truth_of("civil") if not t["valid"])
    assert set(defects) == {"missing_field", "bad_pin", "impossible_date"}


def test_seq_grows_with_some_gaps(dataset):
    seqs = [r["seq"] for r in dataset.civil]
    assert seqs == sorted(set(seqs))
    steps = Counter(b - a for a, b in itertools.pairwise(seqs))
    assert steps[1] > 0.9 * len(seqs)
    assert any(step > 1 for step in steps)
    assert dataset.manifest["counts"]["civil.seq_gaps"] == sum(n for s, n in steps.items() if s > 1)


def test_a_redelivered_record_is_the_same_record_with_a_later_seq(dataset):
    by_seq = {r["seq"]: r for r in dataset.civil}
    again = [t for t in dataset.truth_of("civil") if t["redelivery_of"] is not None]
    assert len(again) > 10
    for entry in again:
        first, repeat = by_seq[entry["redelivery_of"]], by_seq[entry["seq"]]
        assert repeat["seq"] > first["seq"]
        assert {**repeat, "seq": 0} == {**first, "seq": 0}


def test_record_numbers_count_per_kind_and_year_in_registration_order(dataset):
    firsts = [t for t in dataset.truth_of("civil") if t["redelivery_of"] is None]
    numbers = [t["record_no"] for t in firsts]
    assert len(set(numbers)) == len(numbers)
    last: dict[str, int] = {}
    for number in numbers:
        series, count = number[:6], int(number[7:])
        assert count == last.get(series, 0) + 1
        last[series] = count


def test_cancellations_and_corrections_name_an_earlier_birth_or_death(dataset):
    seen: dict[str, dict[str, Any]] = {}
    for record in dataset.civil:
        target = record.get("cancels") or record.get("corrects")
        if record.get("kind") in ("CANCELLATION", "CORRECTION") and target:
            assert seen[target]["kind"] in ("BIRTH", "DEATH")
        seen.setdefault(record["record_no"], record)
    reasons = Counter(r["reason"] for r in dataset.valid_civil("CANCELLATION"))
    assert set(reasons) == {"registered twice", "registered in error"}


def test_a_birth_registered_twice_is_the_same_child_and_the_second_is_cancelled(dataset):
    births = dataset.valid_civil("BIRTH")
    by_child = Counter(b["child"]["pin"] for b in births)
    valid = {b["record_no"]: b for b in births}
    twice = [r for r in dataset.valid_civil("CANCELLATION") if r["reason"] == "registered twice"]
    copies = [by_child[valid[c["cancels"]]["child"]["pin"]] for c in twice if c["cancels"] in valid]
    damaged = dataset.manifest["counts"]["civil.BIRTH.malformed"]
    assert len(copies) > 10
    assert set(copies) <= {1, 2}  # 1: the other registration was damaged
    assert copies.count(1) <= damaged
    assert copies.count(2) > copies.count(1)


def test_corrections_fix_a_parent_a_death_date_or_an_informant(dataset):
    changed = Counter(next(iter(r["changes"])) for r in dataset.valid_civil("CORRECTION"))
    assert set(changed) <= {"mother_pin", "father_pin", "death_date", "informant_pin"}
    assert changed["mother_pin"] and changed["father_pin"]


def test_births_in_the_period_add_the_child_to_the_population(dataset):
    added = {c["pin"]: c["person"] for c in dataset.changes}
    in_error = {
        r["cancels"]
        for r in dataset.valid_civil("CANCELLATION")
        if r["reason"] == "registered in error"
    }
    start = dataset.manifest["options"]["start"]
    births = [
        b
        for b in dataset.valid_civil("BIRTH")
        if b["child"]["birth_date"] >= start and b["record_no"] not in in_error
    ]
    assert len(births) > 100
    found = [b for b in births if b["child"]["pin"] in added]
    assert len(found) > 0.97 * len(births)  # the last days' newborns reach the registry later
    for birth in found:
        person = added[birth["child"]["pin"]]
        assert person["given_name"] == birth["child"]["given_name"]
        assert person["birth_date"] == birth["child"]["birth_date"]


def test_the_feed_goes_back_years_so_a_mothers_earlier_children_are_in_it(dataset):
    births = dataset.valid_civil("BIRTH")
    years = {b["child"]["birth_date"][:4] for b in births}
    assert len(years) >= 10
    per_mother = Counter(b["mother_pin"] for b in births if b["mother_pin"])
    assert max(per_mother.values()) >= 3


def test_deaths_update_the_population_and_name_informants_of_every_kind(dataset):
    people = {p["pin"]: p for p in dataset.persons}
    died = {
        c["pin"]: c["person"]["date_of_death"]
        for c in dataset.changes
        if c["person"]["date_of_death"]
    }
    deaths = dataset.valid_civil("DEATH")
    assert len(deaths) > 50
    kinds: Counter[str] = Counter()
    for death in deaths:
        informant = death["informant_pin"]
        if informant is None:
            kinds["none"] += 1
        elif informant not in people:
            kinds["unknown"] += 1
        else:
            adult = int(death["death_date"][:4]) - int(people[informant]["birth_date"][:4]) > 18
            kinds["adult" if adult else "minor"] += 1
    assert kinds["adult"] > kinds["unknown"] > 0
    assert kinds["none"] > 0
    assert kinds["minor"] > 0
    assert sum(1 for d in deaths if died.get(d["deceased_pin"]) == d["death_date"]) > 0.8 * len(
        deaths
    )


def test_twins_are_registered_together_with_consecutive_record_numbers(dataset):
    cancelled = {c["cancels"] for c in dataset.valid_civil("CANCELLATION")}
    first_record: dict[str, dict[str, Any]] = {}
    for birth in dataset.valid_civil("BIRTH"):
        if birth["record_no"] not in cancelled:
            first_record.setdefault(birth["child"]["pin"], birth)
    by_birth: dict[tuple[str, str], list[str]] = {}
    for birth in first_record.values():
        key = (birth["mother_pin"], birth["child"]["birth_date"])
        by_birth.setdefault(key, []).append(birth["record_no"])
    twins = [
        sorted(numbers) for (mother, _), numbers in by_birth.items() if mother and len(numbers) == 2
    ]
    assert len(twins) >= 5
    for first, second in twins:
        assert first[:6] == second[:6]
        assert int(second[7:]) - int(first[7:]) in (1, 2)  # 2: a cancelled copy between
