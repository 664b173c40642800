"""``python -m sms_simulator``: serve the simulated SMS gateway on 127.0.0.1."""

from __future__ import annotations

import uvicorn
from benefits_shared import json_logging
from benefits_shared.pin import PinHasher
from simulator_kit.holding import GRACEFUL_SHUTDOWN_SECONDS

from sms_simulator.config import SimulatorSettings


def main() -> None:
    settings = SimulatorSettings()
    json_logging.configure(
        "sms-simulator", PinHasher(settings.pin_hmac_key.get_secret_value()), settings.log_level
    )
    uvicorn.run(
        "sms_simulator.bootstrap:create_app",
        factory=True,
        host=settings.sms_sim_host,
        port=settings.sms_sim_port,
        log_config=None,
        loop="uvloop",
        http="httptools",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


if __name__ == "__main__":
    main()
