"""The engine's consumer reads the values of the types its handler applies (ADR 33)."""

from benefits_shared.contracts.payments import (
    AccountOpened,
    OwedToEstate,
    PaymentCancelled,
    PaymentRejected,
    PaymentSubmitted,
    RecoveryOpened,
)
from benefits_shared.service_runtime import not_applied
from eligibility_engine.config import EngineSettings
from eligibility_engine.entrypoints.event_handler import APPLIES


def test_of_the_types_on_its_topics_the_engine_leaves_only_the_banks_own_alone() -> None:
    """A payment settled is a fact of a case (B2's arrears); the rest of the payments
    topic is the gateway's bookkeeping. A new type on these topics fails here until it is
    applied or named."""
    topics = EngineSettings.model_fields["engine_input_topics"].default
    assert not_applied(topics, APPLIES) == {
        AccountOpened,
        PaymentSubmitted,
        PaymentRejected,
        RecoveryOpened,
        PaymentCancelled,
        OwedToEstate,
    }
