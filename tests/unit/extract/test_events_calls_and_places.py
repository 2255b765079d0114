"""Event rules for calls, stopped actions, street protests, the dates of a gathered subject and
the place a nameless event happened (real model). Texts written for these tests in the way wire
agencies, state media and dailies phrase them; each rule has the negative it must not fire on."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.extract.conftest import actor_keys, extract_one, of_type

pytestmark = pytest.mark.model

D = dt.date


def test_events_calling_a_named_counterpart_is_a_phone_call(nlp) -> None:
    """'a appelé ce jeudi son homologue X' (the parse hangs X under the day): a phone call."""
    article = extract_one(
        nlp,
        "Le président tunisien Kaïs Saïed a appelé ce jeudi son homologue algérien Abdelmadjid Tebboune "
        "pour lui présenter ses vœux, a rapporté la Présidence algérienne.",
        D(2024, 4, 11),
    )
    (call,) = of_type(article.events, "CONSULT")
    assert call.mode == "phone" and call.date == D(2024, 4, 11)
    assert {"per:kais-saied", "per:abdelmadjid-tebboune"} <= actor_keys(call)


@pytest.mark.parametrize(
    "text",
    [
        "Le président Macky Sall a appelé les autorités du Mali à rétablir le calendrier.",  # urging
        "Emmanuel Macron a appelé Vladimir Poutine à la retenue.",  # urging
        "Le nouveau ministre s'appelle Moussa Traoré.",  # a name
        "Le président a appelé la population au calme.",  # nobody named
    ],
)
def test_events_calling_on_someone_to_act_is_no_call(nlp, text: str) -> None:
    assert not of_type(extract_one(nlp, text, D(2024, 4, 11)).events, "CONSULT")


def test_events_arreter_de_is_no_arrest(nlp) -> None:
    """'n'ont pas arrêté de sonner' stops nothing; 'a arrêté trois militants à Lomé' arrests."""
    assert not of_type(
        extract_one(nlp, "À Miami, les téléphones n'ont pas arrêté de sonner.", D(2025, 4, 1)).events, "COERCE"
    )
    arrest = extract_one(nlp, "La police a arrêté jeudi trois militants à Lomé.", D(2024, 4, 12))
    assert [e.location.name for e in of_type(arrest.events, "COERCE") if e.location] == ["Lomé"]


def test_events_investir_les_rues_is_a_protest(nlp) -> None:
    article = extract_one(
        nlp, "Hier, des milliers de jeunes ont investi les artères du centre-ville de Dakar.", D(2024, 2, 10)
    )
    (protest,) = of_type(article.events, "PROTEST")
    assert protest.date == D(2024, 2, 9)


@pytest.mark.parametrize(
    "text",
    [
        "Le Parlement a investi lundi le nouveau Premier ministre du Niger.",
        "Le Maroc a investi deux milliards de dollars au Sénégal.",
    ],
)
def test_events_investir_without_a_street_is_no_protest(nlp, text: str) -> None:
    assert not of_type(extract_one(nlp, text, D(2024, 2, 10)).events, "PROTEST")


def test_events_participle_of_the_acting_subject_dates_its_act(nlp) -> None:
    """'Les dirigeants, réunis jeudi à Accra, ont décidé de geler ...': the sanction is of Thursday."""
    article = extract_one(
        nlp,
        "Les dirigeants ouest-africains, réunis jeudi en sommet extraordinaire à Accra, ont décidé de geler "
        "les avoirs des membres de la junte guinéenne.",
        D(2021, 9, 18),
    )
    (sanction,) = of_type(article.events, "SANCTION")
    assert (sanction.date, sanction.date_precision) == (D(2021, 9, 16), "day")


def test_events_place_seen_from_is_not_where_a_nameless_event_happened(nlp) -> None:
    """'Depuis Paris, Lyon ou Milan' is where the diaspora watched from: no place for the protests;
    the headline's place is where they were."""
    text = (
        "Depuis Paris, Lyon ou Milan, les Sénégalais de l'extérieur ont suivi les images des manifestations "
        "du vendredi 9 février. Un rassemblement est prévu devant l'ambassade du Sénégal."
    )
    untitled = extract_one(nlp, text, D(2024, 2, 11))
    assert not [e for e in of_type(untitled.events, "PROTEST") if e.location and e.location.name in {"Paris", "Lyon"}]
    titled = extract_one(nlp, text, D(2024, 2, 11), title="Manifestations au Sénégal : la diaspora de Paris solidaire")
    assert [(e.date, e.location.name) for e in of_type(titled.events, "PROTEST") if e.location] == [
        (D(2024, 2, 9), "Sénégal")
    ]


def test_events_body_adopting_sanctions_imposes_them(nlp) -> None:
    """'l'UE a adopté des sanctions contre l'Iran': the subject of the verb that adopts them acts."""
    article = extract_one(
        nlp,
        "Les ministres des Affaires étrangères de l'Union européenne ont adopté lundi une nouvelle série "
        "de sanctions contre l'Iran.",
        D(2024, 10, 14),
    )
    (sanction,) = of_type(article.events, "SANCTION")
    assert [a.key for a in sanction.source_actors] == ["org:ue"]
    assert [a.key for a in sanction.target_actors] == ["loc:irn"]


def test_events_a_round_of_talks_names_talks(nlp) -> None:
    """'leur deuxième journée de pourparlers' has no determiner of its own, yet names talks."""
    article = extract_one(
        nlp,
        "Les délégations de la Russie et de l'Ukraine ont tenu mercredi leur deuxième journée de pourparlers "
        "à Istanbul, sous les auspices de la Turquie.",
        D(2025, 8, 14),
    )
    (talks,) = of_type(article.events, "CONSULT")
    assert talks.date == D(2025, 8, 13) and talks.location is not None and talks.location.name == "Istanbul"
    assert {"loc:rus", "loc:tur"} <= actor_keys(talks)


def test_events_summons_names_who_called_a_protest_and_is_no_event(nlp) -> None:
    """'à l'appel du Réseau X' is who called the march, not a phone call; 'à l'invitation de X' no request."""
    march = extract_one(
        nlp,
        "Ils étaient plus d'un millier à battre le pavé hier dans la capitale, à l'appel du Réseau tunisien "
        "des droits et libertés.",
        D(2024, 9, 14),
    )
    assert [e.type for e in march.events] == ["PROTEST"]
    assert [a.name for a in march.events[0].source_actors] == ["Réseau tunisien des droits et libertés"]
    visit = extract_one(
        nlp,
        "À l'invitation d'Alassane Ouattara, le président Bassirou Diomaye Faye effectuera une visite à Abidjan "
        "le mardi 7 mai 2024.",
        D(2024, 5, 2),
    )
    assert [e.type for e in visit.events] == ["CONSULT"]


def test_events_frozen_assets_belong_to_the_target(nlp) -> None:
    """'le gel des avoirs des membres du CNRD': whose assets are frozen undergoes the sanction."""
    article = extract_one(
        nlp, "Gel des avoirs financiers des membres du CNRD, la junte du colonel Doumbouya.", D(2021, 9, 18)
    )
    (sanction,) = of_type(article.events, "SANCTION")
    assert ([a.key for a in sanction.source_actors], [a.key for a in sanction.target_actors]) == ([], ["org:cnrd"])


def test_events_a_region_is_no_place_of_the_event(nlp) -> None:
    """'en Afrique de l'Ouest', 'dans le Sahel' say nothing of where an attack happened: a report
    placed there would be kept apart from one that names the town."""
    article = extract_one(
        nlp,
        "Les attaques jihadistes se multiplient en Afrique de l'Ouest. Au moins dix soldats ont été tués "
        "mardi dans une embuscade, selon des sources sécuritaires. Deux jours plus tôt, des hommes armés "
        "avaient attaqué un poste de gendarmerie à Banibangou.",
        D(2025, 2, 11),
    )
    places = {a.location.name if a.location else None for a in of_type(article.events, "ASSAULT")}
    assert "Banibangou" in places and "Afrique de l'Ouest" not in places


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        ("L'Algérie a déclaré mardi persona non grata deux agents de l'ambassade de France.", "loc:dza", "loc:fra"),
        ("Deux diplomates français déclarés persona non grata par Alger doivent quitter le pays.", "loc:dza", None),
    ],
)
def test_events_persona_non_grata_is_an_expulsion(nlp, text: str, source: str, target: str | None) -> None:
    article = extract_one(nlp, text, D(2025, 6, 3))
    (expulsion,) = of_type(article.events, "COERCE")
    assert source in {a.key for a in expulsion.source_actors}
    assert target is None or target in {a.key for a in expulsion.target_actors}
