"""``clock-ticker [--once]``: tick until SIGTERM, or catch up once and exit."""

from __future__ import annotations

import asyncio
import sys

from benefits_shared import json_logging
from benefits_shared.lifecycle import install_stop_signals
from benefits_shared.pin import PinHasher

from clock_ticker.bootstrap import build
from clock_ticker.config import TickerSettings


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
            install_stop_signals(ticker)
            await ticker.run()
    finally:
        await ticker.close()


def main() -> None:
    asyncio.run(_main("--once" in sys.argv[1:]))


if __name__ == "__main__":
    main()
