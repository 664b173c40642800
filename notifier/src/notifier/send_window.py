"""How many hand-overs to the SMS gateway may be in flight at once: it adapts to the gateway.

Additive increase, multiplicative decrease (TCP's rule, as in Netflix's concurrency
limits): each quick answer widens the window by ``1/size`` (so by one per window of quick
answers), up to ``maximum``; a ``429`` halves it, at most once per ``calm_seconds`` (a
crowd of 429s from one burst is one signal), down to ``minimum`` (a quarter of the
maximum unless given: a 429 now and then must not starve the sender). A slow answer (a
time-out, a hang) leaves it as it is; the sender gives such a call's place back while it
waits (ADR 18), once the call has taken ``slow_after()``: four times the gateway's typical
answer (``AnswerTimes``, the hedger's rule), between 0.1 s and 1 s. A fixed second let the 5% of
calls that hang hold most of a window of 16 at 200 calls a second; a gateway slow for
everyone raises its median, so its calls keep their places.
"""

from __future__ import annotations

from collections.abc import Callable

from benefits_shared.hedging import AnswerTimes

QUICK_ANSWER_SECONDS = 1.0
#: The shortest wait before a call counts as hung.
SLOW_AFTER_MIN_SECONDS = 0.1


class SendWindow:
    def __init__(
        self,
        maximum: int,
        monotonic: Callable[[], float],
        minimum: int | None = None,
        calm_seconds: float = 1.0,
    ) -> None:
        minimum = max(1, maximum // 4) if minimum is None else minimum
        if not 1 <= minimum <= maximum:
            raise ValueError("a send window needs 1 <= minimum <= maximum")
        self.minimum, self.maximum = minimum, maximum
        self._limit = float(min(maximum, max(minimum, 4)))
        self._monotonic = monotonic
        self._calm = calm_seconds
        self._cut_at = float("-inf")
        self._answers = AnswerTimes()

    @property
    def size(self) -> int:
        """Hand-overs allowed in flight now."""
        return int(self._limit)

    def answered(self, seconds: float) -> None:
        """An answer (accepted or refused) came after ``seconds``."""
        self._answers.add(seconds)
        if seconds <= QUICK_ANSWER_SECONDS:
            self._limit = min(float(self.maximum), self._limit + 1.0 / self._limit)

    def slow_after(self) -> float:
        """How long a hand-over may wait before it counts as hung, not as the gateway's load."""
        outlier = self._answers.outlier_after()
        if outlier is None:
            return QUICK_ANSWER_SECONDS
        return min(QUICK_ANSWER_SECONDS, max(SLOW_AFTER_MIN_SECONDS, outlier))

    def rate_limited(self) -> None:
        """The gateway said ``429``: we are too many at once."""
        now = self._monotonic()
        if now - self._cut_at >= self._calm:
            self._cut_at = now
            self._limit = max(float(self.minimum), self._limit / 2)
