"""Main text and metadata of an HTML page, with trafilatura (no download: the page is given)."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from services.common.errors import PoisonMessage

# htmldate without its extensive search: dates from the page's metadata and markup only, never a
# guess from any number in the text (the text dates are ingest's own job, see publication_date.py).
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class Page:
    """What the page gives: its main text (paragraphs one per line) and its metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None


def extract_page(html: str, url: str | None = None) -> Page | None:
    """The main text and metadata of `html`; None when trafilatura finds no main text.

    A page the parser cannot read fails the same way every time: PoisonMessage, not a retry.
    """
    try:
        document = _extract(html.replace("\x00", " "), url)
    except Exception as exc:  # lxml/trafilatura on hostile markup: deterministic, so poison
        raise PoisonMessage(f"HTML could not be parsed: {type(exc).__name__}: {exc}") from exc
    if document is None or not document.text or not document.text.strip():
        return None
    return Page(
        text=document.text,
        title=document.title or None,
        author=document.author or None,
        date=document.date or None,
        sitename=document.sitename or None,
    )


def _extract(html: str, url: str | None) -> trafilatura.settings.Document | None:
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        date_extraction_params=_DATE_PARAMS,
    )
    return result if isinstance(result, trafilatura.settings.Document) else None
