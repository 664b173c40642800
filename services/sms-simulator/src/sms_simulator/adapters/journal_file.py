"""The append-only JSON-lines journal of accepted messages.

One line per accepted message, flushed before the ``202`` goes out. On start the journal is
read back, so a restarted simulator still replays the keys it answered before.
"""

from __future__ import annotations

import json
from pathlib import Path

from sms_simulator.messages import AcceptedMessage


class JournalFile:
    def __init__(self, path: Path) -> None:
        self._path = path

    def load(self) -> list[AcceptedMessage]:
        if not self._path.exists():
            return []
        with self._path.open(encoding="utf-8") as lines:
            return [AcceptedMessage.from_record(json.loads(line)) for line in lines if line.strip()]

    def append(self, message: AcceptedMessage) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(message.to_record(), ensure_ascii=False)
        with self._path.open("a", encoding="utf-8") as journal:
            journal.write(line + "\n")
            journal.flush()


class NoJournal:
    """No journal file configured: messages are kept in memory only."""

    def append(self, message: AcceptedMessage) -> None:
        return None
