"""The candidate lookup's lists (pure): each report's own terms go with its own date ranges only."""

from __future__ import annotations

import datetime as dt

from services.common.contracts import EventContext
from services.store.candidate_query import CandidateQuery
from services.store.event_identity import DateSpan, EventFacts, report_terms
from services.store.event_identity.facts import modality


def report(key: str, country: str, day: dt.date, kind: str = "ASSAULT") -> EventFacts:
    return EventFacts(type=kind, modality=modality(EventContext()), actors=frozenset({(key, country)}),
                      span=DateSpan.of(day, "day"), location=None, mode=None, terms=frozenset(), roles="")


def test_each_report_terms_pair_with_its_own_ranges_only():
    """A term only the 2025 report has is never asked over the 2024 report's days (nor the reverse):
    the batch's union of terms times its union of ranges made hundreds of needless index ranges."""
    first = report("org:jnim", "MLI", dt.date(2025, 3, 13))
    second = report("per:abdourahamane-tiani", "NER", dt.date(2024, 1, 2))
    query = CandidateQuery.of([first, second], window_days=1)
    highs: dict[str, set[dt.date]] = {}
    for term, _type, _precision, _earliest, high in query.paired:
        highs.setdefault(term, set()).add(high)
    only_first, only_second = report_terms(first) - report_terms(second), report_terms(second) - report_terms(first)
    assert only_first and only_second and (only_first | only_second) <= set(highs)
    assert all(high.year == 2025 for term in only_first for high in highs[term])
    assert all(high.year == 2024 for term in only_second for high in highs[term])
    assert set(query.terms) == report_terms(first) | report_terms(second)  # the portable (SQLite) union


def test_parameters_are_aligned_columns_of_the_pairs():
    query = CandidateQuery.of([report("org:jnim", "MLI", dt.date(2025, 3, 13))], window_days=1)
    parameters = query.parameters()
    assert len(parameters["terms"]) == len(parameters["types"]) == len(parameters["highs"]) == len(query.paired) > 0
