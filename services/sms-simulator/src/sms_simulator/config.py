"""Settings of the SMS-gateway simulator, from the environment.

| variable | default | what |
| --- | --- | --- |
| ``SMS_SIM_HOST`` | ``127.0.0.1`` | address to bind |
| ``SMS_SIM_PORT`` | ``18082`` | port to bind |
| ``SMS_SIM_JOURNAL`` | unset | JSON-lines journal of accepted messages (unset: memory only) |
| ``SMS_SIM_SEED`` | unset | seed of the fault dice, for a reproducible run |
| ``SMS_REPORT_SECRET`` | a development secret | signs the delivery reports (ADR 0017) |
| ``SMS_SIM_<FAULT>`` | see ``Faults`` | e.g. ``SMS_SIM_SERVER_ERROR_RATE=0.1``, |
| | | ``SMS_SIM_RATE_LIMIT=20``, ``SMS_SIM_OUTAGE=true`` |
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from benefits_shared.report_signature import DEV_SMS_REPORT_SECRET
from benefits_shared.settings import CommonSettings
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from sms_simulator.faults import Faults


class SimulatorSettings(CommonSettings):
    SIMULATOR: ClassVar[str | None] = "sms-simulator"

    sms_sim_host: str = Field(default="127.0.0.1")
    sms_sim_port: int = Field(default=18082, ge=0, le=65535)
    sms_sim_journal: Path | None = None
    sms_sim_seed: int | None = None
    #: Signs every delivery report (``X-Report-Signature``); the notifier has the same.
    sms_report_secret: SecretStr = SecretStr(DEV_SMS_REPORT_SECRET)


class FaultSettings(BaseSettings, Faults):
    """The faults at start: every field of ``Faults`` as ``SMS_SIM_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SMS_SIM_", extra="ignore", frozen=True)

    def faults(self) -> Faults:
        return Faults.model_validate(self.model_dump())
