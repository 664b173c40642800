"""Free-text fields of requests that PostgreSQL can store: no NUL, no lone surrogate."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field


def storable(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode") from exc
    return text


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(storable)]
Note = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(storable)]
Key = Annotated[str, Field(min_length=3, max_length=300), AfterValidator(storable)]
Reason = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(storable)]
