"""An httpx transport that meters every call to a partner and carries the trace context.

``MeteredTransport(partner, inner)`` wraps the transport of a service's partner client
(by default ``AiohttpTransport``, ``benefits_shared.http_transport``):

- counts the call in ``benefits_partner_calls_total`` by endpoint template and status
  (``error`` when no answer came) and observes its latency;
- adds the W3C ``traceparent`` of the current trace (``benefits_shared.tracing``) to
  the request, so the partner's logs name the journey.

The endpoint label is the URL path with every segment that is not a plain lower-case word
(``accounts``, ``v1``) replaced by ``{id}``: a PIN, a phone, an IBAN or a message id in a
path never becomes a label.
"""

from __future__ import annotations

import re
import time

import httpx

from benefits_shared.http_transport import AiohttpTransport
from benefits_shared.metrics import PARTNER_CALL_DURATION, PARTNER_CALLS
from benefits_shared.tracing import client_span

_WORD = re.compile(r"^(?:[a-z][a-z_-]*|v\d{1,2})$")


def endpoint_template(path: str) -> str:
    """``/persons/1ABC234/phone`` → ``/persons/{id}/phone``."""
    segments = [s if _WORD.match(s) else "{id}" for s in path.split("/") if s]
    return "/" + "/".join(segments)


class MeteredTransport(httpx.AsyncBaseTransport):
    def __init__(self, partner: str, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._partner = partner
        self._inner = inner or AiohttpTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        endpoint = endpoint_template(request.url.path)
        labels = {"partner": self._partner, "method": request.method, "endpoint": endpoint}
        with client_span(f"{request.method} {endpoint}", self._partner) as traceparent:
            if traceparent is not None:
                request.headers["traceparent"] = traceparent
            started = time.perf_counter()
            status = "error"
            try:
                response = await self._inner.handle_async_request(request)
                status = str(response.status_code)
                return response
            finally:
                PARTNER_CALL_DURATION.labels(**labels).observe(time.perf_counter() - started)
                PARTNER_CALLS.labels(**labels, status=status).inc()

    async def aclose(self) -> None:
        await self._inner.aclose()
