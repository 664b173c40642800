"""Every store of the gateway over one set of tables (one schema)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from benefits_shared.pin import PinHasher

from bank_gateway.adapters.account_store import AccountStore
from bank_gateway.adapters.case_store import CaseStore
from bank_gateway.adapters.document_store import DocumentStore
from bank_gateway.adapters.ops_store import OpsStore
from bank_gateway.adapters.payment_store import PaymentStore
from bank_gateway.adapters.tables import GatewayTables


@dataclass(frozen=True)
class Stores:
    tables: GatewayTables
    cases: CaseStore
    accounts: AccountStore
    payments: PaymentStore
    documents: DocumentStore
    ops: OpsStore

    @classmethod
    def over(cls, tables: GatewayTables, hasher: PinHasher, lease: timedelta) -> Stores:
        """``lease``: how long a claimed bank call is left to its worker before a retry."""
        return cls(
            tables,
            CaseStore(tables, hasher),
            AccountStore(tables, lease),
            PaymentStore(tables, hasher),
            DocumentStore(tables, lease),
            OpsStore(tables, hasher),
        )
