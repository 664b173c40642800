"""The notifier's consumer reads the values of the types its handler applies (ADR 33)."""

from benefits_shared.contracts.payments import (
    OwedToEstate,
    PaymentRejected,
    PaymentSettled,
    PaymentSubmitted,
    RecoveryOpened,
)
from benefits_shared.contracts.progress import PopulationCopyProgress
from benefits_shared.service_runtime import not_applied
from notifier.config import NotifierSettings
from notifier.entrypoints.event_handler import APPLIES


def test_of_the_types_on_its_topics_the_notifier_leaves_alone_those_no_notice_needs() -> None:
    """Decisions, accounts, persons and a grant's cancelled payment make or change notices;
    the rest of the payments topic and the population copy's progress do not. A new type
    on these topics fails here until it is applied or named."""
    topics = NotifierSettings.model_fields["notifier_input_topics"].default
    assert not_applied(topics, APPLIES) == {
        PaymentSubmitted,
        PaymentSettled,
        PaymentRejected,
        RecoveryOpened,
        OwedToEstate,
        PopulationCopyProgress,
    }
