"""The MSE connector on a real drop folder, Kafka and PostgreSQL: each commission file once,
corrected ``_2`` files send only what is new, bad rows quarantined with file and line; and
its progress markers come after every certificate of the files the folder held."""

import json
import os
import shutil
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from connector_rig import Message, Rig, by, read_jsonl, wait_until

HEADER = "certificate_no;pin;decision;group;valid_from;valid_until;effective_from;issued_at"
GOOD = [
    "MSE-26-004512;4RT7Y2K;ISSUED;II;01.03.2026;01.03.2027;;02.03.2026",
    "MSE-26-004513;8PL3N6W;ISSUED;CHILD;15.02.2026;;;02.03.2026",
    "MSE-25-019877;6DF2G8H;REVOKED;;;;01.04.2026;02.03.2026",
]
BAD = [
    ("MSE-26-004514;9QR4S7;ISSUED;I;01.03.2026;;;02.03.2026", "bad_pin"),
    ("MSE-26-004515;3JK5L7M;ISSUED;III;31.02.2026;;;02.03.2026", "impossible_date"),
    ("MSE-26-004516;5XH81PZ;ISSUED;IV;01.03.2026;;;02.03.2026", "unknown_group"),
    ("MSE-26-004517;2BC4D6F;ISSUED;II;01.03.2026;;02.03.2026", "column_count"),
    ("MSE-26-004518;7KQ2M9A;REVOKED;;;;;02.03.2026", "missing_field"),
]
FIXED = [  # the corrected upload's versions of the bad rows
    "MSE-26-004514;9QR4S7T;ISSUED;I;01.03.2026;;;02.03.2026",
    "MSE-26-004515;3JK5L7M;ISSUED;III;28.02.2026;;;02.03.2026",
    "MSE-26-004516;5XH81PZ;ISSUED;II;01.03.2026;;;02.03.2026",
    "MSE-26-004517;2BC4D6F;ISSUED;II;01.03.2026;;;02.03.2026",
    "MSE-26-004518;7KQ2M9A;REVOKED;;;;01.05.2026;02.03.2026",
]


def commission_file(*rows: str) -> bytes:
    return ("\ufeff" + "".join(line + "\r\n" for line in (HEADER, *rows))).encode()


def rename_in(drop: Path, name: str, content: bytes) -> None:
    """As the commission uploads: written elsewhere in the folder, then renamed in whole."""
    temp = drop / f".{name}.uploading"
    temp.write_bytes(content)
    os.replace(temp, drop / name)


def certificate(event: Message) -> tuple[str, str]:
    decision = "ISSUED" if "issued" in event.headers["ce_type"] else "REVOKED"
    return str(event.data["certificate_no"]), decision


async def wait_for_files(rig: Rig, names: set[str]) -> None:
    async def all_processed() -> bool:
        rows = await rig.query("SELECT DISTINCT name FROM {schema}.mse_files")
        return {r.name for r in rows} >= names

    await wait_until(all_processed, 60, f"{len(names)} files processed\n{rig.logs()[-2000:]}")


async def test_the_commission_example_its_bad_rows_and_their_correction(
    rig: Rig, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "mse_20260302.csv.part").write_bytes(b"\xef\xbb\xbfcertificate_no;pin;dec")
    rename_in(drop, "mse_20260302.csv", commission_file(*GOOD, *(row for row, _ in BAD)))
    rename_in(drop, "mse_20260301.csv", commission_file())  # header only
    connector = rig.start("mse", MSE_DROP_DIR=str(drop))
    await wait_for_files(rig, {"mse_20260302.csv", "mse_20260301.csv"})
    rename_in(drop, "mse_20260302_2.csv", commission_file(*GOOD, *FIXED))
    await wait_for_files(rig, {"mse_20260302_2.csv"})
    rename_in(drop, "mse_20260302_2.csv", commission_file(*GOOD, *FIXED))  # uploaded twice
    rename_in(drop, "mse_20260303.csv", commission_file())
    await wait_for_files(rig, {"mse_20260303.csv"})
    assert rig.terminate(connector) == 0

    events = by(await rig.read(rig.life_events), lambda m: "/".join(certificate(m)))
    assert sorted(events) == sorted("/".join(r.split(";")[0:3:2]) for r in GOOD + FIXED)
    assert all(len(messages) == 1 for messages in events.values())
    assert events["MSE-26-004512/ISSUED"][0].data["source_file"] == "mse_20260302.csv"
    letters = await rig.read(f"{rig.life_events}.dlq")
    assert sorted((m.headers["dlq_line"], m.headers["dlq_kind"]) for m in letters) == [
        (str(line), kind) for line, (_, kind) in enumerate(BAD, start=5)
    ]
    assert {m.headers["dlq_file"] for m in letters} == {"mse_20260302.csv"}
    assert letters[0].value.decode() in {row for row, _ in BAD}
    files = await rig.query("SELECT name, rows, published, quarantined FROM {schema}.mse_files")
    assert sorted(tuple(r) for r in files) == [
        ("mse_20260301.csv", 0, 0, 0),
        ("mse_20260302.csv", 8, 3, 5),
        ("mse_20260302_2.csv", 8, 5, 0),
        ("mse_20260303.csv", 0, 0, 0),
    ]


async def test_a_generated_year_of_uploads_ends_as_one_event_per_row_or_in_quarantine(
    rig: Rig, messy_dataset: Path, tmp_path: Path
) -> None:
    truth = [t for t in read_jsonl(messy_dataset / "truth.jsonl") if t["source"] == "mse"]
    uploads = [json.loads(line)["file"] for line in (messy_dataset / "mse_drops.jsonl").open()]
    drop = tmp_path / "drop"
    drop.mkdir()
    half = len(uploads) // 2
    arrived: dict[str, float] = {}  # file → when it was first whole in the folder

    def upload(name: str) -> None:
        rename_in(drop, name, (messy_dataset / "mse" / name).read_bytes())
        arrived.setdefault(name, time.time())

    for name in uploads[:half]:  # a backlog in the folder before the connector starts
        upload(name)
    connector = rig.start("mse", MSE_DROP_DIR=str(drop))
    for name in uploads[half:]:  # the rest arrive while it runs, re-uploads included
        upload(name)
    await wait_for_files(rig, set(uploads))
    await wait_until(lambda: last_is_a_marker_everywhere(rig), 30, "a marker after the last file")
    assert rig.terminate(connector) == 0
    assert (
        certificates_before_the_markers_that_cover_their_files(
            await rig.read_all(rig.life_events), arrived
        )
        == []
    )

    events = by(await rig.read(rig.life_events), lambda m: "/".join(certificate(m)))
    valid = {f"{t['certificate_no']}/{t['decision']}" for t in truth if t["valid"]}
    assert set(events) == valid
    assert all(len(messages) == 1 for messages in events.values())
    letters = by(
        await rig.read(f"{rig.life_events}.dlq"),
        lambda m: f"{m.headers['dlq_file']}:{m.headers['dlq_line']}",
    )
    assert {k: m[0].headers["dlq_kind"] for k, m in letters.items()} == {
        f"{t['file']}:{t['line']}": t["defect"] for t in truth if not t["valid"]
    }
    assert all(len(messages) == 1 for messages in letters.values())
    shutil.rmtree(drop)


async def last_is_a_marker_everywhere(rig: Rig) -> bool:
    """Every partition ends in a marker (a marker goes to every partition)."""
    last: dict[int, Message] = {}
    for message in await rig.read_all(rig.life_events):
        last[message.partition] = message
    return bool(last) and all(m.is_marker for m in last.values())


def certificates_before_the_markers_that_cover_their_files(
    log: list[Message], arrived: dict[str, float]
) -> list[str]:
    """What the engine relies on (ADR 0008): a marker ``as_of`` a look at the folder comes,
    on its partition, after every certificate of a file that was in the folder then. The
    certificates that come after such a marker instead (none is right)."""
    partitions: dict[int, list[Message]] = defaultdict(list)
    for message in log:
        partitions[message.partition].append(message)
    late = []
    for messages in partitions.values():
        covered_until = 0.0  # the latest look a marker before this point spoke for
        for m in messages:
            if m.is_marker:
                looked = datetime.fromisoformat(m.data["as_of"]).timestamp()
                covered_until = max(covered_until, looked)
            elif "certificate" in m.headers["ce_type"]:
                file = m.data["source_file"]
                if arrived[file] < covered_until:
                    late.append(f"{m.data['certificate_no']} of {file}")
    return late
