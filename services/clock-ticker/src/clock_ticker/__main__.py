"""``clock-ticker [--once]``: tick until SIGTERM, or catch up once and exit."""

from __future__ import annotations

import asyncio
import sys

from benefits_shared import json_logging
from benefits_shared.health import HealthServer
from benefits_shared.lifecycle import install_stop_signals, run
from benefits_shared.pin import PinHasher

from clock_ticker.bootstrap import build, probes
from clock_ticker.config import TickerSettings
from clock_ticker.ticker import Ticker


async def _main(once: bool) -> None:
    settings = TickerSettings()
    json_logging.configure(
        "clock-ticker", PinHasher(settings.pin_hmac_key.get_secret_value()), settings.log_level
    )
    ticker = build(settings)
    await ticker.start()
    try:
        if once:
            await ticker.tick_once()
        else:
            parts: list[Ticker | HealthServer] = [ticker, *probes(settings, ticker)]
            install_stop_signals(*parts)
            await asyncio.gather(*(part.run() for part in parts))
    finally:
        await ticker.close()


def main() -> None:
    run(lambda: _main("--once" in sys.argv[1:]))


if __name__ == "__main__":
    main()
