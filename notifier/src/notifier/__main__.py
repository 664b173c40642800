"""``notifier``: record notices from the topics and send them until SIGTERM."""

from __future__ import annotations

from benefits_shared.lifecycle import run

from notifier import bootstrap
from notifier.config import NotifierSettings


def main() -> None:
    run(lambda: bootstrap.run(NotifierSettings()))


if __name__ == "__main__":
    main()
