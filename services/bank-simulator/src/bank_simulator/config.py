"""The bank simulator's settings (environment variables; read only by ``bootstrap.py``).

| variable | default | what |
| --- | --- | --- |
| ``BANK_SIM_HOST`` / ``BANK_SIM_PORT`` | 127.0.0.1 / 18081 | where it listens |
| ``BANK_SIM_LEDGER_PATH`` | unset: memory only | the journal file (JSON lines) |
| ``BANK_SIM_BANK_CODE`` | SOCB | the 4 letters of its IBANs |
| ``BANK_SIM_SETTLEMENT_DELAY_SECONDS`` | 2 | accepted → settled |
| ``BANK_SIM_OUTAGE`` | false | 503 to everything under /v1 |
| ``BANK_SIM_ERROR_RATE`` | 0 | share of 500/503 before the work |
| ``BANK_SIM_TIMEOUT_RATE`` / ``BANK_SIM_TIMEOUT_HOLD_SECONDS`` | 0 / 30 | time-out after work |
| ``BANK_SIM_RATE_LIMIT_PER_SECOND`` / ``BANK_SIM_RETRY_AFTER_SECONDS`` | 0 (none) / 1 | 429 |
| ``BANK_SIM_RATE_LIMITED_RATE`` | 0 | share of 429s at random, whatever the load |
| ``BANK_SIM_SEED`` | none | seeds the fault dice, for a repeatable run |
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from benefits_shared.settings import CommonSettings
from pydantic import Field


class BankSimulatorSettings(CommonSettings):
    SIMULATOR: ClassVar[str | None] = "bank-simulator"

    bank_sim_host: str = "127.0.0.1"
    bank_sim_port: int = Field(default=18081, ge=0, le=65535)
    bank_sim_ledger_path: Path | None = None
    bank_sim_bank_code: str = Field(default="SOCB", pattern=r"^[A-Z]{4}$")
    bank_sim_settlement_delay_seconds: float = Field(default=2.0, ge=0)
    bank_sim_outage: bool = False
    bank_sim_error_rate: float = Field(default=0.0, ge=0, le=1)
    bank_sim_timeout_rate: float = Field(default=0.0, ge=0, le=1)
    bank_sim_timeout_hold_seconds: float = Field(default=30.0, ge=0)
    bank_sim_rate_limit_per_second: int = Field(default=0, ge=0)
    bank_sim_retry_after_seconds: int = Field(default=1, ge=0)
    bank_sim_rate_limited_rate: float = Field(default=0.0, ge=0, le=1)
    bank_sim_seed: int | None = None
