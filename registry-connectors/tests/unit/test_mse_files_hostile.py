"""Property: whatever lands in the drop folder (other encodings, a BOM or none, other
delimiters, stray quotes, binary junk, a truncated or a huge file), every line ends as one
event, one dead letter with its reason, or a row already published; nothing raises, and
every message fits Kafka (ADR 0017)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from benefits_shared.pin import PinHasher
from hypothesis import example, given, settings
from hypothesis import strategies as st
from registry_connectors.adapters.drop_folder import LocalDropFolder
from registry_connectors.mse_files import FilePlan, FilePlanner, drop_name
from registry_connectors.outgoing import Outgoing

TOPIC = "life-events"
AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
PLANNER = FilePlanner(PinHasher("unit-test-key"), TOPIC, max_file_bytes=2 * 1024 * 1024)
DROP = drop_name("mse_20260302.csv")
HEADER = "certificate_no;pin;decision;group;valid_from;valid_until;effective_from;issued_at"
GOOD_ROWS = [
    "MSE-26-004512;4RT7Y2K;ISSUED;II;01.03.2026;01.03.2027;;02.03.2026",
    "MSE-26-004513;8PL3N6W;ISSUED;CHILD;15.02.2026;;;02.03.2026",
    "MSE-25-019877;6DF2G8H;REVOKED;;;;01.04.2026;02.03.2026",
]
KAFKA_MAX_BYTES = 1024 * 1024

field = st.one_of(
    st.sampled_from(["", "I", "II", "CHILD", "ISSUED", "REVOKED", "31.02.2026", "01.03.2026"]),
    st.sampled_from(["4RT7Y2K", "4rt7y2k", "MSE-1", '"', '"quoted;field"', "ə", "\x00"]),
    st.text(max_size=12).map(lambda t: t.replace("\n", "")),
)
row_text = st.one_of(
    st.sampled_from(GOOD_ROWS),
    st.lists(field, min_size=0, max_size=10).map(";".join),
    st.sampled_from(GOOD_ROWS).map(lambda r: r.replace(";", ",")),
    st.sampled_from(GOOD_ROWS).map(lambda r: r.replace(";", "\t")),
    st.sampled_from(GOOD_ROWS).map(lambda r: '"' + r),
)
encoded_row = st.one_of(
    row_text.map(lambda r: r.encode("utf-8", "surrogatepass")),
    row_text.map(lambda r: r.encode("cp1251", "replace")),
    row_text.map(lambda r: r.encode("utf-16", "surrogatepass").replace(b"\n", b"")),
    st.binary(max_size=80).map(lambda b: b.replace(b"\n", b"")),
)
header = st.sampled_from(
    [b"\xef\xbb\xbf" + HEADER.encode(), HEADER.encode(), HEADER.replace(";", ",").encode(), b""]
)
line_end = st.sampled_from([b"\r\n", b"\n"])


def plan_of(content: bytes) -> FilePlan:
    assert DROP is not None
    return PLANNER.plan(DROP, content, set(), AT)


def assert_fits_kafka(message: Outgoing) -> None:
    assert len(message.value) + sum(len(v) for _, v in message.headers) < KAFKA_MAX_BYTES
    for _, value in message.headers:
        value.decode("utf-8")


def accounted(plan: FilePlan) -> int:
    return len(plan.published_ids) + plan.already_published + plan.quarantined


@settings(max_examples=max(10, settings.default.max_examples // 2))  # files of rows
@given(header, st.lists(encoded_row, max_size=8), line_end)
def test_every_line_of_any_file_is_an_event_a_dead_letter_or_already_published(
    head: bytes, rows: list[bytes], end: bytes
) -> None:
    plan = plan_of(end.join([head, *rows]) + end)
    assert accounted(plan) == plan.rows
    non_blank = [r for r in [head, *rows] if r.removeprefix(b"\xef\xbb\xbf").strip()]
    assert plan.rows in (len(non_blank), len(non_blank) - 1)  # the header is not a row
    assert len(plan.messages) == len(plan.published_ids) + plan.quarantined
    for message in plan.messages:
        assert_fits_kafka(message)


@given(st.binary(max_size=2000))
@example(b'"' + b"x" * 200_000 + b'";;;;;;;')  # crashed: csv's field size limit
def test_binary_junk_never_raises(content: bytes) -> None:
    plan = plan_of(content)
    assert accounted(plan) == plan.rows


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(st.data())
def test_a_truncated_file_keeps_every_whole_row_before_the_cut(data: st.DataObject) -> None:
    whole = ("\ufeff" + "".join(f"{line}\r\n" for line in (HEADER, *GOOD_ROWS))).encode()
    cut = data.draw(st.integers(0, len(whole)))
    plan = plan_of(whole[:cut])
    complete_rows = whole[:cut].count(b"\r\n") - 1
    assert len(plan.published_ids) >= max(0, complete_rows)
    assert accounted(plan) == plan.rows


def test_a_file_over_the_limit_is_quarantined_whole_in_one_dead_letter() -> None:
    small = FilePlanner(PinHasher("unit-test-key"), TOPIC, max_file_bytes=1024)
    assert DROP is not None
    content = (HEADER + "\r\n" + (GOOD_ROWS[0] + "\r\n") * 40).encode()
    plan = small.plan(DROP, content, set(), AT)
    [dead] = plan.messages
    assert dict(dead.headers)["dlq_kind"] == b"file_too_large"
    assert (plan.rows, plan.quarantined, plan.published_ids) == (0, 1, [])


def test_a_line_longer_than_a_dead_letter_keeps_its_first_bytes_and_its_hash() -> None:
    plan = plan_of((HEADER + "\r\n" + "x" * 600_000 + "\r\n").encode())
    [dead] = plan.messages
    headers = {k: v.decode() for k, v in dead.headers}
    assert (headers["dlq_kind"], headers["dlq_truncated_from"]) == ("unreadable_row", "600000")
    assert len(dead.value) == 256 * 1024


@given(st.text(max_size=40))
@example("mse_20260302_" + "9" * 200 + ".csv")  # crashed: longer than mse_files.name
@example("mse_２０２６０３０２.csv")  # fullwidth digits are not the commission's
def test_only_names_the_connector_can_store_are_the_commissions(name: str) -> None:
    drop = drop_name(name)
    assert drop is None or (len(drop.name) <= 128 and drop.name.isascii())


async def test_the_drop_folder_never_reads_more_than_one_byte_past_the_limit(
    tmp_path: Path,
) -> None:
    (tmp_path / "mse_20260302.csv").write_bytes(b"x" * 5000)
    content = await LocalDropFolder(tmp_path, max_bytes=1024).read("mse_20260302.csv")
    assert len(content) == 1025  # enough to know it is too large, no more
