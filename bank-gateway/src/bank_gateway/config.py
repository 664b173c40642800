"""The bank gateway's settings (environment variables; read only by ``bootstrap.py``).

``BANK_API_URL`` comes from the shared configuration contract; the rest says who pays:
the agency's name and account at the partner bank, and the bank's BIC and public name
(the name goes into notices with the last 4 characters of the account).
"""

from __future__ import annotations

from benefits_shared.settings import EndpointSettings
from pydantic import Field

#: The IBAN registry's Azerbaijani example account; a real deployment sets its own.
EXAMPLE_AGENCY_IBAN = "AZ21NABZ00000000137010001944"


class BankGatewaySettings(EndpointSettings):
    agency_name: str = Field(default="Social Benefits Agency")
    agency_iban: str = Field(default=EXAMPLE_AGENCY_IBAN)
    agency_bank_bic: str = Field(default="NABZAZ2X")
    bank_name: str = Field(default="Partner Bank")
    bank_timeout_seconds: float = Field(default=10.0, gt=0)
