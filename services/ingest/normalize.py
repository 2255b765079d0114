"""RawArticle -> NormalizedArticle: the pure logic of the ingest service (no I/O).

The steps, each in its own module: guards (size, decodable, readable), html_extract (main text of
a page), text (one typography, paragraphs), lang, boilerplate (lines, datelines and the feed's
"date YYYY-MM –" prefix out, with what bylines, source lines and stamps say), title, dates (the
publication date), sources (outlet names).

What the producer says wins over what is inferred: its title, source, published_at and lang.
Then the page's metadata (HTML), then the text itself.
"""

from __future__ import annotations

import hashlib

import structlog

from services.common.contracts import NormalizedArticle, RawArticle
from services.common.errors import PoisonMessage
from services.ingest.boilerplate import Cleaned, remove_boilerplate
from services.ingest.guards import check_decodable, check_readable, check_size
from services.ingest.html_extract import Page, extract_page
from services.ingest.lang import detect_language, producer_language
from services.ingest.publication_date import (
    PublishedDate,
    combine,
    cut_date_prefix,
    date_from_url,
    parse_iso,
    text_signals,
)
from services.ingest.sources import outlet_name, outlet_of_url
from services.ingest.text_cleanup import join_paragraphs, normalize_line, normalize_text, split_paragraphs
from services.ingest.title import drop_title_repeats, title_from_text
from services.ingest.yearless_dateline import with_year, yearless_dateline

ARTICLE_ID_CHARS = 16
MIN_PROSE_WORDS = 8
log = structlog.get_logger("ingest.dates")


def normalize_article(raw: RawArticle, *, max_bytes: int = 1_000_000) -> NormalizedArticle:
    """The clean article of a raw one, or PoisonMessage when it can never make one.

    Deterministic: the same content always gives the same text, hash and `article_id`
    (the first 16 hex digits of the SHA-256 of the normalized text).
    """
    what = "text" if raw.text is not None else "html"
    body = raw.text if raw.text is not None else raw.html or ""
    check_size(body, max_bytes, what)
    check_decodable(body, what)
    page = _page_of(body, raw.url) if what == "html" else None

    text = normalize_text(page.text if page else body)
    if not text:
        raise PoisonMessage(f"{what} is empty after normalization")
    paragraphs = split_paragraphs(text)
    # The language is judged without the feed's date prefix, as a re-fed text will be.
    lang = producer_language(raw.lang) or detect_language(split_paragraphs(cut_date_prefix(text)[0]))

    given_title = _line(raw.title) or _line(page.title if page else None)
    cleaned, title = _body_and_title(paragraphs, lang, given_title)
    kept = cleaned.paragraphs
    _check_has_article(kept, len(paragraphs), what, is_page=page is not None)

    final_text = join_paragraphs(kept)
    check_readable(final_text, what)
    digest = hashlib.sha256(final_text.encode("utf-8")).hexdigest()
    published = _publication_date(raw, page, cleaned, kept, lang)
    return NormalizedArticle(
        trace_id=raw.trace_id,
        article_id=digest[:ARTICLE_ID_CHARS],
        content_sha256=digest,
        text=final_text,
        title=title,
        lang=lang,
        url=raw.url,
        external_id=raw.external_id,
        source_name=_source_name(raw, page, cleaned),
        author=_line(page.author if page else None) or _first(cleaned.authors),
        published_at=published.value if published else None,
        published_precision=published.precision if published else "unknown",
        published_from=published.origin if published else None,
        removed=cleaned.removed,
    )


def _publication_date(
    raw: RawArticle, page: Page | None, cleaned: Cleaned, kept: list[str], lang: str | None
) -> PublishedDate | None:
    """Every signal (producer, HTML metadata, URL, feed prefix, stamps and datelines, lead) made
    into one date by dates.combine; a disagreement is logged with the dates that lost."""
    signals = [
        _iso(raw.published_at, "producer"),
        _iso(page.date if page else None, "html"),
        date_from_url(raw.url),
        cleaned.prefix_date,
        *text_signals(cleaned.stamps, kept, lang),
    ]
    known = [signal for signal in signals if signal is not None]
    month_day = next((found for paragraph in kept[:2] if (found := yearless_dateline(paragraph, lang))), None)
    if month_day and (dateline := with_year(month_day, known)):
        known.append(dateline)
    published, conflict = combine(known)
    if conflict:
        log.info("publication date conflict", note=conflict, url=raw.url, external_id=raw.external_id)
    return published


def _body_and_title(paragraphs: list[str], lang: str | None, given: str | None) -> tuple[Cleaned, str | None]:
    """Boilerplate out, then the title (given, or the first line) kept once.

    Dropping a repeated title can bring a dateline into the first paragraphs, so both steps are
    repeated until neither changes anything: a second normalization finds nothing left to do.
    """
    cleaned = remove_boilerplate(paragraphs, lang)
    while True:
        title = given or title_from_text(cleaned.paragraphs, lang)
        kept = drop_title_repeats(cleaned.paragraphs, title)
        if kept == cleaned.paragraphs:
            return cleaned, title
        cleaned = remove_boilerplate(kept, lang, into=cleaned)


def _page_of(html: str, url: str | None) -> Page:
    page = extract_page(html, url)
    if page is None:
        raise PoisonMessage("html has no extractable main text (no article body found in the page)")
    return page


def _check_has_article(kept: list[str], paragraphs: int, what: str, *, is_page: bool) -> None:
    """Something must be left once the boilerplate is out; a page must have at least one sentence."""
    if not kept:
        raise PoisonMessage(
            f"{what} has no article text: all {paragraphs} paragraphs are boilerplate "
            "(share bars, menus, comment forms, a bare date prefix...)"
        )
    if is_page and not any(len(paragraph.split()) >= MIN_PROSE_WORDS for paragraph in kept):
        raise PoisonMessage("html has no extractable main text (only short lines such as a menu)")


def _source_name(raw: RawArticle, page: Page | None, cleaned: Cleaned) -> str | None:
    """Producer, then the text's own source line or byline, then the page's site name, then the URL."""
    for candidate in (raw.source, *cleaned.sources, page.sitename if page else None):
        name = outlet_name(candidate) if candidate else None
        if name:
            return name
    return outlet_of_url(raw.url) if raw.url else None


def _iso(value: str | None, origin: str) -> PublishedDate | None:
    return parse_iso(value, origin) if value else None


def _line(value: str | None) -> str | None:
    return normalize_line(value) or None if value else None


def _first(values: list[str]) -> str | None:
    return _line(values[0]) if values else None
