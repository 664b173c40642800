"""``eligibility-engine``: decide from the topics until SIGTERM (on uvloop, as every
service: ``benefits_shared.lifecycle.run``)."""

from __future__ import annotations

from benefits_shared.lifecycle import run

from eligibility_engine import bootstrap
from eligibility_engine.config import EngineSettings


def main() -> None:
    run(lambda: bootstrap.run(EngineSettings()))


if __name__ == "__main__":
    main()
