"""The corpus scorer on toy clusters whose figures are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from services.evaluation.corpus import CorpusError, Gold, GoldActor, GoldArticle, GoldEvent, parse_gold
from services.evaluation.scoring import StoredArticleView, StoredEventView, b_cubed, score

DAY = dt.date(2024, 3, 12)


def _gold(assignment: dict[str, str], knowable: bool = True, mentions: dict[str, tuple] | None = None) -> Gold:
    gold = Gold()
    for event_id in sorted(set(assignment.values())):
        actors = (
            GoldActor("Sergueï Lavrov", "PER", "RUS", "source"),
            GoldActor("Abdoulaye Diop", "PER", "MLI", "target"),
        )
        gold.events[event_id] = GoldEvent(event_id, "CONSULT", DAY, actors)
    for external_id, event_id in assignment.items():
        gold.articles[external_id] = GoldArticle(
            external_id, event_id, (mentions or {}).get(external_id, ()), knowable
        )
    return gold


def _event(event_id: str, sources: set[str], date: dt.date | None = DAY, kind: str = "CONSULT",
           actors: tuple[str, ...] = ("per:sergei-lavrov Sergueï Lavrov", "per:abdoulaye-diop Abdoulaye Diop")):
    return StoredEventView(event_id, kind, date, "day" if date else "unknown", actors, frozenset(sources))


def _articles(*ids: str, copies: dict[str, str] | None = None) -> list[StoredArticleView]:
    copies = copies or {}
    return [StoredArticleView(i, f"id-{i}", f"id-{copies[i]}" if i in copies else None) for i in ids]


def test_b_cubed_hand_worked_mixed_clusters():
    """a,b,c are one gold event, d another; the system puts a,b,d together and c apart: P = R = 2/3."""
    precision, recall = b_cubed({"a": "X", "b": "X", "c": "Y", "d": "X"}, {"a": "G1", "b": "G1", "c": "G1", "d": "G2"})
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)


def test_b_cubed_singletons_have_full_precision_and_split_recall():
    """Four reports of one event stored as four events: precision 1, recall 1/4."""
    precision, recall = b_cubed({x: x for x in "abcd"}, dict.fromkeys("abcd", "G"))
    assert (precision, recall) == (1.0, 0.25)


def test_score_one_event_many_outlets_is_perfect():
    """Three articles of one gold event, all sources of one stored event: found 1, B³ F1 1, no false merge."""
    gold = _gold({"a": "E1", "b": "E1", "c": "E1"})
    scores = score(gold, _articles("a", "b", "c"), [_event("ev1", {"id-a", "id-b", "id-c"})])
    summary = scores.summary()
    assert summary["found"] == 1.0
    assert summary["b3_f1"] == 1.0
    assert summary["false_merges"] == 0
    assert summary["date_exact"] == 1.0
    assert summary["actor_recall"] == 1.0


def test_score_split_event_lowers_recall_not_precision():
    """Two gold articles of one event stored as two events: B³ precision 1, recall 1/2."""
    gold = _gold({"a": "E1", "b": "E1"})
    scores = score(gold, _articles("a", "b"), [_event("ev1", {"id-a"}), _event("ev2", {"id-b"})])
    assert (scores.b3_precision, scores.b3_recall) == (1.0, 0.5)


def test_score_false_merge_counts_pairs_of_different_events():
    """Articles of E1 and E2 sharing one stored event: one false merge pair, precision 1/2."""
    gold = _gold({"a": "E1", "b": "E2"})
    scores = score(gold, _articles("a", "b"), [_event("ev1", {"id-a", "id-b"})])
    assert scores.false_merges == 1
    assert scores.b3_precision == 0.5


def test_score_mention_of_another_event_is_no_false_merge():
    """An article that also recalls E1 may be a source of E1's stored event."""
    gold = _gold({"a": "E1", "b": "E2"}, mentions={"b": ("E1",)})
    later = DAY + dt.timedelta(days=5)
    gold.events["E2"] = GoldEvent("E2", "CONSULT", later, gold.events["E1"].actors)
    scores = score(gold, _articles("a", "b"), [_event("ev1", {"id-a", "id-b"}), _event("ev2", {"id-b"}, date=later)])
    assert scores.false_merges == 0
    assert scores.b3_f1 == 1.0


def test_score_wrong_date_is_not_found_and_counts_wrong_year():
    """A stored event a year off does not match its gold event and counts as a wrong year."""
    gold = _gold({"a": "E1"})
    scores = score(gold, _articles("a"), [_event("ev1", {"id-a"}, date=dt.date(2023, 3, 12))])
    assert scores.found == 0
    assert scores.wrong_year == 1


def test_score_mention_of_an_older_event_is_no_wrong_year():
    """An article recalling "une attaque en 2014" (year precision) has no wrong year for its 2024 event."""
    gold = _gold({"a": "E1"})
    older = StoredEventView("ev0", "CONSULT", dt.date(2014, 1, 1), "year", (), frozenset({"id-a"}))
    assert score(gold, _articles("a"), [older]).wrong_year == 0


def test_score_one_day_off_is_found_but_not_exact():
    """Within one day is found; only the gold day is exact."""
    gold = _gold({"a": "E1"})
    scores = score(gold, _articles("a"), [_event("ev1", {"id-a"}, date=DAY + dt.timedelta(days=1))])
    assert scores.summary()["found"] == 1.0
    assert scores.summary()["date_exact"] == 0.0


def test_score_undatable_article_matches_an_undated_event():
    """When the article alone cannot tell the day, an undated event of the right type is found."""
    gold = _gold({"a": "E1"}, knowable=False)
    scores = score(gold, _articles("a"), [_event("ev1", {"id-a"}, date=None)])
    assert scores.found == 1
    assert scores.dated_knowable_found == 0


def test_score_incompatible_type_is_not_found():
    """An ASSAULT event is not the CONSULT the article reports."""
    gold = _gold({"a": "E1"})
    scores = score(gold, _articles("a"), [_event("ev1", {"id-a"}, kind="ASSAULT")])
    assert scores.found == 0


def test_score_duplicate_counts_through_its_original():
    """A near-copy has no events of its own: it joins its original's cluster; the gold pair is found."""
    gold = _gold({"a": "E1", "b": "E1"})
    gold.near_duplicates.append(("a", "b"))
    scores = score(gold, _articles("a", "b", copies={"b": "a"}), [_event("ev1", {"id-a"})])
    assert scores.b3_f1 == 1.0
    assert scores.summary()["near_duplicates_found"] == 1.0
    assert scores.false_duplicate_links == 0


def test_score_duplicate_link_without_gold_pair_is_false():
    """Linking two articles no gold pair joins is a false duplicate link."""
    gold = _gold({"a": "E1", "b": "E1"})
    scores = score(gold, _articles("a", "b", copies={"b": "a"}), [_event("ev1", {"id-a"})])
    assert scores.false_duplicate_links == 1


def test_score_actor_recall_counts_gold_people_by_surname():
    """One of the two gold people among the actors: actor recall 1/2."""
    gold = _gold({"a": "E1"})
    scores = score(gold, _articles("a"), [_event("ev1", {"id-a"}, actors=("per:sergei-lavrov Lavrov", "loc:mli Mali"))])
    assert scores.summary()["actor_recall"] == 0.5


def test_parse_gold_rejects_unknown_events():
    """An article naming an event the gold does not define is an error, not a silent miss."""
    with pytest.raises(CorpusError, match="unknown event"):
        parse_gold([{"events": {}, "articles": {"a": {"event": "E9"}}}])


def test_score_publication_dates_dated_share_and_wrong_ones():
    """Of two articles with a date signal one got the true day, one a wrong year: dated 1.0, one wrong."""
    gold = _gold({"a": "E1", "b": "E1", "c": "E1"})
    for external_id, signal in (("a", "url"), ("b", "dateline"), ("c", "none")):
        gold.articles[external_id] = GoldArticle(external_id, "E1", (), True, DAY, signal)
    views = [
        StoredArticleView("a", "id-a", None, DAY, "day"),
        StoredArticleView("b", "id-b", None, DAY.replace(year=2021), "day"),
        StoredArticleView("c", "id-c", None, None),
    ]
    summary = score(gold, views, [_event("ev1", {"id-a", "id-b", "id-c"})]).summary()
    assert summary["published_dated"] == 1.0
    assert summary["published_wrong"] == 1


def test_score_publication_month_holding_the_day_is_not_wrong():
    """A month-precision publication date that holds the true day is right, only imprecise."""
    gold = _gold({"a": "E1"})
    gold.articles["a"] = GoldArticle("a", "E1", (), True, DAY, "url-month")
    views = [StoredArticleView("a", "id-a", None, DAY.replace(day=1), "month")]
    assert score(gold, views, [_event("ev1", {"id-a"})]).summary()["published_wrong"] == 0
