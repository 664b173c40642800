"""What the ``pain.001.001.09`` XSD cannot check, checked on the parsed document.

- every amount is AZN, positive, with exactly two decimals (the XSD allows any currency
  code and five decimals);
- ``NbOfTxs`` and ``CtrlSum`` (group and payment block) match the transactions;
- every IBAN is a 28-character Azerbaijani IBAN with the right check digits;
- no ``EndToEndId`` appears twice.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

from benefits_shared.money import CURRENCY

from bank_gateway.iban import is_valid_az_iban
from bank_gateway.iso20022 import PAIN001

NS = {"p": PAIN001}
TWO_DECIMALS = re.compile(r"[0-9]+\.[0-9]{2}")


def rule_errors(document: Any) -> list[str]:
    """Every broken rule, one line each (empty: the document keeps them all)."""
    return [
        *_amount_errors(document),
        *_control_errors(document.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS), document),
        *(e for b in document.iterfind(".//p:PmtInf", NS) for e in _control_errors(b, b)),
        *_iban_errors(document),
        *_duplicate_errors(document),
    ]


def _amount_errors(document: Any) -> list[str]:
    errors = []
    for amount in document.iterfind(".//p:InstdAmt", NS):
        if amount.get("Ccy") != CURRENCY:
            errors.append(f"InstdAmt in {amount.get('Ccy')}, not {CURRENCY}")
        if not TWO_DECIMALS.fullmatch(amount.text or "") or Decimal(amount.text) <= 0:
            errors.append(f"InstdAmt {amount.text!r} is not a positive amount with two decimals")
    return errors


def _control_errors(header: Any, scope: Any) -> list[str]:
    """``NbOfTxs`` and ``CtrlSum`` of ``header`` against the transactions under ``scope``."""
    amounts = [Decimal(a.text) for a in scope.iterfind(".//p:InstdAmt", NS)]
    errors = []
    count = header.findtext("p:NbOfTxs", namespaces=NS)
    if count is not None and int(count) != len(amounts):
        errors.append(f"NbOfTxs {count} but {len(amounts)} transactions")
    total = header.findtext("p:CtrlSum", namespaces=NS)
    if total is not None and Decimal(total) != sum(amounts, Decimal(0)):
        errors.append(f"CtrlSum {total} but the amounts add up to {sum(amounts, Decimal(0))}")
    return errors


def _iban_errors(document: Any) -> list[str]:
    return [
        f"IBAN ending {(iban.text or '')[-4:]} is not a valid Azerbaijani IBAN"
        for iban in document.iterfind(".//p:IBAN", NS)
        if not is_valid_az_iban(iban.text or "")
    ]


def _duplicate_errors(document: Any) -> list[str]:
    ids = Counter(e.text for e in document.iterfind(".//p:EndToEndId", NS))
    return [f"EndToEndId {i} appears {n} times" for i, n in ids.items() if n > 1]
