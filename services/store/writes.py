"""Write a planned batch: one executemany per table, every insert an idempotent upsert.

ON CONFLICT makes a replayed or concurrently written row a no-op instead of an error; rows are
sorted by key so two transactions touching the same rows lock them in the same order.

Two measured costs shaped this module. SQLAlchemy does not cache the compiled form of the
dialects' ON CONFLICT inserts (`inherit_cache = False`), and compiling them on every call cost
more than the round trips; so each upsert is compiled once into a typed `text()` statement.
And per-row parameter handling of executemany cost ~40 µs a row; so on Postgres a table's rows
go as one array per column into `INSERT ... SELECT unnest(...) ON CONFLICT ...`: one
statement, a few parameters, whatever the batch size. SQLite keeps executemany.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TypeAlias, TypeVar

from sqlalchemy import JSON, Table, Text, TextClause, and_, bindparam, cast, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert

from services.store.db import is_postgres
from services.store.planning import Rows
from services.store.rows import (
    TABLES,
    ArticleDeliveryRow,
    ArticleVersionRow,
    EntityAliasRow,
    EventAliasRow,
    EventRow,
    TableRow,
    columns,
)
from services.store.schema import (
    entities,
    event_actors,
    event_reach,
    event_sources,
    events,
    mentions,
)

EVENT_UPDATE_COLUMNS = (
    "mode",
    "date",
    "date_precision",
    "date_start",
    "date_end",
    "location_name",
    "location_key",
    "location_country",
    "last_seen",
    "actors",
    "terms",
    "places",
    "month_day",
)


# The dialects' inserts: the ones with ON CONFLICT (on_conflict_do_nothing/update, excluded).
DialectInsert: TypeAlias = postgresql.Insert | sqlite.Insert
Conflict: TypeAlias = Callable[[DialectInsert], DialectInsert]
AnyRow = TypeVar("AnyRow", bound=TableRow)


def _ignore_existing(insert: DialectInsert) -> DialectInsert:
    return insert.on_conflict_do_nothing()


def _fill_in_entity(insert: DialectInsert) -> DialectInsert:
    """A known entity only gets its missing label or country filled in."""
    new = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[entities.c.key],
        set_={
            "label": func.coalesce(entities.c.label, new.label),
            "country": func.coalesce(entities.c.country, new.country),
        },
        where=or_(
            and_(entities.c.label.is_(None), new.label.is_not(None)),
            and_(entities.c.country.is_(None), new.country.is_not(None)),
        ),
    )


def _move_reach(insert: DialectInsert) -> DialectInsert:
    """A changed event's reach rows take its current type, precision and start."""
    new = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[event_reach.c.term, event_reach.c.event_id],
        set_={"type": new.type, "date_precision": new.date_precision, "date_start": new.date_start},
    )


def _replace_count(insert: DialectInsert) -> DialectInsert:
    return insert.on_conflict_do_update(
        index_elements=[mentions.c.article_id, mentions.c.entity_key],
        set_={"count": insert.excluded["count"]},
        where=mentions.c.count != insert.excluded["count"],
    )


def _is_json(table: Table, name: str) -> bool:
    return isinstance(table.c[name].type, JSON)


_COMPILED: dict[tuple[str, str, str, tuple[str, ...]], TextClause] = {}


def _as_text(statement: Insert, dialect: Dialect, binds: list) -> TextClause:
    compiled = statement.compile(dialect=dialect)
    if missing := set(compiled.binds) - {bind.key for bind in binds}:
        raise ValueError(f"rows lack {sorted(missing)} (columns with defaults included)")
    sql = str(compiled).replace("::", r"\:\:")  # a cast such as ::JSON is not a bind parameter
    return text(sql).bindparams(*binds)


def compiled_upsert(
    dialect_name: str, table: Table, conflict: Conflict, columns: tuple[str, ...]
) -> TextClause:
    """The upsert as a typed text() statement, compiled once per dialect, table, action and columns.

    Postgres: parameters are one array per column, unnested into rows. SQLite: one row's values.
    """
    key = (dialect_name, table.name, conflict.__name__, columns)
    if key in _COMPILED:
        return _COMPILED[key]
    dialect: Dialect
    if dialect_name == "postgresql":
        dialect = postgresql.dialect(paramstyle="named")
        binds = [
            bindparam(name, type_=postgresql.ARRAY(Text if _is_json(table, name) else table.c[name].type))
            for name in columns
        ]
        rows = select(
            *(
                cast(func.unnest(bind), JSON) if _is_json(table, bind.key) else func.unnest(bind)
                for bind in binds
            )
        )
        statement = conflict(postgresql.insert(table).from_select(list(columns), rows))
    else:
        dialect = sqlite.dialect(paramstyle="named")
        binds = [bindparam(name, type_=table.c[name].type) for name in columns]
        statement = conflict(
            sqlite.insert(table).values({name: bind for name, bind in zip(columns, binds, strict=True)})
        )
    _COMPILED[key] = _as_text(statement, dialect, binds)
    return _COMPILED[key]


async def _upsert(conn: AsyncConnection, rows: Sequence[AnyRow], conflict: Conflict = _ignore_existing) -> None:
    """Upsert rows of one type into its table (rows.TABLES), the columns being the type's fields."""
    if not rows:
        return
    table, names = TABLES[type(rows[0])], columns(type(rows[0]))
    statement = compiled_upsert(conn.dialect.name, table, conflict, names)
    values = [[getattr(row, name) for row in rows] for name in names]
    if is_postgres(conn):  # JSON goes as text: an array of JSON lists would read as a 2-D array
        await conn.execute(
            statement,
            {
                name: [json.dumps(value) for value in column] if _is_json(table, name) else column
                for name, column in zip(names, values, strict=True)
            },
        )
    else:
        await conn.execute(statement, [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)])


async def _update_events(conn: AsyncConnection, rows: list[EventRow]) -> None:
    """Refine stored events a new source sharpened (finer date, known place) and mark them seen."""
    if not rows:
        return
    statement = (
        update(events)
        .where(events.c.event_id == bindparam("target_event_id"))
        .values({column: bindparam(column) for column in EVENT_UPDATE_COLUMNS})
    )
    await conn.execute(
        statement,
        [
            {"target_event_id": row.event_id, **{column: getattr(row, column) for column in EVENT_UPDATE_COLUMNS}}
            for row in rows
        ],
    )


async def write_rows(conn: AsyncConnection, rows: Rows) -> None:
    """Write the rows in foreign-key order."""
    await _upsert(conn, rows.articles)
    await _upsert(conn, sorted(rows.entities.values(), key=lambda row: row.key), _fill_in_entity)
    await _upsert(conn, [EntityAliasRow(key, alias) for key, alias in sorted(rows.entity_aliases)])
    await _upsert(conn, sorted(rows.mentions, key=lambda row: (row.article_id, row.entity_key)), _replace_count)
    await _upsert(conn, rows.article_lsh)
    await _upsert(conn, rows.events)
    await _update_events(conn, rows.event_updates)
    await _upsert(conn, rows.event_actors)
    await _upsert(conn, rows.event_sources)
    await _upsert(conn, rows.merges)
    await _upsert(conn, sorted(rows.event_reach, key=lambda r: (r.term, r.event_id)), _move_reach)
    await _merge_events(conn, rows.event_aliases)


async def _merge_events(conn: AsyncConnection, aliases: list[EventAliasRow]) -> None:
    """Fold each stored event merged into another into it: its sources, actors and reasons move,
    aliases that named it now name the survivor, its id becomes an alias and its row goes."""
    for alias in aliases:
        old, new = alias.alias_id, alias.event_id
        params = {"old": old, "new": new}
        for table, key in ((event_sources, "article_id, trigger_start"), (event_actors, "entity_key, role")):
            others = ", ".join(c.name for c in table.columns if c.name != "event_id")
            await conn.execute(
                text(
                    f"INSERT INTO {table.name} (event_id, {others}) SELECT :new, {others} FROM {table.name} "
                    f"WHERE event_id = :old ON CONFLICT (event_id, {key}) DO NOTHING"
                ),
                params,
            )
            await conn.execute(text(f"DELETE FROM {table.name} WHERE event_id = :old"), params)
        await conn.execute(
            text(
                "UPDATE merges SET event_id = :new WHERE event_id = :old AND article_id NOT IN "
                "(SELECT article_id FROM merges WHERE event_id = :new)"
            ),
            params,
        )
        await conn.execute(text("DELETE FROM merges WHERE event_id = :old"), params)
        await conn.execute(text("UPDATE event_aliases SET event_id = :new WHERE event_id = :old"), params)
        await conn.execute(text("DELETE FROM event_reach WHERE event_id = :old"), params)
        await conn.execute(text("DELETE FROM events WHERE event_id = :old"), params)
    await _upsert(conn, aliases)


async def write_provenance(
    conn: AsyncConnection, deliveries: list[ArticleDeliveryRow], versions: list[ArticleVersionRow]
) -> None:
    """The batch's deliveries and version links (provenance.py); a delivery seen before is kept as it was."""
    await _upsert(conn, sorted(deliveries, key=lambda r: (r.article_id, r.delivery_key)))
    await _upsert(conn, sorted(versions, key=lambda r: r.article_id))
