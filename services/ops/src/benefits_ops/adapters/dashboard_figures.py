"""The dashboard's figures from the projection: what moved in the last minute and today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from benefits_shared.clock import BAKU
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.adapters.tables import OpsTables

WINDOW_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Figures:
    events_per_second: float
    events_total: int
    payments_today: int
    paid_today: Decimal
    sms_today: int
    sms_segments_today: int
    dead_letters_open: int


class DashboardFigures:
    def __init__(self, tables: OpsTables) -> None:
        self._schema = tables.metadata.schema

    async def read(self, s: AsyncSession, now: datetime) -> Figures:
        midnight = datetime.combine(now.astimezone(BAKU).date(), time(0), BAKU)
        row = (
            await s.execute(
                text(
                    f"""SELECT
  (SELECT count(*) FROM {self._q("events")}
     WHERE projected_at > now() - make_interval(secs => :window)) AS recent,
  (SELECT count(*) FROM {self._q("events")}) AS total,
  (SELECT count(*) FROM {self._q("events")}
     WHERE ce_type LIKE '%payment-settled%' AND ce_time >= :midnight) AS payments,
  (SELECT coalesce(sum((payload->>'amount')::numeric), 0) FROM {self._q("events")}
     WHERE ce_type LIKE '%payment-settled%' AND ce_time >= :midnight) AS paid,
  (SELECT count(*) FROM {self._q("events")} WHERE ce_type LIKE '%notice-changed%'
     AND payload->>'state' = 'accepted' AND ce_time >= :midnight) AS sms,
  (SELECT coalesce(sum((payload->>'segments')::int), 0) FROM {self._q("events")}
     WHERE ce_type LIKE '%notice-changed%' AND payload->>'state' = 'accepted'
     AND ce_time >= :midnight) AS segments,
  (SELECT count(*) FROM {self._q("dead_letters")} WHERE state = 'open') AS dead"""  # noqa: S608
                ),
                {"window": WINDOW_SECONDS, "midnight": midnight},
            )
        ).one()
        return Figures(
            round(row.recent / WINDOW_SECONDS, 1),
            row.total,
            row.payments,
            Decimal(row.paid),
            row.sms,
            int(row.segments),
            row.dead,
        )

    def _q(self, table: str) -> str:
        return f'"{self._schema}".{table}'
