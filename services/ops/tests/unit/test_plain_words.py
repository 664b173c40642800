from benefits_ops.plain_words import explain, headline


def test_a_refusal_reads_as_a_sentence() -> None:
    reason = "B1 rejected: the child was born on 2024-12-30, before the programme start 2025-01-01."
    assert explain(reason) == (
        "Birth grant refused: the child was born on 2024-12-30, "
        "before the programme start 2025-01-01."
    )


def test_every_outcome_has_words() -> None:
    assert headline("B2", "reexamination_due") == "Disability allowance re-examination due"
    assert headline("B3", "unresolved") == "Funeral allowance could not be decided"
    assert headline("B1", "revoked") == "Birth grant withdrawn"


def test_a_reason_of_another_shape_is_shown_as_it_is() -> None:
    assert explain("manual correction by ops") == "manual correction by ops"
