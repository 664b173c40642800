"""Notice texts: every kind in every language, what they hold and what they never hold."""

from __future__ import annotations

import re
from datetime import date

import pytest
from benefits_shared.money import Money
from benefits_shared.sms_encoding import encode_info
from notifier.errors import MissingNoticeField, UnsafeNoticeText
from notifier.notice_fields import NoticeFields
from notifier.notice_kinds import NoticeKind
from notifier.rendering import LANGUAGES, guard, render, templates

KINDS = list(NoticeKind)
WITH_ACCOUNT = NoticeFields(
    Money.of("1250.5"), "B2-7C2E91F0", date(2026, 3, 31), "Partner Bank", "4821"
)
WITHOUT_ACCOUNT = NoticeFields(Money.of("1250.5"), "B2-7C2E91F0", date(2026, 3, 31))
AMOUNTS = {"az": "1.250,50 AZN", "ru": "1 250,50 AZN", "en": "1,250.50 AZN"}
DATES = {"az": "31.03.2026", "ru": "31.03.2026", "en": "31 March 2026"}
every_notice = pytest.mark.parametrize(
    ("kind", "language"), [(k, lang) for k in KINDS for lang in LANGUAGES]
)


@every_notice
def test_every_notice_holds_amount_reference_account_and_call_centre(
    kind: NoticeKind, language: str
) -> None:
    text = render(kind, language, WITH_ACCOUNT)
    for part in (AMOUNTS[language], "B2-7C2E91F0", "Partner Bank", "****4821", "142"):
        assert part in text


@every_notice
def test_without_an_account_the_account_sentence_is_left_out(
    kind: NoticeKind, language: str
) -> None:
    text = render(kind, language, WITHOUT_ACCOUNT)
    assert "4821" not in text
    assert "Partner Bank" not in text
    assert "****" not in text
    assert "  " not in text
    assert "142" in text
    assert "B2-7C2E91F0" in text


@every_notice
def test_no_placeholder_is_left_unfilled(kind: NoticeKind, language: str) -> None:
    assert "$" not in render(kind, language, WITH_ACCOUNT)


@pytest.mark.parametrize("kind", [NoticeKind.B2_ENDED, NoticeKind.B2_REEXAMINATION_DUE])
@pytest.mark.parametrize("language", LANGUAGES)
def test_end_notices_say_the_last_day_paid(kind: NoticeKind, language: str) -> None:
    assert DATES[language] in render(kind, language, WITH_ACCOUNT)


@pytest.mark.parametrize("kind", [NoticeKind.B2_ENDED, NoticeKind.B2_REEXAMINATION_DUE])
def test_an_end_notice_without_its_last_day_cannot_be_rendered(kind: NoticeKind) -> None:
    with pytest.raises(MissingNoticeField, match="until"):
        render(kind, "az", NoticeFields(Money.of("240"), "B2-7C2E91F0"))


@pytest.mark.parametrize("kind", KINDS)
def test_notices_are_written_in_the_recipient_s_language(kind: NoticeKind) -> None:
    # Azerbaijani uses ə; Russian Cyrillic; English stays GSM-7 (one septet a letter).
    assert "ə" in render(kind, "az", WITHOUT_ACCOUNT).lower()
    assert re.search("[а-яё]", render(kind, "ru", WITHOUT_ACCOUNT))
    assert encode_info(render(kind, "en", WITH_ACCOUNT)).encoding == "GSM7"


@every_notice
def test_no_notice_costs_more_than_four_segments(kind: NoticeKind, language: str) -> None:
    assert encode_info(render(kind, language, WITH_ACCOUNT)).segments <= 4


def test_the_parts_come_in_order_text_account_closing() -> None:
    fields = NoticeFields(Money.of("250"), "B1-3F9A0C12", None, "Partner Bank", "4821")
    assert render(NoticeKind.B1_ASSIGNED, "en", fields) == (
        "You have been awarded a birth grant of 250.00 AZN. "
        "It will be paid to your Partner Bank account ****4821. "
        "Ref. B1-3F9A0C12. Call centre: 142."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_a_template_for_every_kind(language: str) -> None:
    assert set(templates(language).notices) == set(NoticeKind)


# ---------------------------------------------------------------- the guard


@pytest.mark.parametrize(
    "leak",
    [
        "5ZK2M9X",  # a PIN
        "AZ21NABZ00000000137010001944",  # a 28-character IBAN
        "AZ21 NABZ 0000 0000 1370 1000 1944",  # the same, printed in groups
        "4169738812345678",  # a card number
    ],
)
def test_a_bank_name_carrying_a_pin_or_account_number_is_refused(leak: str) -> None:
    fields = NoticeFields(Money.of("250"), "B1-3F9A0C12", None, f"Bank {leak}", "4821")
    with pytest.raises(UnsafeNoticeText):
        render(NoticeKind.B1_ASSIGNED, "en", fields)


def test_a_pin_shaped_reference_is_refused() -> None:
    with pytest.raises(UnsafeNoticeText, match="PIN"):
        render(NoticeKind.B3_ASSIGNED, "ru", NoticeFields(Money.of("350"), "K7M2P9Q"))


def test_a_pin_of_letters_only_is_refused_too() -> None:
    # About 8 % of PINs have no digit ((23/33)^7): the guard does not ask for one, so an
    # upper-case 7-letter word (no I, no O) is refused as well; no template has one.
    with pytest.raises(UnsafeNoticeText, match="PIN"):
        guard("Ref. KZRMPTX. Call centre: 142.")


def test_words_digits_and_references_of_a_notice_pass_the_guard() -> None:
    # 8-character references, 4 last characters, dates and "142" are not PIN-shaped.
    guard("Ref. B1-3F9A0C12. Account ****4821. 31.03.2026. 142. Partner Bank, МСЭК, TSEK")
