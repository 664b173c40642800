"""``settle_heap``: what a service built before its work is out of the collector's way."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from benefits_shared.lifecycle import GC_THRESHOLDS, settle_heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_collector")
def test_the_start_up_heap_is_frozen_its_garbage_collected_first() -> None:
    gc.unfreeze()
    built_at_start_up = [{"a": [1]} for _ in range(1000)]
    garbage = [weakref.ref(_Node()) for _ in range(100)]

    settle_heap()

    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() >= len(built_at_start_up)
    assert all(ref() is None for ref in garbage)  # freed, not frozen for good
