"""docs/notices.md is what ``python -m notifier.render_docs`` prints today."""

from __future__ import annotations

from pathlib import Path

from notifier.notice_kinds import NoticeKind
from notifier.render_docs import document

DOC = Path(__file__).resolve().parents[3] / "docs" / "notices.md"


def test_docs_notices_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == document(), (
        "docs/notices.md is out of date: uv run python -m notifier.render_docs > docs/notices.md"
    )


def test_the_document_shows_every_kind_in_every_language_with_and_without_account() -> None:
    rows = [line for line in document().splitlines() if line.startswith(("| az", "| ru", "| en"))]
    assert len(rows) == len(NoticeKind) * 3 * 2 == 7 * 3 * 2
