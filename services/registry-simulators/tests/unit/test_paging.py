"""The paging rules: limits, ``after``, and what ``last_seq`` is."""

from __future__ import annotations

import json

import pytest
from registry_simulators import paging
from registry_simulators.errors import BadRequest


@pytest.mark.parametrize(("raw", "limit"), [(None, 100), ("1", 1), ("1000", 1000)])
def test_a_limit_from_1_to_1000_is_taken(raw, limit):
    assert paging.page_limit(raw) == limit


@pytest.mark.parametrize("raw", ["0", "1001", "-5", "ten", ""])
def test_a_limit_outside_1_to_1000_is_a_bad_request(raw):
    with pytest.raises(BadRequest):
        paging.page_limit(raw)


@pytest.mark.parametrize("raw", ["-1", "x", "1.5"])
def test_after_must_be_a_whole_seq(raw):
    with pytest.raises(BadRequest):
        paging.after_seq(raw)


def test_last_seq_is_the_seq_of_the_last_record_on_the_page():
    page = paging.feed_page("records", [(7, b'{"seq": 7}'), (9, b'{"seq": 9}')], after=5)
    assert json.loads(page) == {"records": [{"seq": 7}, {"seq": 9}], "last_seq": 9}


def test_an_empty_page_answers_after_as_last_seq_so_the_client_can_ask_again():
    assert json.loads(paging.feed_page("changes", [], after=42)) == {"changes": [], "last_seq": 42}


def test_the_person_listing_names_the_last_pin_the_same_way():
    page = paging.listing_page([("0AB", b'{"pin": "0AB"}')], after="")
    assert json.loads(page) == {"persons": [{"pin": "0AB"}], "last_pin": "0AB"}
    assert json.loads(paging.listing_page([], after="ZZ")) == {"persons": [], "last_pin": "ZZ"}


def test_records_are_served_byte_for_byte_as_the_file_holds_them():
    text = '{"seq": 3, "office": "Gəncə"}'.encode()
    assert text in paging.feed_page("records", [(3, text)], after=0)
