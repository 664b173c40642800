"""What the notifier does next, by the error's class.

::

    BenefitsError (benefits_shared)
    ├── PermanentError                 never succeeds as it is: dead-letter, ops look at it
    │   └── NoticeNotRenderable        no SMS text can be made for this decision
    │       ├── MissingNoticeField     the decision lacks what the notice must say
    │       └── UnsafeNoticeText       the text would carry a PIN or a full account number
    └── TransientError                 retry later with the same idempotency key
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError


class NoticeNotRenderable(PermanentError):
    """Rendering this notice fails whatever the retry."""


class MissingNoticeField(NoticeNotRenderable):
    """E.g. a B2 decision without a monthly rate, or an "ended" notice without an end day."""


class UnsafeNoticeText(NoticeNotRenderable):
    """The guard found a PIN-shaped token, an IBAN or a long digit run in the text."""
