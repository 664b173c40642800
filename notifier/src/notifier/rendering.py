"""The SMS text of a notice: its language's template filled in, then checked.

A text is the kind's sentence, the account sentence when the bank and the account's last
4 characters are known, and the language's closing line (the decision reference and the
call centre, 142). Before it leaves, a guard refuses any text holding a PIN-shaped token,
an Azerbaijani IBAN (28 characters, spaced or not) or a run of 12 or more digits (a card
or account number): a notice never carries those, whatever the data.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from string import Template

import yaml
from benefits_shared.contracts.persons import Language
from benefits_shared.pin import PIN_PATTERN
from pydantic import BaseModel, ConfigDict

from notifier import local_formats
from notifier.errors import MissingNoticeField, UnsafeNoticeText
from notifier.notice_fields import NoticeFields
from notifier.notice_kinds import NoticeKind

LANGUAGES: tuple[Language, ...] = ("az", "ru", "en")
_PIN_TOKEN = re.compile(rf"(?<![0-9A-Za-z]){PIN_PATTERN.pattern}(?![0-9A-Za-z])")
_IBAN = re.compile(r"AZ\d{2}(?:\s?[0-9A-Z]){24}", re.IGNORECASE)
_LONG_DIGITS = re.compile(r"\d{12,}")


class NoticeTemplate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    account: str


class LanguageTemplates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: Language
    closing: str
    notices: dict[NoticeKind, NoticeTemplate]


@functools.cache
def templates(language: Language) -> LanguageTemplates:
    source = resources.files("notifier") / "templates" / f"{language}.yaml"
    loaded = LanguageTemplates.model_validate(yaml.safe_load(source.read_text(encoding="utf-8")))
    if loaded.language != language or set(loaded.notices) != set(NoticeKind):
        raise ValueError(f"templates/{language}.yaml must hold every notice kind for {language}")
    return loaded


def render(kind: NoticeKind, language: Language, fields: NoticeFields) -> str:
    """The SMS text; MissingNoticeField or UnsafeNoticeText when none can be sent."""
    chosen = templates(language)
    notice = chosen.notices[kind]
    parts = [notice.text, notice.account if fields.account_known else None, chosen.closing]
    values = _values(language, fields)
    text = " ".join(_fill(part, values) for part in parts if part)
    guard(text)
    return text


def guard(text: str) -> None:
    """Refuse a text that would carry a PIN, an IBAN or a full card or account number."""
    for name, pattern in (("PIN", _PIN_TOKEN), ("IBAN", _IBAN), ("long number", _LONG_DIGITS)):
        if pattern.search(text):
            raise UnsafeNoticeText(f"the notice text holds a {name}-shaped token")


def _values(language: Language, fields: NoticeFields) -> dict[str, str]:
    values = {"amount": local_formats.amount(fields.amount, language)}
    values["reference"] = fields.reference
    if fields.until is not None:
        values["until"] = local_formats.day(fields.until, language)
    if fields.account_known:
        values["bank"] = fields.bank_name or ""
        values["last4"] = fields.account_last4 or ""
    return values


def _fill(template: str, values: dict[str, str]) -> str:
    try:
        return Template(" ".join(template.split())).substitute(values)
    except KeyError as missing:
        raise MissingNoticeField(f"the notice needs {missing.args[0]}") from None
