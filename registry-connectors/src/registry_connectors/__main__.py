"""``python -m registry_connectors [all|civil|mse|population]``: run the connectors.

``all`` (the default) runs every connector whose endpoint is configured; SIGTERM or
SIGINT stops them after the step in hand.
"""

from __future__ import annotations

import sys

from benefits_shared.lifecycle import run

from registry_connectors import bootstrap
from registry_connectors.config import ConnectorSettings

CHOICES = ("all", *bootstrap.CONNECTORS)


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    if which not in CHOICES:
        raise SystemExit(f"usage: python -m registry_connectors [{'|'.join(CHOICES)}]")

    async def serve() -> None:
        try:
            service = bootstrap.build(ConnectorSettings(), which)
        except ValueError as exc:
            raise SystemExit(str(exc)) from None
        await service.run()

    run(serve)


if __name__ == "__main__":
    main()
