"""``bank-gateway``: run the gateway until SIGTERM; ``bank-gateway payroll --month YYYY-MM``:
run the B2 payroll of a month that has ended (the running gateway pays what it stores)."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from benefits_shared.clock import SystemClock
from benefits_shared.lifecycle import run
from benefits_shared.money import Money

from bank_gateway import bootstrap
from bank_gateway.config import BankGatewaySettings
from bank_gateway.errors import MonthNotClosed


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = BankGatewaySettings()
    if args.command != "payroll":
        run(lambda: bootstrap.run(settings))
        return
    try:
        result = run(lambda: bootstrap.run_payroll(settings, args.month, SystemClock()))
    except MonthNotClosed as early:
        raise SystemExit(str(early)) from None
    total = Money(result.total).format()
    owed = f", {result.owed_to_estate} months owed to the estate" if result.owed_to_estate else ""
    print(f"payroll {result.month:%Y-%m}: {result.payments} new payments, {total}{owed}")  # noqa: T201


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bank-gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    payroll = commands.add_parser("payroll", help="run the B2 payroll of one month")
    payroll.add_argument("--month", type=_month, required=True, help="YYYY-MM")
    return parser


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 (a calendar month)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month: {text!r} (YYYY-MM)") from None


if __name__ == "__main__":
    main()
