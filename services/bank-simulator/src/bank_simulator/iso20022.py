"""The ``pain.001.001.09`` schema the bank validates every document against.

The official XSD comes from the ``sepaxml`` package (``sepaxml/schemas/``, as published by
ISO 20022 and reproduced freely under its terms of use); only the file is used.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

PAIN001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
PAIN002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"


def safe_parser() -> Any:
    """A parser that resolves no entity and fetches nothing: documents come from outside."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@cache
def pain001_schema() -> Any:
    with files("sepaxml").joinpath("schemas", "pain.001.001.09.xsd").open("rb") as xsd:
        return etree.XMLSchema(etree.parse(xsd, safe_parser()))
