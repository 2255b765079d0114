"""Read side: the export format of the README ("Export"), written as JSON lines or CSV, and the counts.

Field names are a contract with scripts and consumer teams: add fields, never rename (the models
are in export_models.py). Rows are produced page by page (ids first, then each page with its
children in one query per table, export_pages.py), so an export of a large store neither loads
everything nor issues a query per row. The events timeline is timeline.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import IO, Any, Literal

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.store.export_filters import article_ids, entity_ids, event_ids
from services.store.export_pages import article_page, entity_page, event_page
from services.store.schema import articles, entities, event_sources, events

Kind = Literal["articles", "entities", "events"]
PAGE = 500


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


PageOf = Callable[[AsyncConnection, Sequence[str]], Awaitable[Sequence[BaseModel]]]
_KINDS: dict[str, tuple[Callable[..., Select], PageOf]] = {
    "articles": (article_ids, article_page),
    "entities": (entity_ids, entity_page),
    "events": (event_ids, event_page),
}


async def export_rows(
    engine: AsyncEngine,
    kind: Kind,
    *,
    since: dt.date | None = None,
    event_type: str | None = None,
    entity: str | None = None,
    event: str | None = None,
) -> AsyncIterator[dict]:
    """The store's records of one kind in the export format (export_models.py, as JSON-ready dicts),
    filtered, oldest first."""
    if kind not in _KINDS:
        raise ValueError(f"unknown export kind {kind!r}: articles, entities or events")
    ids_query, page_of = _KINDS[kind]
    async with engine.connect() as conn:
        ids = list((await conn.scalars(ids_query(since, event_type, entity, event))).all())
        for start in range(0, len(ids), PAGE):
            for record in await page_of(conn, ids[start : start + PAGE]):
                yield record.model_dump(mode="json")


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    """One JSON object a line; returns how many were written."""
    written = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=_iso) + "\n")
        written += 1
    return written


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet takes for a formula (OWASP)


def neutralise_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula (`=HYPERLINK(...)`) gets a leading `'`, as OWASP
    recommends for CSV injection: it then shows as text. Other text is unchanged."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_iso)
    value = "" if value is None else _iso(value)
    return neutralise_formula(value) if isinstance(value, str) else value


def write_csv(rows: Iterable[dict], out: IO[str]) -> int:
    """CSV with a header from the first row; nested fields are JSON in their cell; text that a
    spreadsheet would run as a formula is neutralised."""
    writer: csv.DictWriter | None = None
    written = 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({key: _cell(value) for key, value in row.items()})
        written += 1
    return written


async def counts(engine: AsyncEngine) -> dict[str, int]:
    """How much the store holds, for `newsflow status`."""
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    select(
                        select(func.count()).select_from(articles).scalar_subquery().label("articles"),
                        select(func.count())
                        .select_from(articles)
                        .where(articles.c.duplicate_of.is_not(None))
                        .scalar_subquery()
                        .label("duplicates"),
                        select(func.count()).select_from(entities).scalar_subquery().label("entities"),
                        select(func.count()).select_from(events).scalar_subquery().label("events"),
                        select(func.count())
                        .select_from(event_sources)
                        .scalar_subquery()
                        .label("event_sources"),
                    )
                )
            )
            .mappings()
            .one()
        )
    return {name: int(value) for name, value in row.items()}
