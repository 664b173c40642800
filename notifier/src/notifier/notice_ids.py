"""The identity of a notice: one per (decision, kind of notice), ever.

The id is a uuid5 of the decision id and the kind, so a replayed or re-delivered decision
makes the same id and the unique constraint drops the copy. The same id is the
``Idempotency-Key`` of every hand-over to the SMS gateway: stored with the notice before
the first attempt and reused on every retry, so the gateway takes the message once.
"""

from __future__ import annotations

from benefits_shared.cloudevents import deterministic_id_text

from notifier.notice_kinds import NoticeKind


def notice_id(decision_id: str, kind: NoticeKind) -> str:
    return deterministic_id_text("notice", decision_id, kind.value)
