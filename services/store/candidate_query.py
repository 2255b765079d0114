"""What the candidate lookup asks for a batch's reports, and the one statement that asks it on Postgres.

`CandidateQuery.of` turns the reports into plain lists (pure): index ranges of event_reach for
reports naming an actor or place (on Postgres, each report's own terms with its own ranges: the
union of a batch's terms against the union of its ranges asked hundreds of ranges times dozens
of terms, and a young store's planner answered it with a sequential scan per range), ranges of
the events index for reports naming neither, the people an undated side may share, the days and
months a yearless side may fall on. On Postgres
these go as arrays into one fixed-shape text() statement: one round trip and no compiling, the
same statement whatever the batch; reads.py asks the same on SQLite with portable queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Date, String, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from services.store.event_identity import (
    EventFacts,
    compatible_types,
    neighbour_month_days,
    report_terms,
    span_month_days,
)
from services.store.row_builders import person_terms

UNDATED_CANDIDATES = 50  # events sharing a person that an undated side is compared with
# The longest span an event of each precision can have: a lookup bounds date_start on both sides,
# so the index range it scans holds only events that can overlap, however large the store.
MAX_SPAN_DAYS = {"day": 2, "month": 31, "year": 366}

Range = tuple[str, str, str, dt.date, dt.date, dt.date]  # type, modality, precision, earliest start, low, high


def _ranges(reported: list[EventFacts], window_days: int) -> list[Range]:
    """One index range per compatible type and stored precision of each dated report."""
    wanted: set[tuple[str, str, dt.date, dt.date]] = set()
    for facts in reported:
        bounds = facts.span.search_range(window_days)
        if bounds is not None:
            wanted.update((t, facts.modality, *bounds) for t in compatible_types(facts.type))
    return sorted(
        (t, m, precision, low - dt.timedelta(days=span), low, high)
        for t, m, low, high in wanted
        for precision, span in MAX_SPAN_DAYS.items()
    )


@dataclass(frozen=True)
class CandidateQuery:
    reach: list[tuple[str, str, dt.date, dt.date]]  # (type, precision, earliest, high) of event_reach
    terms: list[str]  # what the reports naming an actor or place share with their candidates
    # (term, type, precision, earliest, high): each report's own terms with its own ranges, one
    # index range each (Postgres); the union above pairs every term with every range (SQLite)
    paired: list[tuple[str, str, str, dt.date, dt.date]]
    dated: list[Range]  # events index ranges of the reports naming neither
    share_types: list[str]  # compatible types of the reports naming a person
    people: list[str]  # people of undated reports: any event naming one (most recent first)
    undated_terms: list[str]  # people of dated reports: undated events naming one
    yearless: list[str]  # "MM-DD" an undated report's text gives, with its neighbours: day events
    days: list[str]  # "MM-DD" of the reports' days: undated events whose text gives that day
    day_types: list[str]  # compatible types of every report

    @classmethod
    def of(cls, reported: list[EventFacts], window_days: int) -> CandidateQuery:
        named = [f for f in reported if report_terms(f)]
        reach = sorted({(t, p, earliest, high) for t, _, p, earliest, _, high in _ranges(named, window_days)})
        sharing = [f for f in reported if person_terms(f.actors)]
        undated = [f for f in sharing if not f.span.known]
        keys = sorted({key for f in (undated or sharing) for key, _ in f.actors if key.startswith("per:")})
        paired = sorted(
            {(term, t, p, earliest, high) for f in named for t, _, p, earliest, _, high in _ranges([f], window_days)
             for term in report_terms(f)}
        )
        return cls(
            reach=reach,
            terms=sorted({term for f in named for term in report_terms(f)}),
            paired=paired,
            dated=_ranges([f for f in reported if not report_terms(f)], window_days),
            share_types=sorted({t for f in sharing for t in compatible_types(f.type)}),
            people=keys if undated else [],
            undated_terms=[] if undated else [f"k:{key}" for key in keys],
            yearless=sorted(
                {d for f in reported if not f.span.known and f.month_day for d in neighbour_month_days(f.month_day)}
            ),
            days=sorted({d for f in reported for d in span_month_days(f.span)}),
            day_types=sorted({t for f in reported for t in compatible_types(f.type)}),
        )

    def parameters(self) -> dict[str, Any]:
        """The Postgres statement's arrays (an empty list asks nothing of its part)."""
        columns = lambda rows, count: [[row[i] for row in rows] for i in range(count)]  # noqa: E731
        terms, types, precisions, earliest, highs = columns(self.paired, 5)
        d_types, d_modalities, d_precisions, d_earliest, d_lows, d_highs = columns(self.dated, 6)
        return {
            "terms": terms, "types": types, "precisions": precisions, "earliest": earliest, "highs": highs,
            "d_types": d_types, "d_modalities": d_modalities, "d_precisions": d_precisions,
            "d_earliest": d_earliest, "d_lows": d_lows, "d_highs": d_highs,
            "share_types": self.share_types, "people": self.people, "undated_terms": self.undated_terms,
            "any_date": bool(self.people), "yearless": self.yearless, "days": self.days,
            "day_types": self.day_types,
        }


_TEXTS = ("types", "precisions", "terms", "d_types", "d_modalities", "d_precisions", "share_types", "people",
          "undated_terms", "yearless", "days", "day_types")
_DATES = ("earliest", "highs", "d_earliest", "d_lows", "d_highs")
# Each part's lateral or subquery is a range of one index: ix_event_reach_lookup (reports naming
# an actor or place; undated events by person), ix_events_candidates (reports naming neither),
# ix_event_actors_entity_key (undated reports), ix_events_month_day (yearless sides).
CANDIDATES = text(f"""
    SELECT e.*, (SELECT count(DISTINCT s.article_id) FROM event_sources AS s WHERE s.event_id = e.event_id)
           AS sources
    FROM events AS e
    WHERE e.event_id IN (
        SELECT found.event_id
        FROM unnest(CAST(:terms AS text[]), CAST(:types AS text[]), CAST(:precisions AS text[]),
                    CAST(:earliest AS date[]), CAST(:highs AS date[])) AS wanted(term, type, precision, earliest, high)
        CROSS JOIN LATERAL (
            SELECT r.event_id FROM event_reach AS r
            WHERE r.term = wanted.term AND r.type = wanted.type
              AND r.date_precision = wanted.precision AND r.date_start BETWEEN wanted.earliest AND wanted.high
            OFFSET 0
        ) AS found
        UNION ALL
        SELECT found.event_id
        FROM unnest(CAST(:d_types AS text[]), CAST(:d_modalities AS text[]), CAST(:d_precisions AS text[]),
                    CAST(:d_earliest AS date[]), CAST(:d_lows AS date[]), CAST(:d_highs AS date[]))
             AS wanted(type, modality, precision, earliest, low, high)
        CROSS JOIN LATERAL (
            SELECT d.event_id FROM events AS d
            WHERE d.type = wanted.type AND d.modality = wanted.modality AND d.date_precision = wanted.precision
              AND d.date_start BETWEEN wanted.earliest AND wanted.high AND d.date_end >= wanted.low
            OFFSET 0
        ) AS found
        UNION ALL
        (SELECT p.event_id FROM events AS p
         WHERE p.event_id IN (
                 SELECT a.event_id FROM event_actors AS a WHERE a.entity_key = ANY(CAST(:people AS text[]))
                 UNION ALL
                 SELECT u.event_id FROM event_reach AS u
                 WHERE u.term = ANY(CAST(:undated_terms AS text[])) AND u.type = ANY(CAST(:share_types AS text[]))
                   AND u.date_precision = 'unknown')
           AND p.type = ANY(CAST(:share_types AS text[])) AND (CAST(:any_date AS boolean) OR p.date_start IS NULL)
         ORDER BY p.last_seen DESC, p.event_id LIMIT {UNDATED_CANDIDATES})
        UNION ALL
        SELECT m.event_id FROM events AS m
        WHERE m.type = ANY(CAST(:day_types AS text[]))
          AND ((m.month_day = ANY(CAST(:yearless AS text[])) AND m.date_precision = 'day')
               OR (m.month_day = ANY(CAST(:days AS text[])) AND m.date_start IS NULL)))
""").bindparams(
    *(bindparam(name, type_=ARRAY(String)) for name in _TEXTS),
    *(bindparam(name, type_=ARRAY(Date)) for name in _DATES),
    bindparam("any_date", type_=Boolean),
)


async def postgres_rows(conn: AsyncConnection, query: CandidateQuery) -> list:
    return list((await conn.execute(CANDIDATES, query.parameters())).mappings())
