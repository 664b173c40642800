"""The cases a batch decides, in memory: their states and the decisions made, until
``decision_store`` writes them. Pure: no I/O.

A decision is made only when it says something else than the case's last one; it
supersedes that one and is the case's next position. The case's state moves with it, so
a case decided twice in a batch (a clock tick, then an event) reads its own first decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from benefits_shared.contracts.decisions import BenefitDecided

from eligibility_engine.decision_ids import fingerprint
from eligibility_engine.decisions import benefit_decided
from eligibility_engine.outcomes import RuleResult

State = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Decided:
    """Decisions made (with their positions in their cases) and the states they left."""

    decisions: list[tuple[BenefitDecided, int]]
    states: list[State]
    #: Case id → the trace context of the record that led to deciding it (ADR 0015).
    traces: dict[str, str] = field(default_factory=dict)


@dataclass
class CaseBook:
    states: dict[str, State] = field(default_factory=dict)
    decided: list[tuple[BenefitDecided, int]] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    traces: dict[str, str] = field(default_factory=dict)

    def knows(self, case_id: str) -> bool:
        """Whether the state of ``case_id`` was read (or made) in this batch."""
        return case_id in self.states

    def state(self, case_id: str) -> State:
        """The case's stored state; empty when it has none yet."""
        return self.states[case_id]

    def exists(self, case_id: str) -> bool:
        return bool(self.states.get(case_id))

    def record(
        self, case_id: str, subject: str, result: RuleResult, on: date
    ) -> BenefitDecided | None:
        """The new decision of the case, or None when it says what the last one said."""
        state = self.states.get(case_id, {})
        mark = fingerprint(result)
        if state.get("last_fingerprint") == mark:
            return None
        decided = benefit_decided(result, case_id, on, state.get("last_decision_id"), mark)
        position = int(state.get("decision_count") or 0) + 1
        self.decided.append((decided, position))
        self.states[case_id] = _next_state(state, case_id, subject, result, decided, position)
        self.states[case_id]["last_fingerprint"] = mark
        self.changed.add(case_id)
        return decided

    def take(self) -> Decided:
        """The decisions made since the last take, to be stored; the states are kept."""
        taken = Decided(
            self.decided, [self.states[c] for c in sorted(self.changed)], dict(self.traces)
        )
        self.decided = []
        self.changed = set()
        return taken


def _next_state(
    state: State,
    case_id: str,
    subject: str,
    result: RuleResult,
    decided: BenefitDecided,
    position: int,
) -> State:
    new: State = {"grant_state": "none", **state}
    new.update(
        case_id=case_id,
        benefit=result.benefit,
        subject=subject,
        last_decision_id=decided.decision_id,
        last_outcome=decided.outcome,
        decision_count=position,
        reexamination_on=result.reexamination_on,
    )
    if result.outcome == "assigned" and state.get("grant_state", "none") == "none":
        new["grant_state"] = "assigned"
    if result.outcome == "assigned" and result.recipient is not None:
        new["granted_to"] = result.recipient.pin
    if result.entitlement is not None:
        new["period_start"] = result.entitlement.start
        new["period_end"] = result.entitlement.end
    return new
