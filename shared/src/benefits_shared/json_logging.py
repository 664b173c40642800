"""Structured JSON logs that never carry a PIN or a phone number.

Every formatted line is scrubbed: anything shaped like a PIN becomes ``pin#<hmac>`` (so
ops can still follow one person through the logs with the same key) and anything shaped
like a phone number becomes ``+994*******NN``. Names are never logged by our code; the
scrubber is the safety net for what slips through (exception texts, third-party logs).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

from benefits_shared.outages import KafkaClientChatter
from benefits_shared.pin import PinHasher

# A PIN stands alone: not inside a longer run of letters and digits (hex hashes, UUIDs).
_PIN_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NP-Z]{7}(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"\+?994[\s-]?\d{2}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}")
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class Scrubber:
    def __init__(self, hasher: PinHasher) -> None:
        self._hasher = hasher

    def __call__(self, text: str) -> str:
        text = _PHONE_RE.sub(lambda m: "+994*******" + re.sub(r"\D", "", m.group())[-2:], text)
        return _PIN_RE.sub(self._pin, text)

    def _pin(self, match: re.Match[str]) -> str:
        # About 9% of PINs are letters only, so an upper-case word of seven letters from the
        # PIN alphabet is hashed too: a harmless word lost beats a PIN leaked.
        return f"pin#{self._hasher.digest(match.group())[:12]}"


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str, scrub: Scrubber) -> None:
        super().__init__()
        self._service = service
        self._scrub = scrub

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "service": self._service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return self._scrub(json.dumps(entry, default=str, ensure_ascii=False))


def configure(service: str, hasher: PinHasher, level: str = "INFO") -> None:
    """Send every log line of the process to stderr as scrubbed JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service, Scrubber(hasher)))
    handler.addFilter(KafkaClientChatter())  # a broker away is one line, not one per attempt
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # These log whole URLs (a PIN can be in one) and connection chatter at INFO.
    for chatty in ("aiokafka", "httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
