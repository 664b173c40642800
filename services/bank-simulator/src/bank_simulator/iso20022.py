"""The ``pain.001.001.09`` schema the bank validates every document against.

The official XSD comes from the ``sepaxml`` package (``sepaxml/schemas/``, as published by
ISO 20022 and reproduced freely under its terms of use); only the file is used. Loading it
and the safe parser are the shared library's (:mod:`benefits_shared.iso20022`).
"""

from __future__ import annotations

from typing import Any

from benefits_shared.iso20022 import packaged_schema
from benefits_shared.iso20022 import safe_parser as safe_parser

PAIN001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
PAIN002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"


def pain001_schema() -> Any:
    return packaged_schema("sepaxml", "schemas", "pain.001.001.09.xsd")
