"""``python -m bank_simulator``: serve the partner-bank simulator on 127.0.0.1."""

from __future__ import annotations

import uvicorn
from benefits_shared.json_logging import configure
from benefits_shared.pin import PinHasher
from simulator_kit.holding import GRACEFUL_SHUTDOWN_SECONDS

from bank_simulator.bootstrap import build_app
from bank_simulator.config import BankSimulatorSettings


def main() -> None:
    settings = BankSimulatorSettings()
    configure(
        "bank-simulator", PinHasher(settings.pin_hmac_key.get_secret_value()), settings.log_level
    )
    app = build_app(settings)
    uvicorn.run(
        app,
        host=settings.bank_sim_host,
        port=settings.bank_sim_port,
        log_config=None,
        loop="uvloop",
        http="httptools",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


if __name__ == "__main__":
    main()
