"""The ISO 20022 schemas and a safe XML parser.

The official ``pain.001.001.09`` XSD comes from the ``sepaxml`` package
(``sepaxml/schemas/pain.001.001.09.xsd``, as published by ISO 20022, reproduced freely
under its terms of use); only the file is used, not sepaxml's SEPA-specific generator.
Loaded on first use, then kept.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

PAIN001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
PAIN002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"


def parser() -> Any:
    """An XML parser that resolves no entity and fetches nothing from the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@cache
def pain001_schema() -> Any:
    """The ``pain.001.001.09`` XSD as an lxml ``XMLSchema``."""
    source = files("sepaxml").joinpath("schemas", "pain.001.001.09.xsd")
    with source.open("rb") as xsd:
        return etree.XMLSchema(etree.parse(xsd, parser()))


def schema_errors(schema: Any, document: Any) -> list[str]:
    """The schema's complaints about a parsed document, one line each (empty: valid)."""
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
