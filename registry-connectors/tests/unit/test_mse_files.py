"""A commission file: names, BOM, CRLF, header-only files, bad rows, corrected ``_2`` files."""

from datetime import UTC, date, datetime

from benefits_shared.pin import PinHasher
from registry_connectors.mse_files import DropName, FilePlan, FilePlanner, drop_name
from registry_connectors.outgoing import Outgoing

HASHER = PinHasher("unit-test-key")
TOPIC = "life-events"
AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
PLANNER = FilePlanner(HASHER, TOPIC)
HEADER = "certificate_no;pin;decision;group;valid_from;valid_until;effective_from;issued_at"
ISSUED = "MSE-26-004512;4RT7Y2K;ISSUED;II;01.03.2026;01.03.2027;;02.03.2026"
OPEN_ENDED = "MSE-26-004513;8PL3N6W;ISSUED;CHILD;15.02.2026;;;02.03.2026"
REVOKED = "MSE-25-019877;6DF2G8H;REVOKED;;;;01.04.2026;02.03.2026"


def commission_file(*rows: str) -> bytes:
    """As the commission writes it: BOM, ``;``, CRLF after every line."""
    return ("\ufeff" + "".join(line + "\r\n" for line in (HEADER, *rows))).encode()


def plan_of(
    content: bytes, name: str = "mse_20260302.csv", already: set[str] | None = None
) -> FilePlan:
    drop = drop_name(name)
    assert drop is not None
    return PLANNER.plan(drop, content, already or set(), AT)


def headers(message: Outgoing) -> dict[str, str]:
    return {k: v.decode() for k, v in message.headers}


def test_the_commissions_names_are_read_with_their_day_and_version() -> None:
    assert drop_name("mse_20260302.csv") == DropName(date(2026, 3, 2), 1, "mse_20260302.csv")
    assert drop_name("mse_20260302_2.csv") == DropName(date(2026, 3, 2), 2, "mse_20260302_2.csv")


def test_temp_files_and_other_names_are_not_ours() -> None:
    for name in (
        ".mse_20260302.csv.swp",
        "mse_20260302.csv.tmp",
        "mse_20260302.csv.part",
        "~mse_20260302.csv",
        "mse_20260231.csv",
        "mse_2026030.csv",
        "notes.txt",
    ):
        assert drop_name(name) is None, name


def test_files_sort_by_day_then_version() -> None:
    names = ["mse_20260303.csv", "mse_20260302_10.csv", "mse_20260302_2.csv", "mse_20260302.csv"]
    ordered = sorted(d for n in names if (d := drop_name(n)))
    assert [d.name for d in ordered] == [
        "mse_20260302.csv",
        "mse_20260302_2.csv",
        "mse_20260302_10.csv",
        "mse_20260303.csv",
    ]


def test_every_row_of_the_example_becomes_its_event() -> None:
    plan = plan_of(commission_file(ISSUED, OPEN_ENDED, REVOKED))
    types = [headers(m)["ce_type"] for m in plan.messages]
    assert types == [
        "az.gov.benefits.certificate-issued.v1",
        "az.gov.benefits.certificate-issued.v1",
        "az.gov.benefits.certificate-revoked.v1",
    ]
    assert [m.key for m in plan.messages] == [
        HASHER.kafka_key("4RT7Y2K"),
        HASHER.kafka_key("8PL3N6W"),
        HASHER.kafka_key("6DF2G8H"),
    ]
    assert (plan.rows, plan.quarantined, len(plan.published_ids)) == (3, 0, 3)


def test_a_header_only_file_is_fine() -> None:
    plan = plan_of(commission_file())
    assert (plan.rows, plan.messages) == (0, [])


def test_an_empty_file_is_fine() -> None:
    assert plan_of(b"").messages == []


def test_a_file_with_bare_line_feeds_and_no_bom_is_read_too() -> None:
    content = (HEADER + "\n" + ISSUED + "\n").encode()
    assert len(plan_of(content).published_ids) == 1


def test_bad_rows_are_quarantined_with_file_line_and_reason_and_the_rest_goes_through() -> None:
    bad_date = ISSUED.replace("01.03.2026;01.03.2027", "31.02.2026;01.03.2027")
    plan = plan_of(commission_file(bad_date, OPEN_ENDED, "MSE-26-1;4RT7Y2K", REVOKED))
    letters = [m for m in plan.messages if m.topic == f"{TOPIC}.dlq"]
    assert [(headers(m)["dlq_line"], headers(m)["dlq_kind"]) for m in letters] == [
        ("2", "impossible_date"),
        ("4", "column_count"),
    ]
    assert headers(letters[0])["dlq_file"] == "mse_20260302.csv"
    assert headers(letters[0])["dlq_reason"] == "valid_from is not an existing date"
    assert letters[0].value == bad_date.encode()
    assert len(plan.published_ids) == 2


def test_a_line_that_is_not_utf8_is_quarantined() -> None:
    content = commission_file(ISSUED) + b"MSE-26-9;4RT7Y2K;ISSUED;\xff;01.03.2026;;;02.03.2026\r\n"
    plan = plan_of(content)
    assert [headers(m)["dlq_kind"] for m in plan.messages if m.topic.endswith(".dlq")] == [
        "not_utf8"
    ]


def test_a_file_whose_header_is_not_the_commissions_quarantines_every_line() -> None:
    content = ("\ufeffcert;pin\r\n" + ISSUED + "\r\n").encode()
    plan = plan_of(content)
    assert [headers(m)["dlq_kind"] for m in plan.messages] == ["bad_header", "bad_header"]


def test_the_same_row_has_the_same_event_id_in_a_corrected_file() -> None:
    first = plan_of(commission_file(ISSUED))
    second = plan_of(commission_file(OPEN_ENDED, ISSUED), "mse_20260302_2.csv")
    assert first.published_ids[0] == second.published_ids[1]


def test_a_corrected_file_publishes_only_rows_new_or_changed_that_day() -> None:
    bad = ISSUED.replace("4RT7Y2K", "4RT7Y2")
    first = plan_of(commission_file(bad, OPEN_ENDED))
    changed = OPEN_ENDED.replace(";;;02.03.2026", ";15.02.2027;;02.03.2026")
    corrected = plan_of(
        commission_file(ISSUED, OPEN_ENDED, changed),
        "mse_20260302_2.csv",
        already=set(first.published_ids),
    )
    assert corrected.already_published == 1
    assert [m.key for m in corrected.messages] == [
        HASHER.kafka_key("4RT7Y2K"),
        HASHER.kafka_key("8PL3N6W"),
    ]
    assert [headers(m)["ce_type"] for m in corrected.messages] == [
        "az.gov.benefits.certificate-issued.v1"
    ] * 2


def test_a_row_repeated_within_one_file_is_published_once() -> None:
    plan = plan_of(commission_file(ISSUED, ISSUED))
    assert (len(plan.published_ids), plan.already_published) == (1, 1)


def test_a_quarantined_row_has_the_same_id_when_the_file_is_processed_again() -> None:
    content = commission_file("MSE-26-1;4RT7Y2K")
    first = plan_of(content).messages[0]
    again = PLANNER.plan(
        drop_name("mse_20260302.csv"), content, set(), datetime(2027, 1, 1, tzinfo=UTC)
    )  # type: ignore[arg-type]
    assert first.id == again.messages[0].id


def test_the_event_time_is_the_day_of_issue_in_baku() -> None:
    plan = plan_of(commission_file(ISSUED))
    assert headers(plan.messages[0])["ce_time"] == "2026-03-02T00:00:00+04:00"
