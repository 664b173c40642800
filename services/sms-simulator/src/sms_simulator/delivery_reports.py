"""What the gateway reports back about a message, when, and how many times.

The real world's delivery reports come late, twice, out of order, or never; the plan for
one message draws each of those from the faults in force when it was accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulator_kit.faults import Chance

from sms_simulator.faults import Faults

Status = Literal["DELIVERED", "FAILED", "EXPIRED"]
ERRORS: dict[Status, str | None] = {
    "DELIVERED": None,
    "FAILED": "subscriber absent",
    "EXPIRED": "validity period expired",
}


@dataclass(frozen=True, slots=True)
class ReportPlan:
    """``copies`` 0 means the report never comes; ``held`` means it waits until a report
    of a later message was sent (out of order), or ``delay_seconds`` at the latest.
    """

    status: Status
    copies: int
    delay_seconds: float
    held: bool

    @property
    def error(self) -> str | None:
        return ERRORS[self.status]


def plan_report(faults: Faults, chance: Chance) -> ReportPlan:
    late = chance.happens(faults.late_report_rate)
    held = chance.happens(faults.out_of_order_report_rate)
    return ReportPlan(
        status=_status(faults, chance),
        copies=_copies(faults, chance),
        delay_seconds=faults.late_report_seconds if late or held else faults.report_delay_seconds,
        held=held,
    )


def _status(faults: Faults, chance: Chance) -> Status:
    if chance.happens(faults.failed_rate):
        return "FAILED"
    if chance.happens(faults.expired_rate):
        return "EXPIRED"
    return "DELIVERED"


def _copies(faults: Faults, chance: Chance) -> int:
    if chance.happens(faults.lost_report_rate):
        return 0
    return 2 if chance.happens(faults.duplicate_report_rate) else 1
