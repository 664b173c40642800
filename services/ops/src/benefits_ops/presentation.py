"""How the console writes things: dates in Asia/Baku, money as AZN, hashes shortened (pure)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from benefits_shared.clock import BAKU
from benefits_shared.money import CURRENCY, round_half_up
from jinja2 import Environment


def baku_time(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M")
    return when.astimezone(BAKU).strftime("%Y-%m-%d %H:%M")


def baku_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    return value if isinstance(value, str) else value.isoformat()


def azn(value: Decimal | str | int | None) -> str:
    """``1234.5`` → ``1 234.50 AZN``; not a number → as given."""
    if value is None or value == "":
        return ""
    try:
        amount = round_half_up(Decimal(str(value)))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f}".replace(",", "\u202f") + f" {CURRENCY}"


def short_hash(value: str | None) -> str:
    return f"{value[:10]}…" if value and len(value) > 12 else (value or "")


def install_filters(env: Environment) -> None:
    filters: dict[str, Any] = {
        "baku_time": baku_time,
        "baku_date": baku_date,
        "azn": azn,
        "short": short_hash,
    }
    env.filters.update(filters)
