"""The end-to-end suite shares one chaotic run of the whole system (see ``e2e_run``), once
with one instance of every service and once with two."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from devstack.teardown import remove
from e2e_run import ROOT, E2ERun, run


@pytest.fixture(scope="session", params=[1, 2], ids=["1-instance", "2-instances"])
def e2e(infrastructure: dict[str, str], request: pytest.FixtureRequest) -> Iterator[E2ERun]:
    """The run with one instance of every service, then with two of each (issue 12's
    scale-out): every test of the suite holds for both."""
    suffix = uuid.uuid4().hex[:8]
    run_dir = ROOT / ".state" / "e2e" / suffix  # the logs stay, for a look after a failure
    run_dir.mkdir(parents=True)
    kafka, database_url = infrastructure["kafka"], infrastructure["database_url"]
    result = asyncio.run(run(kafka, database_url, run_dir, suffix, replicas=request.param))
    yield result
    result.supervisor.stop()
    if request.session.testsfailed == 0:  # a failed run's topics and schemas stay for a look
        asyncio.run(remove(kafka, database_url, result.ns))
