"""``python -m benefits_ops``: the projection consumer and the HTTP console until SIGTERM."""

from __future__ import annotations

from benefits_shared.lifecycle import run

from benefits_ops import bootstrap
from benefits_ops.config import OpsSettings


def main() -> None:
    run(lambda: bootstrap.run(OpsSettings()))


if __name__ == "__main__":
    main()
