"""Event identity as a score: actors by overlap, date spans, text, places, vetoes, reasons, locks and ids."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest

from services.common.contracts import Entity, Event, EventContext, ExtractedArticle, Location
from services.store.event_identity import (
    DateSpan,
    EventFacts,
    KnownEvent,
    actor_set,
    actors_part,
    choose_event,
    dates_part,
    echoes,
    is_acronym_of,
    is_country,
    locations_part,
    lock_keys,
    match,
    modality,
    month_day_part,
    named_places,
    neighbour_month_days,
    new_event_id,
    refined,
    same_actor,
    same_place,
    shared_places,
    text_similarity,
    text_terms,
    within_reach,
)
from tests.integration.store.seed_articles import place, seed_000, seed_001, seed_articles

AUG_1 = dt.date(2024, 8, 1)
BAMAKO = Location(name="Bamako", key="loc:bamako", country="MLI")
KIDAL = Location(name="Kidal", key="loc:kidal", country="MLI")
MALI = Location(name="Mali", key="loc:mali", country="MLI")
DAKAR = Location(name="Dakar", key="loc:dakar", country="SEN")
LAVROV, DIOP = ("per:serguei-lavrov", "RUS"), ("per:abdoulaye-diop", "MLI")
CAMARA, RUSSIA, MALI_ACTOR = ("per:sadio-camara", "MLI"), ("loc:russie", "RUS"), ("loc:mali", "MLI")
CALL = "Le ministre russe Sergueï Lavrov s'est entretenu au téléphone avec son homologue malien Abdoulaye Diop"
THRESHOLD = 0.45


def facts(
    *actors: tuple[str, str | None],
    day: dt.date | None = AUG_1,
    precision: str = "day",
    kind: str = "CONSULT",
    text: str = CALL,
    location: Location | None = None,
    mode: str | None = "phone",
    loose: bool = False,
    context: EventContext | None = None,
) -> EventFacts:
    return EventFacts(
        type=kind,
        modality=modality(context or EventContext()),
        actors=frozenset(actors),
        span=DateSpan.of(day, precision, loose=loose),
        location=location,
        mode=mode,
        terms=text_terms(text),
        roles=actor_set([k for k, _ in actors], []),
    )


def joins(new: EventFacts, stored: EventFacts, window_days: int = 1) -> bool:
    return match(new, stored, window_days, THRESHOLD) is not None


def _seed_facts(article, index=0) -> EventFacts:
    return EventFacts.of(article.events[index], article.title)


# ---- parts -------------------------------------------------------------------------------------


def test_modality_negated_wins_over_other_flags():
    """A negated hypothetical event is negated; no flag means factual."""
    assert modality(EventContext(negated=True, hypothetical=True)) == "negated"
    assert modality(EventContext(future=True)) == "future"
    assert modality(EventContext()) == "factual"


def test_actor_set_keeps_direction_for_reading():
    """The stored actor string says who did what to whom, sorted: "a|b>c"."""
    assert actor_set(["per:b", "per:a"], ["per:c"]) == "per:a|per:b>per:c"


def test_dates_part_same_exact_day_counts_fully():
    """Two reports giving the same day agree fully."""
    assert dates_part(DateSpan.of(AUG_1, "day"), DateSpan.of(AUG_1, "day"), 1).value == 1.0


def test_dates_part_adjacent_exact_days_count_against():
    """Two exact days one day apart lower the score; two days apart with a 1-day window never join."""
    day, next_day = DateSpan.of(AUG_1, "day"), DateSpan.of(AUG_1 + dt.timedelta(days=1), "day")
    assert dates_part(next_day, day, 1).value < 0
    assert dates_part(DateSpan.of(AUG_1 + dt.timedelta(days=2), "day"), day, 1) is None
    assert dates_part(DateSpan.of(AUG_1 + dt.timedelta(days=2), "day"), day, 2) is not None


def test_dates_part_month_overlaps_its_days_in_part():
    """A month-precision event overlaps each of its days (in part), not a day of another month past the window."""
    month = DateSpan.of(dt.date(2024, 8, 15), "month")
    assert dates_part(DateSpan.of(dt.date(2024, 8, 31), "day"), month, 1).value == pytest.approx(0.6)
    assert dates_part(DateSpan.of(dt.date(2024, 7, 29), "day"), month, 1) is None


def test_dates_part_loose_publication_day_covers_the_day_before():
    """An event dated only by its article's day (published 2 August) overlaps a 1 August report."""
    loose = DateSpan.of(AUG_1 + dt.timedelta(days=1), "day", loose=True)
    assert (loose.start, loose.end) == (AUG_1, AUG_1 + dt.timedelta(days=1))
    assert dates_part(DateSpan.of(AUG_1, "day"), loose, 1).value > 0


def test_dates_part_year_only_same_year_and_unknown_is_neutral():
    """A year matches only the same year (weakly); an unknown date scores nothing."""
    year = DateSpan.of(dt.date(2024, 1, 1), "year")
    assert dates_part(year, DateSpan.of(dt.date(2024, 6, 1), "year"), 1).value == pytest.approx(0.1)
    assert dates_part(year, DateSpan.of(dt.date(2023, 6, 1), "year"), 1) is None
    assert dates_part(DateSpan.of(None, "unknown"), DateSpan.of(AUG_1, "day"), 1).value == 0.0


def test_locations_part_country_contains_city():
    """Mali contains Bamako; Bamako and Kidal are two places (against); an event without actors needs the place."""
    assert is_country(MALI) and not is_country(BAMAKO)
    assert locations_part(BAMAKO, MALI, need_known=False).reason == "Bamako is in Mali"
    assert locations_part(BAMAKO, KIDAL, need_known=False).value < 0
    assert locations_part(BAMAKO, KIDAL, need_known=True) is None
    assert locations_part(None, KIDAL, need_known=True) is None
    assert locations_part(None, KIDAL, need_known=False).value == 0.0


def test_locations_country_names_in_french():
    """Country-level locations are recognised by their French names too ("Russie", "Turquie")."""
    assert is_country(Location(name="Russie", country="RUS"))
    assert is_country(Location(name="Turquie", country="TUR"))
    assert not is_country(Location(name="Moscou", country="RUS"))


def test_actors_part_minister_agrees_with_country():
    """{Lavrov, Diop} agrees with {Russie, Diop} through Lavrov's country, and fully with {Lavrov, Mali, Diop}."""
    partial = actors_part(frozenset({LAVROV, DIOP}), frozenset({RUSSIA, DIOP}))
    assert 0.6 < partial.value < 1.0
    assert actors_part(frozenset({LAVROV, DIOP}), frozenset({LAVROV, MALI_ACTOR, DIOP})).value == 1.0


def test_actors_part_two_people_of_one_country_count_against():
    """Diop meeting Lavrov and Camara meeting Lavrov's colleague: different Malians, nothing shared."""
    other = ("per:andrei-belooussov", "RUS")
    assert actors_part(frozenset({DIOP, LAVROV}), frozenset({CAMARA, other})).value == -1.0


def test_actors_part_extra_compatriot_with_someone_shared_is_a_participant():
    """Lavrov met Diop; another outlet adds Camara at the same meeting: not a conflict."""
    assert actors_part(frozenset({DIOP, LAVROV}), frozenset({CAMARA, LAVROV})).value > 0


def test_actors_part_place_of_the_event_names_a_country():
    """An actor whose country is the other event's place counts in part ("le Sénégal" at a Dakar meeting)."""
    part = actors_part(frozenset({("loc:senegal", "SEN")}), frozenset({("per:x-y", None)}), ("SEN", "SEN"))
    assert part.value == pytest.approx(0.6)


def test_same_actor_spelling_variants_and_partial_names():
    """A one-letter typo and a name given in part are the same person; two different people are not."""
    assert same_actor("per:salifou-mody", "per:salifou-modi")
    assert same_actor("per:tamim", "per:tamim-ben-hamad-al-thani")
    assert not same_actor("per:abdoulaye-diop", "per:sadio-camara")
    assert not same_actor("loc:mali", "loc:mauritanie")


def test_text_similarity_stems_and_ignores_stopwords():
    """"attaque"/"attaqué" share a stem, function words and dates do not count, and disjoint texts score 0."""
    first = text_terms("Des hommes armés ont attaqué le village de Djibo dimanche")
    second = text_terms("L'attaque du village de Djibo a fait dix morts")
    assert "attaqu" in first & second
    assert "diman" not in first
    assert text_similarity(first, second) > 0.3
    assert text_similarity(first, text_terms("Le sommet économique de Lomé")) == 0.0


# ---- decisions ---------------------------------------------------------------------------------


def test_match_lavrov_diop_call_in_seed_000_and_001_joins_with_its_reason():
    """The call told by 000 (Lavrov → Diop) and 001 (Diop → Lavrov) is one event; the reason says why, part by part."""
    found = match(_seed_facts(seed_001()), _seed_facts(seed_000(), 1), 1, THRESHOLD)
    assert found is not None
    for part in ("CONSULT", "actors", "per:abdoulaye-diop", "text", "location"):
        assert part in found.reason


def test_match_gold_events_of_the_seeds_stay_apart():
    """The five events_must of the seeds' gold are five events: no two of them join."""
    gold = [_seed_facts(seed_000(), 0), _seed_facts(seed_000(), 1)] + [_seed_facts(a) for a in seed_articles()[2:]]
    for first, second in itertools.combinations(gold, 2):
        assert not joins(first, second)


def test_match_extra_place_among_actors_still_joins():
    """A Dakar meeting where one outlet also lists the country among the actors is one event."""
    text = "Le président sénégalais a reçu à Dakar le chef de la diplomatie russe Sergueï Lavrov"
    plain = facts(LAVROV, ("per:bassirou-diomaye-faye", "SEN"), text=text, location=DAKAR, mode="visit")
    extra = facts(LAVROV, ("per:bassirou-diomaye-faye", "SEN"), ("loc:senegal", "SEN"), text=text, mode="visit")
    assert joins(extra, plain)


def test_match_daily_series_stays_a_series():
    """Five meetings of the same two people on five days, each report giving its day: no two join."""
    topics = ["la sécurité au Sahel", "les livraisons de blé", "la coopération minière", "les bourses d'études",
              "le communiqué final"]
    days = [
        facts(LAVROV, DIOP, day=AUG_1 + dt.timedelta(days=n), mode="meeting", location=BAMAKO,
              text=f"Lavrov et Diop ont poursuivi leurs entretiens à Bamako, consacrés à {topic}")
        for n, topic in enumerate(topics)
    ]
    for first, second in itertools.combinations(days, 2):
        assert not joins(first, second)


def test_match_undated_reports_never_join_on_actors_alone():
    """Two undated visits of one minister with different texts stay two; a near-copy of one text joins."""
    first = facts(LAVROV, DIOP, day=None, text="Lavrov en visite à Bamako pour parler de sécurité", mode="visit")
    second = facts(LAVROV, DIOP, day=None, text="Diop reçu à Moscou, accords miniers en discussion", mode="visit")
    assert not joins(first, second)
    assert joins(facts(LAVROV, DIOP, day=None, text=first_text(first), mode="visit"), first)


def test_match_undated_needs_a_person_both_name():
    """Two undated reports naming only countries stay apart even with one text: an undated side is
    looked up through a shared person, so joining without one would depend on what was looked up."""
    text = "La Tunisie et la Libye ont signé un accord sur le poste frontalier de Ras Jedir"
    tunisia, libya = ("loc:tunisie", "TUN"), ("loc:libye", "LBY")
    assert not joins(facts(tunisia, day=None, kind="AGREE", text=text), facts(tunisia, libya, day=None, kind="AGREE",
                                                                                text=text))


def first_text(event: EventFacts) -> str:
    return " ".join(sorted(event.terms))


def test_match_negated_never_joins_factual():
    """A denied call is stored apart from the call itself."""
    assert not joins(facts(LAVROV, DIOP, context=EventContext(negated=True)), facts(LAVROV, DIOP))


def test_match_announced_visit_is_not_the_visit():
    """"Lavrov se rendra à Bamako" (future) and the visit itself are two events."""
    assert not joins(facts(LAVROV, DIOP, context=EventContext(future=True), mode="visit"), facts(LAVROV, DIOP))


def test_match_meeting_and_agreement_signed_at_it_stay_apart():
    """A CONSULT meeting and the AGREE signature of the same day and people are two events."""
    assert not joins(facts(LAVROV, DIOP, kind="AGREE"), facts(LAVROV, DIOP))


def test_match_talks_family_joins_support_told_of_the_same_call():
    """"a réaffirmé son soutien" (SUPPORT) told of the call another outlet calls an entretien (CONSULT) joins it."""
    assert joins(facts(LAVROV, DIOP, kind="SUPPORT", mode=None), facts(LAVROV, DIOP))


def test_match_without_actors_needs_same_known_place():
    """Two unattributed attacks of one day join only at the same known place."""
    text = "Une attaque contre un poste militaire a fait plusieurs morts"
    nowhere = facts(day=AUG_1, kind="ASSAULT", text=text, mode=None)
    assert not joins(nowhere, nowhere)
    at_kidal = facts(day=AUG_1, kind="ASSAULT", text=text, location=KIDAL, mode=None)
    assert joins(at_kidal, at_kidal)
    assert not joins(facts(day=AUG_1, kind="ASSAULT", text=text, location=BAMAKO, mode=None), at_kidal)


def test_match_same_town_attacked_a_week_apart_stays_two():
    """Two attacks on Kidal a week apart are two events, however alike the dispatches."""
    text = "Des jihadistes ont attaqué Kidal"
    first = facts(("org:jnim", None), kind="ASSAULT", text=text, location=KIDAL, mode=None)
    later = facts(("org:jnim", None), day=AUG_1 + dt.timedelta(days=7), kind="ASSAULT", text=text, location=KIDAL)
    assert not joins(later, first)


def test_match_misdated_copy_joins_despite_its_day():
    """A copy of the same dispatch giving the next day (a reporter's slip) still joins: the text agrees."""
    assert joins(facts(LAVROV, DIOP, day=AUG_1 + dt.timedelta(days=1)), facts(LAVROV, DIOP))


def test_choose_event_best_score_first():
    """With two candidates, the report joins the one it agrees with most (same day before the day before)."""
    report = facts(LAVROV, DIOP)
    near = KnownEvent("ev_b", facts(LAVROV, DIOP), 1)
    loose = KnownEvent("ev_a", facts(LAVROV, DIOP, day=AUG_1 + dt.timedelta(days=1), loose=True), 1)
    chosen = choose_event(report, [loose, near], 1, THRESHOLD)
    assert [event.event_id for event, _ in chosen] == ["ev_b", "ev_a"]


def test_refined_takes_narrower_date_place_actors_and_mode():
    """A month-dated event in Mali becomes day-dated in Bamako, gains the new actor and the mode."""
    stored = facts(LAVROV, DIOP, precision="month", location=MALI, mode=None)
    sharper = facts(LAVROV, DIOP, CAMARA, location=place("loc:bamako"), mode="phone")
    result = refined(stored, sharper)
    assert (result.span.precision, result.location.name, result.mode) == ("day", "Bamako", "phone")
    assert CAMARA in result.actors


def test_refined_keeps_its_date_when_the_finer_one_lies_outside():
    """An August event joined through the window by a 31 July report stays August: its span only narrows."""
    stored = facts(LAVROV, DIOP, precision="month")
    edge = facts(LAVROV, DIOP, day=dt.date(2024, 7, 31))
    assert refined(stored, edge).span == stored.span


@pytest.mark.parametrize("window_days", [1, 2])
def test_stored_events_never_come_to_match_each_other(window_days):
    """Whatever order day and month reports of one pair arrive in, no two resulting events join:
    a report joins the event it matches, and joining only narrows an event's span."""
    spans = [(dt.date(2024, 7, 29), "day"), (dt.date(2024, 7, 31), "day"), (dt.date(2024, 8, 3), "day"),
             (dt.date(2024, 8, 20), "day"), (AUG_1, "month")]
    for order in itertools.permutations(spans):
        known: list[KnownEvent] = []
        for n, (day, precision) in enumerate(order):
            report = facts(LAVROV, DIOP, day=day, precision=precision)
            chosen = choose_event(report, known, window_days, THRESHOLD)
            if not chosen:
                known.append(KnownEvent(f"ev_{n}", report, 1))
            else:
                event = chosen[0][0]
                known[known.index(event)] = KnownEvent(event.event_id, refined(event.facts, report), 2)
        pairs = [(a, b) for a, b in itertools.combinations(known, 2) if match(a.facts, b.facts, window_days, THRESHOLD)]
        assert not pairs, order


def test_lock_keys_shared_by_reports_that_could_join():
    """A day report and the month event it may join share a lock key; a month away they share none."""
    day = lock_keys(facts(LAVROV, DIOP, day=dt.date(2024, 8, 31)), 1)
    month = lock_keys(facts(LAVROV, DIOP, precision="month"), 1)
    assert day & month
    assert not day & lock_keys(facts(LAVROV, DIOP, day=dt.date(2024, 10, 15)), 1)
    assert lock_keys(facts(LAVROV, DIOP, kind="SUPPORT"), 1) == lock_keys(facts(LAVROV, DIOP), 1)


def test_new_event_id_is_deterministic():
    """The same first report gives the same event id in every process; another article another id."""
    report = _seed_facts(seed_000(), 1)
    assert new_event_id(report, "a", 10) == new_event_id(report, "a", 10)
    assert new_event_id(report, "a", 10) != new_event_id(report, "b", 10)


def test_settings_default_threshold_is_the_store_default():
    """NEWSFLOW_EVENT_MATCH_THRESHOLD defaults to the threshold the store was measured with."""
    from services.common.settings import StoreSettings
    from services.store.event_identity import EVENT_MATCH_THRESHOLD

    assert StoreSettings.model_fields["event_match_threshold"].default == EVENT_MATCH_THRESHOLD


def test_reach_terms_name_keys_countries_place_and_any_actor():
    """An event is found by its actors' keys and countries and its place's country; one whose actors
    have no known country also by ANY_ACTOR."""
    from services.store.event_identity import ANY_ACTOR, reach_terms

    assert reach_terms(facts(LAVROV, DIOP, location=DAKAR)) == {
        "k:per:serguei-lavrov", "k:per:abdoulaye-diop", "c:RUS", "c:MLI", "c:SEN",
    }
    assert ANY_ACTOR in reach_terms(facts(("org:jnim", None)))


def test_within_reach_needs_something_shared():
    """A report is compared with stored events sharing an actor, a country or a place's country;
    a report naming nothing is compared with all events of its type and dates."""
    from services.store.event_identity import within_reach

    stored = facts(LAVROV, DIOP)
    assert within_reach(facts(("per:x-y", "RUS")), stored, 1)
    assert not within_reach(facts(("per:x-y", "BRA")), stored, 1)
    assert within_reach(facts(location=place("loc:bamako")), stored, 1)
    assert within_reach(facts(), stored, 1)
    assert not within_reach(facts(LAVROV, day=AUG_1 + dt.timedelta(days=5)), stored, 1)


def test_match_actors_with_nothing_in_common_never_join():
    """Reports of other people, countries and places stay apart however alike their texts."""
    other = facts(("per:luiz-lula", "BRA"), ("loc:bresil", "BRA"))
    assert not joins(other, facts(LAVROV, DIOP))


# ---- places the reports name -------------------------------------------------------------------

KOLOFATA = Entity(text="Kolofata", label="LOC", name="Kolofata", key="loc:kolofata", start=0, end=8)
CAMEROON = Entity(text="Cameroun", label="LOC", name="Cameroun", key="loc:cmr", country="CMR", start=0, end=8)


def _article(
    title: str, sentence: str, *entities: Entity, location: Location | None = None
) -> tuple[Event, ExtractedArticle]:
    event = Event(
        type="ASSAULT", sentence=sentence, trigger="attaque", trigger_start=0, trigger_end=7, location=location
    )
    article = ExtractedArticle(
        trace_id="t", article_id="a" * 16, content_sha256="0" * 64, text=sentence, title=title,
        entities=list(entities), events=[event],
    )
    return event, article


def test_named_places_takes_towns_of_the_sentence_and_title_not_countries():
    """The town in the title counts for every event of the article; a country is no place here."""
    event, article = _article(
        "Cameroun : nuit de terreur à Kolofata", "Au moins cinq civils ont été tués dans l'attaque.", KOLOFATA, CAMEROON
    )
    assert named_places(event, article) == frozenset({"loc:kolofata"})


def test_named_places_needs_the_name_as_a_word():
    """'Mora' is not named by 'Moravie' nor 'morale'."""
    mora = Entity(text="Mora", label="LOC", name="Mora", key="loc:mora", start=0, end=4)
    event, article = _article("Le moral des troupes", "Une attaque a visé la Moravie et la morale.", mora)
    assert named_places(event, article) == frozenset()


def test_actorless_reports_join_through_a_town_both_name():
    """One outlet places the attack 'in the Mayo-Sava', another names Mora, where families fled to;
    both name Kolofata: one attack. Without a shared town, two actorless reports stay apart."""
    mayo = Location(name="Mayo-Sava", key="loc:mayo-sava")
    mora = Location(name="Mora", key="loc:mora")
    first = replace(
        facts(day=AUG_1, kind="ASSAULT", text="attaque meurtrière contre Kolofata", mode=None, location=mayo),
        places=frozenset({"loc:kolofata", "loc:mayo-sava"}),
    )
    second = replace(facts(day=AUG_1, kind="ASSAULT", text="familles de Kolofata fuient vers Mora après l'attaque",
                           mode=None, location=mora), places=frozenset({"loc:kolofata", "loc:mora"}))
    assert joins(first, second)
    apart = replace(first, places=frozenset({"loc:mayo-sava"})), replace(second, places=frozenset({"loc:mora"}))
    assert not joins(*apart)


def test_locations_part_shared_named_place_counts_for():
    part = locations_part(None, None, need_known=True, named=frozenset({"loc:kolofata"}))
    assert part is not None and part.value == 1.0 and "kolofata" in part.reason


def test_refined_keeps_the_places_of_every_report():
    stored = replace(facts(kind="ASSAULT", mode=None), places=frozenset({"loc:kolofata"}))
    new = replace(facts(kind="ASSAULT", mode=None), places=frozenset({"loc:mora"}))
    assert refined(stored, new).places == frozenset({"loc:kolofata", "loc:mora"})


@pytest.mark.parametrize(
    ("short", "long", "same"),
    [
        ("org:cnrd", "org:comite-national-du-rassemblement-et-du-developpement", True),
        ("org:fds", "org:forces-de-defense-et-de-securite", True),
        ("org:fsr", "org:forces-de-soutien-rapide", True),
        ("org:cnrd", "org:conseil-national-de-la-revolution", False),  # CNR
        ("org:ua", "org:union-africaine", False),  # two letters name too many bodies
        ("per:fsr", "per:fatou-sow-ramatou", False),  # people have no acronyms
    ],
)
def test_is_acronym_of_initials_of_the_name_without_function_words(short: str, long: str, same: bool):
    assert is_acronym_of(short, long) is same
    assert same_actor(long, short) is same


# ---- yearless reports ("le 14 novembre" in an undated article) -----------------------------------


def _yearless(month_day: str, *actors: tuple[str, str | None]) -> EventFacts:
    return replace(facts(*actors, day=None, precision="unknown"), month_day=month_day)


def test_yearless_report_joins_the_event_of_its_day_and_month():
    stored = facts(LAVROV, DIOP, day=AUG_1)
    report = _yearless("08-01", LAVROV, DIOP)
    assert within_reach(report, stored, 1) and within_reach(stored, report, 1)
    assert joins(report, stored) and joins(stored, report)
    assert "same day and month 08-01" in match(report, stored, 1, THRESHOLD).reason


def test_yearless_report_of_the_next_day_never_joins():
    """Two exact days apart are two events, with or without a year: a daily series stays a series."""
    stored = facts(LAVROV, DIOP, day=AUG_1)
    report = _yearless("08-02", LAVROV, DIOP)
    assert not joins(report, stored)
    assert month_day_part("08-02", stored.span) is None


def test_yearless_report_fits_a_loose_publication_day_event():
    """An event dated only by its article (the day or the day before) holds the yearless day before."""
    stored = facts(LAVROV, DIOP, day=dt.date(2024, 8, 2), loose=True)
    assert joins(_yearless("08-01", LAVROV, DIOP), stored)


def test_stored_month_day_of_day_and_undated_events():
    assert facts(LAVROV, day=AUG_1).stored_month_day == "08-01"
    assert facts(LAVROV, day=AUG_1, precision="month").stored_month_day is None
    assert _yearless("11-14", LAVROV).stored_month_day == "11-14"


def test_neighbour_month_days_wrap_months_and_keep_29_february():
    assert neighbour_month_days("03-01") == {"02-29", "03-01", "03-02"}
    assert neighbour_month_days("12-31") == {"12-30", "12-31", "01-01"}


def test_reports_naming_different_parties_join_through_the_town_both_name():
    """A regulator in one report, its country in the other, the radio both name: one suspension.
    Without the town in common, parties with nothing in common are two stories."""
    regulator = replace(
        facts(("org:hac", None), day=AUG_1, kind="COERCE", mode=None, text="La HAC a suspendu la radio Tabalé FM"),
        places=frozenset({"loc:tabale-fm"}),
    )
    country = replace(
        facts(MALI_ACTOR, day=AUG_1, kind="COERCE", mode=None, text="Le Mali suspend Tabalé FM pour trois mois"),
        places=frozenset({"loc:tabale-fm", "loc:bamako"}),
    )
    assert joins(regulator, country)
    assert not joins(replace(regulator, places=frozenset()), replace(country, places=frozenset({"loc:bamako"})))


def test_report_dated_by_its_publication_joins_neither_day_of_a_series():
    """Published on the 2nd about talks held on the 1st and the 2nd: it may tell either day, so it
    joins neither; with one day stored, it joins that one."""
    day_one = KnownEvent("ev_1", facts(LAVROV, DIOP, day=AUG_1), 2)
    day_two = KnownEvent("ev_2", facts(LAVROV, DIOP, day=dt.date(2024, 8, 2)), 2)
    loose = facts(LAVROV, DIOP, day=dt.date(2024, 8, 2), loose=True)
    assert choose_event(loose, [day_one, day_two], 1, THRESHOLD) == []
    assert [e.event_id for e, _ in choose_event(loose, [day_two], 1, THRESHOLD)] == ["ev_2"]


def test_reports_naming_one_town_reach_each_other_whatever_their_actors():
    """The lookup finds what the score can join: two reports naming the same town reach each other
    (the 'p:' reach term) though their actors have nothing in common."""
    regulator = replace(facts(("org:hac", None), kind="COERCE", mode=None), places=frozenset({"loc:tabale-fm"}))
    country = replace(facts(MALI_ACTOR, kind="COERCE", mode=None), places=frozenset({"loc:tabale-fm"}))
    assert within_reach(regulator, country, 1) and within_reach(country, regulator, 1)
    assert not within_reach(replace(regulator, places=frozenset()), replace(country, places=frozenset()), 1)


def test_named_places_leave_out_continents_and_regions():
    """'forces américaines en Afrique', 'le Sahel': a region tells no event, a town does."""
    africa = Entity(text="Afrique", label="LOC", name="Afrique", key="loc:afrique", start=0, end=7)
    sahel = Entity(text="Sahel", label="LOC", name="Sahel", key="loc:sahel", start=0, end=5)
    event, article = _article(
        "Afrique : le Sahel inquiet", "Une attaque a frappé Kolofata, au Sahel, en Afrique.", africa, sahel, KOLOFATA
    )
    assert named_places(event, article) == frozenset({"loc:kolofata"})


@pytest.mark.parametrize(
    ("first", "second"),
    [("loc:bani-bangou", "loc:banibangou"), ("loc:tillabery", "loc:tillaberi"), ("loc:el-facher", "loc:elfacher")],
)
def test_shared_places_agree_across_spellings(first: str, second: str):
    """Outlets spell Sahel towns their own way: 'Bani Bangou' and 'Banibangou' are one town."""
    assert shared_places(frozenset({first, "loc:niamey"}), frozenset({second})) == frozenset({first})
    assert same_place(Location(name="x", key=first), Location(name="y", key=second))


def test_shared_places_keep_other_towns_apart():
    assert shared_places(frozenset({"loc:diapaga"}), frozenset({"loc:djibo", "loc:kaya"})) == frozenset()
    assert not same_place(Location(name="Kaya", key="loc:kaya"), Location(name="Kayes", key="loc:kayes"))


def test_actorless_reports_join_through_a_town_spelled_two_ways():
    first = replace(facts(kind="ASSAULT", text="embuscade meurtrière contre un convoi", mode=None),
                    places=frozenset({"loc:bani-bangou"}))
    second = replace(facts(kind="ASSAULT", text="des soldats tués dans une embuscade", mode=None),
                     places=frozenset({"loc:banibangou"}))
    assert joins(first, second)


DEBY, MBZ = ("per:mahamat-idriss-deby", "TCD"), ("per:mohammed-ben-zayed", "ARE")
DEBY_CALL = "Mahamat Idriss Déby s'est entretenu au téléphone avec Mohammed ben Zayed de la coopération bilatérale"


def test_undated_report_matching_two_days_of_a_series_joins_neither():
    """The same two leaders called each other on 8 and 29 January; an undated report of 'their
    call' fits both: it may be either, so it is neither's."""
    first = KnownEvent("ev_a", facts(DEBY, MBZ, day=dt.date(2025, 1, 8), text=DEBY_CALL), 1)
    second = KnownEvent("ev_b", facts(DEBY, MBZ, day=dt.date(2025, 1, 29), text=DEBY_CALL), 1)
    undated = facts(DEBY, MBZ, day=None, text=DEBY_CALL)
    assert choose_event(undated, [first], 1, THRESHOLD)  # one day only: a near-copy joins it
    assert choose_event(undated, [first, second], 1, THRESHOLD) == []


def test_undated_call_never_joins_a_visit():
    """An undated phone call and a visit of the same two leaders, told in the same words, are two."""
    visit = facts(DEBY, MBZ, day=dt.date(2025, 2, 17), text=DEBY_CALL, mode="visit")
    assert not joins(facts(DEBY, MBZ, day=None, text=DEBY_CALL, mode="phone"), visit)
    assert joins(facts(DEBY, MBZ, day=None, text=DEBY_CALL, mode="visit"), visit)


def test_echoes_a_thin_later_mention_of_the_same_day():
    banibangou = Location(name="Banibangou", key="loc:banibangou")
    ambush = facts(("org:fds", "NER"), kind="ASSAULT", mode=None, location=banibangou)
    niger = Location(name="Niger", key="loc:ner", country="NER")
    assert echoes(facts(kind="ASSAULT", mode=None, location=niger), ambush)
    assert echoes(facts(kind="ASSAULT", mode=None, day=AUG_1 + dt.timedelta(days=2), loose=True), ambush)
    assert not echoes(facts(("org:eigs", None), kind="ASSAULT", mode=None), ambush)  # a group of its own
    assert not echoes(facts(kind="ASSAULT", mode=None, location=KIDAL), ambush)  # another town
    assert not echoes(facts(kind="ASSAULT", mode=None, day=AUG_1 + dt.timedelta(days=2)), ambush)  # its own day
    assert not echoes(facts(kind="PROTEST", mode=None), ambush)
