"""GSM 03.38 / UCS-2 encoding and segmentation, with counts worked out by hand."""

from __future__ import annotations

import itertools
import math

from benefits_shared.sms_encoding import (
    GSM7_EXTENSION,
    PART,
    SINGLE,
    SmsEncoding,
    cost,
    encode_info,
    length,
    split,
)
from hypothesis import given
from hypothesis import strategies as st

# ---------------------------------------------------------------- real texts


def test_plain_english_is_gsm7_one_septet_per_character() -> None:
    # "Your"4 +" "=5 "grant"=10 " "=11 "is"=13 " "=14 "250.00"=20 " "=21 "AZN."=25
    # " "=26 "Call"=30 " "=31 "142."=35 septets, under 160: one segment.
    assert encode_info("Your grant is 250.00 AZN. Call 142.") == SmsEncoding("GSM7", 35, 1)


def test_euro_and_brackets_cost_two_septets_each() -> None:
    # 30 characters, five of them from the extension table (€ [ ] { }), each ESC + char:
    # 30 + 5 = 35 septets.
    text = "Price: 10€ [incl. VAT] {promo}"
    assert len(text) == 30
    assert encode_info(text) == SmsEncoding("GSM7", 35, 1)


def test_form_feed_costs_two_septets() -> None:
    # "a" 1 + form feed 2 (ESC 0x0A) + "b" 1 = 4.
    assert encode_info("a\fb") == SmsEncoding("GSM7", 4, 1)


def test_azerbaijani_schwa_makes_the_message_ucs2() -> None:
    # ə is in no GSM table. "Müavinət"8 +" "=9 "təyin"=14 " "=15 "edildi."=22 units.
    assert encode_info("Müavinət təyin edildi.") == SmsEncoding("UCS2", 22, 1)


def test_dotless_i_makes_the_message_ucs2() -> None:
    # B a k ı: 4 units; ı is not GSM-7.
    assert encode_info("Bakı") == SmsEncoding("UCS2", 4, 1)


def test_capital_c_cedilla_is_gsm7_but_small_c_cedilla_is_not() -> None:
    # Ç (0x09) and ö (0x7C) are in the basic table; ç is not.
    assert encode_info("Çöl") == SmsEncoding("GSM7", 3, 1)
    assert encode_info("çöl") == SmsEncoding("UCS2", 3, 1)


def test_azerbaijani_notice_sentence_takes_two_ucs2_segments() -> None:
    # "Sizə"4 +1=5 "uşağın"=11 +1=12 "doğulmasına"=23 +1=24 "görə"=28 +1=29
    # "birdəfəlik"=39 +1=40 "müavinət"=48 +1=49 "təyin"=54 +1=55 "edildi:"=62 +1=63
    # "250,00"=69 +1=70 "AZN."=74 units: over 70, so parts of 67: 67 + 7 = 2 segments.
    text = "Sizə uşağın doğulmasına görə birdəfəlik müavinət təyin edildi: 250,00 AZN."
    assert encode_info(text) == SmsEncoding("UCS2", 74, 2)
    assert [len(part) for part in split(text)] == [67, 7]


def test_russian_notice_sentence_takes_two_ucs2_segments() -> None:
    # "Вам"3 +1=4 "назначено"=13 +1=14 "пособие"=21 +1=22 "на"=24 +1=25 "погребение:"=36
    # +1=37 "350,00"=43 +1=44 "AZN."=48 +1=49 "Справки"=56 +1=57 "по"=59 +1=60
    # "телефону"=68 +1=69 "142."=73 units: 67 + 6 = 2 segments.
    text = "Вам назначено пособие на погребение: 350,00 AZN. Справки по телефону 142."
    assert encode_info(text) == SmsEncoding("UCS2", 73, 2)


def test_one_cyrillic_letter_turns_a_long_english_text_into_ucs2() -> None:
    # 100 "a" alone: GSM7, 100 septets, 1 segment. With "Я": UCS2, 101 units > 70,
    # so 67 + 34 = 2 segments.
    assert encode_info("a" * 100) == SmsEncoding("GSM7", 100, 1)
    assert encode_info("a" * 100 + "Я") == SmsEncoding("UCS2", 101, 2)


def test_extension_characters_cost_one_unit_in_ucs2() -> None:
    # In UCS-2 € is U+20AC, one unit: "ə€{" is 3 units.
    assert encode_info("ə€{") == SmsEncoding("UCS2", 3, 1)


def test_empty_text_is_one_empty_gsm7_segment() -> None:
    assert encode_info("") == SmsEncoding("GSM7", 0, 1)
    assert split("") == [""]


# ---------------------------------------------------------------- boundaries


def test_exactly_160_septets_fit_in_one_segment() -> None:
    assert encode_info("a" * 160) == SmsEncoding("GSM7", 160, 1)


def test_161_septets_take_two_segments_of_153_and_8() -> None:
    assert encode_info("a" * 161) == SmsEncoding("GSM7", 161, 2)
    assert [len(part) for part in split("a" * 161)] == [153, 8]


def test_a_euro_sign_pushes_159_characters_over_one_segment() -> None:
    # 158 "a" + € = 158 + 2 = 160 septets: one segment; 159 "a" + € = 161: two.
    assert encode_info("a" * 158 + "€") == SmsEncoding("GSM7", 160, 1)
    assert encode_info("a" * 159 + "€") == SmsEncoding("GSM7", 161, 2)


def test_exactly_70_units_fit_in_one_ucs2_segment() -> None:
    assert encode_info("ə" * 70) == SmsEncoding("UCS2", 70, 1)


def test_71_units_take_two_ucs2_segments_of_67_and_4() -> None:
    assert encode_info("ə" * 71) == SmsEncoding("UCS2", 71, 2)
    assert [len(part) for part in split("ə" * 71)] == [67, 4]


def test_two_full_parts_and_one_septet_take_three_segments() -> None:
    # 153 × 2 + 1 = 307 septets: 153 + 153 + 1.
    assert encode_info("a" * 307) == SmsEncoding("GSM7", 307, 3)
    assert [len(part) for part in split("a" * 307)] == [153, 153, 1]


def test_two_full_parts_exactly_take_two_segments() -> None:
    # 153 × 2 = 306 septets: exactly two parts.
    assert encode_info("a" * 306) == SmsEncoding("GSM7", 306, 2)


def test_two_full_ucs2_parts_and_one_unit_take_three_segments() -> None:
    # 67 × 2 + 1 = 135 units: 67 + 67 + 1.
    assert encode_info("ş" * 135) == SmsEncoding("UCS2", 135, 3)


def test_a_euro_sign_on_the_boundary_opens_the_next_part() -> None:
    # 152 "a" then € (2 septets) would make 154 > 153: the € opens part two.
    # Total 152 + 2 + 152 = 306 septets, yet three parts: 152 | € + 151 "a" (153) | "a".
    text = "a" * 152 + "€" + "a" * 152
    assert split(text) == ["a" * 152, "€" + "a" * 151, "a"]
    assert encode_info(text) == SmsEncoding("GSM7", 306, 3)


def test_an_emoji_on_the_boundary_opens_the_next_part() -> None:
    # 😀 is a surrogate pair (2 units). 66 + 2 + 66 = 134 units = 2 × 67, yet the pair
    # cannot end part one at unit 68: 66 | 😀 + 65 "ə" (67) | "ə".
    text = "ə" * 66 + "😀" + "ə" * 66
    assert split(text) == ["ə" * 66, "😀" + "ə" * 65, "ə"]
    assert encode_info(text) == SmsEncoding("UCS2", 134, 3)


# ---------------------------------------------------------------- properties

_GSM_SAMPLE = "@£$¥èéÇ\nØΔ_ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà"
_OTHER = "əƏğĞıİşŞçжЯщЁ😀🇦𝄞"
texts = st.text(
    alphabet=st.sampled_from(_GSM_SAMPLE + "".join(GSM7_EXTENSION) + _OTHER), max_size=500
)
gsm_texts = st.text(alphabet=st.sampled_from(_GSM_SAMPLE + "".join(GSM7_EXTENSION)), max_size=500)


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(texts)
def test_parts_rejoin_to_the_text(text: str) -> None:
    assert "".join(split(text)) == text


@given(texts)
def test_every_part_fits_its_segment(text: str) -> None:
    info = encode_info(text)
    parts = split(text)
    limit = SINGLE[info.encoding] if len(parts) == 1 else PART[info.encoding]
    assert all(length(part, info.encoding) <= limit for part in parts)
    assert len(parts) == info.segments


@given(texts)
def test_no_part_breaks_a_surrogate_pair(text: str) -> None:
    parts = split(text)
    # Every part is valid UTF-16 on its own (a lone half would not encode), and the parts'
    # code units add up to the text's: no unit was split off or duplicated.
    encoded = [part.encode("utf-16-le", errors="strict") for part in parts]
    assert b"".join(encoded) == text.encode("utf-16-le")
    if encode_info(text).encoding == "UCS2":
        assert sum(_utf16_units(part) for part in parts) == encode_info(text).length


@given(gsm_texts)
def test_no_part_breaks_an_escape_pair(text: str) -> None:
    parts = split(text)
    # Each part's septets are whole characters: an extension character counted in a part
    # brings both its septets with it, so the parts' septets add up to the text's.
    assert sum(length(part, "GSM7") for part in parts) == length(text, "GSM7")
    for part in parts:
        assert length(part, "GSM7") == len(part) + sum(c in GSM7_EXTENSION for c in part)


@given(texts)
def test_a_part_is_closed_only_when_the_next_character_does_not_fit(text: str) -> None:
    info = encode_info(text)
    parts = split(text)
    for part, following in itertools.pairwise(parts):
        assert length(part, info.encoding) + cost(following[0], info.encoding) > PART[info.encoding]


@given(texts)
def test_a_boundary_wastes_at_most_one_septet_or_unit(text: str) -> None:
    info = encode_info(text)
    if info.segments > 1:
        size = PART[info.encoding]
        assert math.ceil(info.length / size) <= info.segments
        # Every part but the last holds at least size - 1.
        assert (info.segments - 1) * (size - 1) < info.length
