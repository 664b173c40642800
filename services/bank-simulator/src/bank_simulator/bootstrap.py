"""Wire the simulator once: the only reader of settings."""

from __future__ import annotations

import random

from benefits_shared.clock import Clock, SystemClock
from fastapi import FastAPI

from bank_simulator.adapters.journal import JsonLinesJournal, MemoryJournal
from bank_simulator.bank import Bank, Journal
from bank_simulator.config import BankSimulatorSettings
from bank_simulator.entrypoints.app import create_app
from bank_simulator.faults import Faults, FaultSettings


def fault_settings(settings: BankSimulatorSettings) -> FaultSettings:
    return FaultSettings(
        outage=settings.bank_sim_outage,
        error_rate=settings.bank_sim_error_rate,
        timeout_rate=settings.bank_sim_timeout_rate,
        timeout_hold_seconds=settings.bank_sim_timeout_hold_seconds,
        rate_limit_per_second=settings.bank_sim_rate_limit_per_second,
        retry_after_seconds=settings.bank_sim_retry_after_seconds,
        rate_limited_rate=settings.bank_sim_rate_limited_rate,
        settlement_delay_seconds=settings.bank_sim_settlement_delay_seconds,
    )


def build_app(
    settings: BankSimulatorSettings,
    *,
    clock: Clock | None = None,
    journal: Journal | None = None,
) -> FastAPI:
    """The app over a bank restored from its journal: ``journal`` if given, else the JSON-lines
    file of ``BANK_SIM_LEDGER_PATH``, else memory."""
    clock = clock or SystemClock()
    bank = Bank(journal or _journal(settings), clock, settings.bank_sim_bank_code)
    faults = Faults(fault_settings(settings), clock, random.Random(settings.bank_sim_seed))
    return create_app(bank, faults)


def _journal(settings: BankSimulatorSettings) -> Journal:
    path = settings.bank_sim_ledger_path
    return JsonLinesJournal(path) if path is not None else MemoryJournal()
