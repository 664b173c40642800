"""What the generator is asked for: size, seed, period and the rates of the world's mess."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class Messiness:
    """How often each real-world defect appears (probabilities in 0..1)."""

    redelivery_rate: float = 0.01  # a civil record delivered again with a later seq
    seq_gap_rate: float = 0.02  # seq jumps by 2..50 before a record
    malformed_rate: float = 0.005  # a civil record damaged (missing field, bad PIN, bad date)
    cancellation_rate: float = 0.01  # a birth registered twice (then cancelled) or in error
    correction_rate: float = 0.01  # a birth or death record corrected later
    mse_reupload_rate: float = 0.05  # an MSE file uploaded again under the same name
    mse_bad_row_rate: float = 0.01  # an MSE row damaged (PIN, date, group, columns)
    mse_correction_rate: float = 0.8  # a file with bad rows followed by a corrected _2
    mse_empty_file_rate: float = 0.03  # a day's file uploaded header-only, rows come in _2


@dataclass(frozen=True, slots=True)
class GeneratorOptions:
    persons: int
    seed: int
    start: date
    days: int
    history_years: int = 10  # births this many years before start are in the civil feed too
    mess: Messiness = Messiness()

    def __post_init__(self) -> None:
        if self.persons < 1 or self.days < 1 or self.history_years < 0:
            raise ValueError("persons and days must be positive, history_years not negative")
        if self.start.year < 1980:
            raise ValueError("start must be 1980 or later")
        for name, rate in asdict(self.mess).items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")

    @property
    def end(self) -> date:
        """The first day after the period."""
        return self.start + timedelta(days=self.days)

    @property
    def history_start(self) -> date:
        return self.start.replace(year=self.start.year - self.history_years, day=1)

    def as_manifest(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        return data
