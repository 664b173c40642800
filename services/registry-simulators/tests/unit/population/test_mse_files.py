"""The commission's files, byte for byte as registries.md §2 describes them, with their mess."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from registry_simulators.population import mse_format

HEADER = "certificate_no;pin;decision;group;valid_from;valid_until;effective_from;issued_at"
NAME = re.compile(r"mse_(\d{8})(?:_(\d+))?\.csv")
PIN = re.compile(r"[0-9A-HJ-NP-Z]{7}")
CERTIFICATE = re.compile(r"MSE-\d{2}-\d{6}")


def _dotted_day(text: str) -> date | None:
    try:
        return (
            datetime.strptime(text, "%d.%m.%Y").date()
            if re.fullmatch(r"\d\d\.\d\d\.\d{4}", text)
            else None
        )
    except ValueError:
        return None


def _row_ok(fields: list[str]) -> bool:
    """An independent reading of registries.md §2: is this row usable as it is?"""
    if len(fields) != 8:
        return False
    number, pin, decision, group, valid_from, valid_until, effective_from, issued_at = fields
    common = bool(CERTIFICATE.fullmatch(number) and PIN.fullmatch(pin) and _dotted_day(issued_at))
    if decision == "ISSUED":
        return (
            common
            and group in ("I", "II", "III", "CHILD")
            and _dotted_day(valid_from) is not None
            and (valid_until == "" or _dotted_day(valid_until) is not None)
            and effective_from == ""
        )
    return (
        common
        and decision == "REVOKED"
        and group == valid_from == valid_until == ""
        and _dotted_day(effective_from) is not None
    )


def _rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return [line.split(";") for line in text.split("\r\n")[1:-1]]


def test_every_file_is_utf8_with_a_bom_semicolons_crlf_and_the_header(dataset):
    files = sorted(dataset.mse.iterdir())
    assert len(files) > 200
    for path in files:
        raw = path.read_bytes()
        assert NAME.fullmatch(path.name)
        assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
        assert raw.endswith(b"\r\n")
        assert raw.count(b"\n") == raw.count(b"\r\n")
        raw.decode("utf-8")


def test_rendering_is_exactly_bom_header_rows_and_crlf():
    row = {
        "certificate_no": "MSE-26-004512",
        "pin": "4RT7Y2K",
        "decision": "ISSUED",
        "group": "II",
        "valid_from": "2026-03-01",
        "valid_until": "2027-03-01",
        "effective_from": None,
        "issued_at": "2026-03-02",
    }
    assert mse_format.render([mse_format.row_fields(row)]) == (
        b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n"
        b"MSE-26-004512;4RT7Y2K;ISSUED;II;01.03.2026;01.03.2027;;02.03.2026\r\n"
    )
    assert mse_format.render([]) == b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n"


def test_files_are_named_by_day_with_a_suffix_for_later_uploads():
    assert mse_format.file_name(date(2026, 3, 2)) == "mse_20260302.csv"
    assert mse_format.file_name(date(2026, 3, 2), 2) == "mse_20260302_2.csv"
    assert mse_format.file_name(date(2026, 3, 2), 3) == "mse_20260302_3.csv"


def test_the_truth_names_every_row_and_agrees_with_an_independent_check(dataset):
    truth = {(t["file"], t["line"]): t for t in dataset.truth_of("mse")}
    seen = 0
    for path in dataset.mse.iterdir():
        for line, fields in enumerate(_rows(path), start=2):
            assert _row_ok(fields) == truth[(path.name, line)]["valid"], (path.name, fields)
            seen += 1
    assert seen == len(truth) > 300
    defects = Counter(t["defect"] for t in truth.values() if not t["valid"])
    assert set(defects) == {"bad_pin", "impossible_date", "unknown_group", "column_count"}


def test_a_corrected_upload_repeats_the_good_rows_and_fixes_the_bad(dataset):
    truth = defaultdict(dict)
    for t in dataset.truth_of("mse"):
        truth[t["file"]][t["line"]] = t
    corrected = [p for p in dataset.mse.iterdir() if NAME.fullmatch(p.name).group(2)]
    assert corrected
    for path in corrected:
        day, version = NAME.fullmatch(path.name).groups()
        before = path.with_name(
            mse_format.file_name(datetime.strptime(day, "%Y%m%d").date(), int(version) - 1)
        )
        old, new = _rows(before), _rows(path)
        assert not old or len(old) == len(new)
        for line, (was, now) in enumerate(zip(old, new, strict=False), start=2):
            if truth[before.name][line]["valid"]:
                assert was == now
        assert sum(not t["valid"] for t in truth[path.name].values()) < max(1, len(old))


def test_some_days_are_empty_but_for_the_header_and_their_rows_come_in_2(dataset):
    files = {t["file"]: t for t in dataset.truth_of("mse_file")}
    empty_then_rows = [
        name
        for name, t in files.items()
        if t["rows"] == 0 and files.get(name.replace(".csv", "_2.csv"), {}).get("rows")
    ]
    assert empty_then_rows
    assert dataset.manifest["counts"]["mse.files.header_only"] > len(empty_then_rows)


def test_only_weekdays_have_files_and_every_weekday_of_the_period_has_one(dataset):
    days = {
        datetime.strptime(NAME.fullmatch(p.name).group(1), "%Y%m%d").date()
        for p in dataset.mse.iterdir()
    }
    assert all(day.weekday() < 5 for day in days)
    period = [date(2025, 11, 1) + timedelta(days=n) for n in range(365)]
    assert days == {day for day in period if day.weekday() < 5}


def test_the_upload_plan_has_re_uploads_under_the_same_name_and_every_file(dataset):
    plan = [
        json.loads(line) for line in (dataset.folder / "mse_drops.jsonl").read_text().splitlines()
    ]
    names = Counter(upload["file"] for upload in plan)
    assert set(names) == {p.name for p in dataset.mse.iterdir()}
    assert max(names.values()) == 2
    assert [u["at"] for u in plan] == sorted(u["at"] for u in plan)
    first = {}
    for upload in plan:
        first.setdefault(upload["file"], upload["at"])
    for name, at in first.items():
        if (match := NAME.fullmatch(name)).group(2):
            original = (
                f"mse_{match.group(1)}.csv"
                if match.group(2) == "2"
                else f"mse_{match.group(1)}_2.csv"
            )
            assert first[original] < at


def test_certificates_cover_every_group_revocations_and_replacements(dataset):
    valid = {(t["file"], t["line"]) for t in dataset.truth_of("mse") if t["valid"]}
    rows = [
        f
        for p in dataset.mse.iterdir()
        for line, f in enumerate(_rows(p), start=2)
        if (p.name, line) in valid
    ]
    groups = Counter(f[3] for f in rows if f[2] == "ISSUED")
    assert set(groups) == {"I", "II", "III", "CHILD"}
    issued = {f[0] for f in rows if f[2] == "ISSUED"}
    revoked = [f for f in rows if f[2] == "REVOKED"]
    assert any(f[0] in issued for f in revoked)
    assert any(f[0] not in issued for f in revoked)  # a certificate from before the period
    holders = Counter(f[1] for f in {tuple(f) for f in rows} if f[2] == "ISSUED")
    assert max(holders.values()) >= 2


def test_some_children_with_a_child_certificate_turn_18_during_the_period(dataset):
    born = {p["pin"]: date.fromisoformat(p["birth_date"]) for p in dataset.persons}
    start, end = date(2025, 11, 1), date(2026, 11, 1)
    turning = set()
    for path in dataset.mse.iterdir():
        for fields in _rows(path):
            if _row_ok(fields) and fields[3] == "CHILD" and fields[1] in born:
                eighteen = born[fields[1]].replace(year=born[fields[1]].year + 18)
                if start <= eighteen < end:
                    turning.add(fields[1])
    assert len(turning) >= 5
