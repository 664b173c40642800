"""The ISO 20022 schemas the gateway writes against, and a safe XML parser.

The official ``pain.001.001.09`` XSD comes from the ``sepaxml`` package
(``sepaxml/schemas/pain.001.001.09.xsd``, as published by ISO 20022, reproduced freely
under its terms of use); only the file is used, not sepaxml's SEPA-specific generator.
Loading it and the parser are the shared library's (:mod:`benefits_shared.iso20022`).
"""

from __future__ import annotations

from typing import Any

from benefits_shared.iso20022 import packaged_schema, safe_parser

PAIN001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
PAIN002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"


def parser() -> Any:
    """An XML parser that resolves no entity and fetches nothing from the network."""
    return safe_parser()


def pain001_schema() -> Any:
    """The ``pain.001.001.09`` XSD as an lxml ``XMLSchema``."""
    return packaged_schema("sepaxml", "schemas", "pain.001.001.09.xsd")


def schema_errors(schema: Any, document: Any) -> list[str]:
    """The schema's complaints about a parsed document, one line each (empty: valid)."""
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
