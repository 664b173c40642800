"""A change feed in a JSON-lines file, served page by page through its sqlite index."""

from __future__ import annotations

import json
import os

from registry_simulators.adapters.feed_file import FeedFile

LINES = [
    '{"seq": 1, "record_no": "B-2026-0000001"}',
    '{"seq": 2, "record_no": "B-2026-0000002"}',
    '{"seq": 5, "record_no": "D-2026-0000001"}',  # a gap before it
    "this line is not JSON",
    '{"record_no": "B-2026-0000003"}',  # no seq: cannot be placed
    '{"seq": 6, "record_no": "B-2026-0000001"}',  # a re-delivery in the data
    '{"seq": 9, "record_no": "X-2026-0000001", "name": "Ülviyyə"}',
]


def _feed(tmp_path, lines=LINES):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return FeedFile(path, tmp_path / "index", "feed"), path


def _seqs(page):
    return [json.loads(text)["seq"] for _, text in page]


def test_pages_follow_ascending_seq_across_gaps(tmp_path):
    feed, _ = _feed(tmp_path)
    assert _seqs(feed.page(0, 2)) == [1, 2]
    assert _seqs(feed.page(2, 2)) == [5, 6]
    assert _seqs(feed.page(6, 2)) == [9]
    assert feed.page(9, 2) == []


def test_lines_that_cannot_be_placed_in_the_feed_are_counted_not_served(tmp_path):
    feed, _ = _feed(tmp_path)
    assert (feed.records, feed.skipped) == (5, 2)


def test_a_record_is_served_exactly_as_the_file_has_it(tmp_path):
    feed, _ = _feed(tmp_path)
    assert feed.page(6, 1) == [(9, LINES[-1].encode())]


def test_a_redelivery_starts_the_page_with_records_already_delivered(tmp_path):
    feed, _ = _feed(tmp_path)
    assert _seqs(feed.page(5, 3, again=2)) == [2, 5, 6]
    assert _seqs(feed.page(5, 2, again=5)) == [5, 6]  # never only old records
    assert _seqs(feed.page(0, 3, again=2)) == [1, 2, 5]  # nothing before the start


def test_the_index_is_reused_for_the_same_data_and_rebuilt_when_it_changes(tmp_path):
    _, path = _feed(tmp_path)
    index = sorted((tmp_path / "index").glob("feed-*.sqlite"))
    FeedFile(path, tmp_path / "index", "feed")
    assert sorted((tmp_path / "index").glob("feed-*.sqlite")) == index
    with path.open("a") as more:
        more.write('{"seq": 12}\n')
    os.utime(path, ns=(1, 1))
    again = FeedFile(path, tmp_path / "index", "feed")
    assert _seqs(again.page(9, 5)) == [12]
    assert len(list((tmp_path / "index").glob("feed-*.sqlite"))) == 1
