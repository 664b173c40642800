"""The life of a notice, as an explicit state machine.

::

    PENDING ──accepted (202)──► ACCEPTED ──delivered──► DELIVERED
      │ ▲                         │  ├─────failed─────► FAILED
      │ └──retryable_failure      │  ├─────expired────► EXPIRED
      │    (5xx, 429, time-out:   │  └──report_overdue─► UNKNOWN ──delivered/failed/expired──►
      │     same key, later)      │                       (a late report still settles it)
      ├──refused (4xx)──► FAILED
      ├──skipped──► SKIPPED       (no phone, dead, superseded, not renderable: ops see why)
      ├──abandoned──► UNKNOWN     (an attempt's outcome was unknown, then the recipient died)
      └──parked──► PARKED ──retried (ops)──► PENDING   (the attempts ran out: undeliverable
                      │                              until ops retry it, same key and body)
                      └──skipped──► SKIPPED          (its grant payment was cancelled)

A final state repeats its own event (a duplicated delivery report) and refuses every
other: :class:`IllegalNoticeTransition`; the first final report wins.
"""

from __future__ import annotations

from enum import StrEnum

from notifier.errors import IllegalNoticeTransition


class NoticeState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DELIVERED = "delivered"
    FAILED = "failed"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"
    PARKED = "parked"


class NoticeEvent(StrEnum):
    ACCEPTED = "accepted"
    RETRYABLE_FAILURE = "retryable_failure"
    REFUSED = "refused"
    SKIPPED = "skipped"
    ABANDONED = "abandoned"
    DELIVERED = "delivered"
    FAILED = "failed"
    EXPIRED = "expired"
    REPORT_OVERDUE = "report_overdue"
    PARKED = "parked"
    RETRIED = "retried"


_S, _E = NoticeState, NoticeEvent
_REPORTS = {_E.DELIVERED: _S.DELIVERED, _E.FAILED: _S.FAILED, _E.EXPIRED: _S.EXPIRED}
TRANSITIONS: dict[tuple[NoticeState, NoticeEvent], NoticeState] = {
    (_S.PENDING, _E.ACCEPTED): _S.ACCEPTED,
    (_S.PENDING, _E.RETRYABLE_FAILURE): _S.PENDING,
    (_S.PENDING, _E.REFUSED): _S.FAILED,
    (_S.PENDING, _E.SKIPPED): _S.SKIPPED,
    (_S.PENDING, _E.ABANDONED): _S.UNKNOWN,
    (_S.ACCEPTED, _E.ACCEPTED): _S.ACCEPTED,
    (_S.ACCEPTED, _E.REPORT_OVERDUE): _S.UNKNOWN,
    (_S.UNKNOWN, _E.REPORT_OVERDUE): _S.UNKNOWN,
    **{(_S.ACCEPTED, event): state for event, state in _REPORTS.items()},
    **{(_S.UNKNOWN, event): state for event, state in _REPORTS.items()},
    **{(state, event): state for event, state in _REPORTS.items()},
    (_S.SKIPPED, _E.SKIPPED): _S.SKIPPED,
    (_S.PENDING, _E.PARKED): _S.PARKED,
    (_S.PARKED, _E.RETRIED): _S.PENDING,
    (_S.PARKED, _E.SKIPPED): _S.SKIPPED,  # its grant was cancelled: no retry may send it
}
FINAL = frozenset({_S.DELIVERED, _S.FAILED, _S.EXPIRED, _S.SKIPPED})


def next_state(state: NoticeState, event: NoticeEvent) -> NoticeState:
    """The notice's state after ``event``; IllegalNoticeTransition if ``state`` refuses it."""
    try:
        return TRANSITIONS[state, event]
    except KeyError:
        raise IllegalNoticeTransition(f"notice {state}: {event} is not allowed") from None


def report_event(status: str) -> NoticeEvent:
    """The event of a delivery report's status (``DELIVERED``, ``FAILED``, ``EXPIRED``)."""
    return NoticeEvent(status.lower())
