"""What happens to a household, before it is put in time order with everyone else's.

An :class:`Event` belongs to one of three outputs: the civil-registry feed, the population
registry's change feed, or an MSE file. Its body is provisional: record and certificate
numbers do not exist yet (they are given in time order later), so an event that another
will refer to carries a ``ref`` and the referring one a ``target``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from benefits_shared.clock import BAKU

Stream = Literal["civil", "population", "mse"]
_EPOCH_SHIFT = 10**10  # keeps sort keys positive for any date after 1653


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    stream: Stream
    body: dict[str, Any]


def sort_line(event: Event, household: int, position: int) -> str:
    """A line whose text order is time order; ties keep household and position order."""
    epoch = int(event.at.timestamp()) + _EPOCH_SHIFT
    payload = json.dumps([event.stream, event.body], ensure_ascii=False)
    return f"{epoch:012d}{household:010d}{position:06d}\t{payload}\n"


def parse_line(line: str) -> tuple[Stream, dict[str, Any]]:
    stream, body = json.loads(line.split("\t", 1)[1])
    return stream, body


def office_time(rng: random.Random, day: date) -> datetime:
    """A moment in office hours (09:00–17:59, Asia/Baku) on ``day``, Sundays moved to Monday."""
    if day.weekday() == 6:
        day += timedelta(days=1)
    return datetime.combine(day, time(rng.randrange(9, 18), rng.randrange(60)), BAKU)


def later(rng: random.Random, at: datetime, min_days: int, max_days: int) -> datetime:
    """An office-hours moment ``min_days``..``max_days`` days after ``at``, never before it."""
    moment = office_time(rng, at.date() + timedelta(days=rng.randint(min_days, max_days)))
    return moment if moment > at else at + timedelta(minutes=rng.randint(5, 90))


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
