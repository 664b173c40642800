"""A port free on 127.0.0.1 now, for a server a test, a bench or a local run starts."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port the system just gave out and took back: free now, unless another takes it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
