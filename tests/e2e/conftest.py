"""The end-to-end suite shares one chaotic run of the whole system (see ``e2e_run``)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from e2e_run import ROOT, E2ERun, run


@pytest.fixture(scope="session")
def e2e(infrastructure: dict[str, str]) -> Iterator[E2ERun]:
    suffix = uuid.uuid4().hex[:8]
    run_dir = ROOT / ".state" / "e2e" / suffix  # the logs stay, for a look after a failure
    run_dir.mkdir(parents=True)
    kafka, database_url = infrastructure["kafka"], infrastructure["database_url"]
    result = asyncio.run(run(kafka, database_url, run_dir, suffix))
    yield result
    result.supervisor.stop()
