"""A decision's reason in plain words, for the call centre (pure).

The engine's ``reason`` on ``benefit-decisions`` is ``"<benefit> <outcome>: <why>."``
(e.g. ``"B1 rejected: the child was born on 2024-12-30, before the programme start
2025-01-01."``). The decision contract carries no structured reason code, so this module
reads that shape: the benefit and outcome become words, the ``why`` is kept as the
engine wrote it. A reason of another shape is shown as it is.
"""

from __future__ import annotations

import re

BENEFITS = {"B1": "Birth grant", "B2": "Disability allowance", "B3": "Funeral allowance"}
OUTCOMES = {
    "assigned": "granted",
    "rejected": "refused",
    "revoked": "withdrawn",
    "ended": "ended",
    "unresolved": "could not be decided",
    "reexamination_due": "re-examination due",
}
_REASON = re.compile(r"^(B[1-3])\s+([a-z_]+):\s*(.*?)\.?\s*$", re.DOTALL)


def benefit_name(code: str) -> str:
    return BENEFITS.get(code, code)


def outcome_word(outcome: str) -> str:
    return OUTCOMES.get(outcome, outcome.replace("_", " "))


def headline(benefit: str, outcome: str) -> str:
    """``B1``, ``rejected`` → ``Birth grant refused``."""
    return f"{benefit_name(benefit)} {outcome_word(outcome)}"


def explain(reason: str) -> str:
    """The engine's reason as a sentence: ``Birth grant refused: the child was born …``."""
    match = _REASON.match(reason.strip())
    if match is None:
        return reason
    benefit, outcome, why = match.groups()
    sentence = headline(benefit, outcome)
    return f"{sentence}: {why}." if why else f"{sentence}."
