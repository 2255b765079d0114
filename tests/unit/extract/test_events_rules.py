"""One rule of the event finder per test (real model): dates bound to the right expression,
actors through attribution and affiliation, passive places, reflexive exclusions.

The texts are written for these tests in the way wire agencies and local outlets phrase them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.extract.conftest import actor_keys, extract_one, of_type

pytestmark = pytest.mark.model

D = dt.date


def test_events_noun_takes_date_of_its_verb_not_of_the_report(nlp) -> None:
    """'tués dimanche lors d'une attaque ..., ont déclaré lundi des sources': the attack is Sunday."""
    text = (
        "Trois soldats ont été tués samedi lors d'une embuscade du JNIM près de Boni, "
        "ont indiqué dimanche des sources sécuritaires."
    )
    events = of_type(extract_one(nlp, text, D(2024, 3, 10)).events, "ASSAULT")
    assert events and all(e.date == D(2024, 3, 9) for e in events), [(e.trigger, e.date) for e in events]


def test_events_dateline_date_dates_no_event(nlp) -> None:
    """'Gao (Mali), 12 mars 2024 (AFP) – ... mardi': the dateline is the report's day, not the event's."""
    text = (
        "Gao (Mali), 13 mars 2024 (AFP) – Des jihadistes du JNIM ont attaqué mardi soir un poste "
        "de l'armée malienne à Ansongo, a-t-on appris de sources locales."
    )
    events = of_type(extract_one(nlp, text, D(2024, 3, 13)).events, "ASSAULT")
    assert events and events[0].date == D(2024, 3, 12), [(e.trigger, e.date, e.date_reason) for e in events]


def test_events_attributed_attack_has_the_group_as_source(nlp) -> None:
    """'une attaque attribuée aux jihadistes de X': X carried it out."""
    text = "Au moins dix civils ont péri jeudi dans une attaque attribuée à l'État islamique au Niger."
    events = of_type(extract_one(nlp, text, D(2024, 6, 7)).events, "ASSAULT")
    assert any("org:ei" in {a.key for a in e.source_actors} for e in events), [
        (e.trigger, [a.key for a in e.source_actors], [a.key for a in e.target_actors]) for e in events
    ]


def test_events_nameless_party_stands_for_its_group(nlp) -> None:
    """'des hommes armés se réclamant de Boko Haram': the group is the actor."""
    text = "Le village a été attaqué mardi par des hommes armés se réclamant de Boko Haram."
    events = of_type(extract_one(nlp, text, D(2024, 6, 5)).events, "ASSAULT")
    assert any("org:boko-haram" in actor_keys(e) for e in events), [(e.trigger, actor_keys(e)) for e in events]


def test_events_reflexive_reclamer_is_no_request(nlp) -> None:
    """'se réclamant de X' is allegiance, not a request."""
    text = "Le village a été attaqué mardi par des hommes armés se réclamant de Boko Haram."
    assert not of_type(extract_one(nlp, text, D(2024, 6, 5)).events, "REQUEST")


def test_events_passive_place_is_location_not_source(nlp) -> None:
    """'Ménaka a été attaquée': the town is where it happened, not who attacked."""
    text = "La ville de Ménaka a été attaquée vendredi par des combattants de l'État islamique."
    events = of_type(extract_one(nlp, text, D(2024, 6, 8)).events, "ASSAULT")
    assert events, "no attack"
    event = events[0]
    assert event.location is not None and event.location.name == "Ménaka"
    assert "loc:mli" not in {a.key for a in event.source_actors}


def test_events_phone_participle_tagged_noun_is_a_call(nlp) -> None:
    """'X a téléphoné mardi au président Y': a call, even when the tagger reads 'téléphoné' as a noun."""
    text = "Le chef de l'Etat Félix Tshisekedi a téléphoné ce mardi au président angolais Joao Lourenço."
    events = of_type(extract_one(nlp, text, D(2024, 7, 31)).events, "CONSULT")
    assert any(
        e.mode == "phone"
        and e.date == D(2024, 7, 30)
        and {"per:felix-tshisekedi", "per:joao-lourenco"} <= actor_keys(e)
        for e in events
    ), [(e.trigger, e.mode, e.date, actor_keys(e)) for e in events]


def test_events_reception_with_guest_under_an_oblique(nlp) -> None:
    """'a reçu hier à Yaoundé son homologue X': the parse hangs the guest under the place; still a visit."""
    text = (
        "Le ministre des Relations extérieures, Lejeune Mbella Mbella, a reçu hier à Yaoundé son "
        "homologue tchadien Abderaman Koulamallah."
    )
    events = of_type(extract_one(nlp, text, D(2024, 10, 18)).events, "CONSULT")
    assert any({"per:lejeune-mbella-mbella", "per:abderaman-koulamallah"} <= actor_keys(e) for e in events), [
        (e.trigger, actor_keys(e)) for e in events
    ]


def test_events_work_session_is_a_meeting(nlp) -> None:
    """'a eu une séance de travail avec X': a meeting."""
    text = "Le ministre Ali Saleh a eu jeudi à Niamey une séance de travail avec le ministre nigérien, Bakary Yaou."
    events = of_type(extract_one(nlp, text, D(2024, 7, 26)).events, "CONSULT")
    assert any(e.trigger == "séance de travail" and e.date == D(2024, 7, 25) for e in events), [
        (e.trigger, e.date) for e in events
    ]


def test_events_reunir_is_a_meeting(nlp) -> None:
    """'X a réuni Y et Z': whoever convenes and whoever attends meet."""
    text = "Le président Bola Tinubu a réuni lundi à Abuja Mahamat Idriss Déby et Paul Biya."
    events = of_type(extract_one(nlp, text, D(2024, 7, 30)).events, "CONSULT")
    assert any(e.trigger.startswith("réuni") for e in events), [(e.trigger, actor_keys(e)) for e in events]


def test_events_target_of_armed_party_is_an_attack(nlp) -> None:
    """'Kolofata a été la cible des terroristes de Boko Haram': an attack by them, there."""
    text = "Kolofata a de nouveau été la cible des terroristes de Boko Haram ce dimanche 11 février."
    events = of_type(extract_one(nlp, text, D(2024, 2, 12)).events, "ASSAULT")
    assert any(
        {a.key for a in e.source_actors} == {"org:boko-haram"} and e.date == D(2024, 2, 11) for e in events
    ), [(e.trigger, actor_keys(e), e.date) for e in events]


def test_events_target_of_criticism_is_no_attack(nlp) -> None:
    """'est la cible de critiques': no attack."""
    text = "Le ministre nigérien Bakary Yaou est la cible de vives critiques à Niamey."
    assert not of_type(extract_one(nlp, text, D(2024, 2, 12)).events, "ASSAULT")


def test_events_armed_party_sen_prendre_is_an_attack(nlp) -> None:
    """'des jihadistes s'en sont pris à des soldats maliens': an attack on Mali's soldiers."""
    text = "Des jihadistes s'en sont pris dimanche à des soldats maliens près de Boni."
    events = of_type(extract_one(nlp, text, D(2024, 2, 12)).events, "ASSAULT")
    assert any("loc:mli" in {a.key for a in e.target_actors} for e in events), [
        (e.trigger, actor_keys(e)) for e in events
    ]


def test_events_politician_sen_prendre_is_no_attack(nlp) -> None:
    """'le président s'en est pris à la presse': words, not an attack."""
    text = "Le président Emmanuel Macron s'en est pris lundi à la presse française."
    assert not of_type(extract_one(nlp, text, D(2024, 2, 12)).events, "ASSAULT")


def test_events_armed_men_prendre_pour_cible_and_faire_irruption(nlp) -> None:
    """'ont pris pour cible', 'ont fait irruption' by armed men: attacks."""
    for text in (
        "Des hommes armés ont pris pour cible dimanche un poste de la gendarmerie malienne à Boni.",
        "Des hommes armés ont fait irruption dimanche à Kolofata, dans l'Extrême-Nord du Cameroun.",
    ):
        events = of_type(extract_one(nlp, text, D(2024, 2, 12)).events, "ASSAULT")
        assert any(e.date == D(2024, 2, 11) for e in events), (text, [(e.trigger, e.date) for e in events])


def test_events_representatives_se_retrouver_is_a_meeting(nlp) -> None:
    """'les représentants de la Russie et de l'Ukraine se sont retrouvés mardi': a meeting; 'se
    retrouvent isolés' is none."""
    text = "Les représentants de la Russie et de l'Ukraine se sont retrouvés mardi à Istanbul."
    events = of_type(extract_one(nlp, text, D(2025, 8, 13)).events, "CONSULT")
    assert any({"loc:rus", "loc:ukr"} <= actor_keys(e) and e.date == D(2025, 8, 12) for e in events), [
        (e.trigger, actor_keys(e), e.date) for e in events
    ]
    text = "Le Mali et le Niger se retrouvent isolés au sein de la Cédéao."
    assert not of_type(extract_one(nlp, text, D(2025, 8, 13)).events, "CONSULT")


def test_events_list_item_takes_the_date_of_its_intro(nlp) -> None:
    """'ont arrêté le 16 septembre les mesures suivantes : 1. Gel des avoirs ...': dated the 16th."""
    text = (
        "Réunis en sommet à Accra le 16 septembre, les dirigeants de la Cédéao ont arrêté les mesures suivantes :\n\n"
        "1. Gel des avoirs financiers des membres du CNRD.\n"
        "2. Interdiction de voyager pour ces mêmes personnes.\n\n"
        "La Guinée reste privée de sanctions économiques générales, a indiqué la Cédéao."
    )
    events = extract_one(nlp, text, D(2021, 9, 18)).events
    assert any(e.trigger == "Gel des avoirs" and e.date == D(2021, 9, 16) for e in events), [
        (e.trigger, e.date) for e in events
    ]
    assert all(e.date == D(2021, 9, 18) for e in events if e.trigger == "sanctions"), [
        (e.trigger, e.date) for e in events
    ]


def test_events_geler_les_avoirs_is_a_sanction(nlp) -> None:
    """'a gelé les avoirs de X': a sanction against X; 'geler un projet' is none."""
    text = "Le Trésor américain a gelé lundi les avoirs de la Banque centrale du Venezuela."
    events = of_type(extract_one(nlp, text, D(2024, 2, 12)).events, "SANCTION")
    assert any(e.trigger == "gelé" and e.date == D(2024, 2, 12) for e in events), [
        (e.trigger, actor_keys(e)) for e in events
    ]
    text = "La Banque mondiale a gelé lundi le projet de barrage au Mali."
    assert not of_type(extract_one(nlp, text, D(2024, 2, 12)).events, "SANCTION")


def test_events_country_stands_for_its_sole_named_person(nlp) -> None:
    """'La Russie soutient le Burkina Faso, a déclaré la porte-parole russe X': X takes part; with
    two Russians named, neither is picked."""
    text = (
        "La Russie a réaffirmé mardi son soutien au Burkina Faso, a déclaré la porte-parole de la "
        "diplomatie russe, Maria Zakharova."
    )
    events = of_type(extract_one(nlp, text, D(2024, 5, 28)).events, "SUPPORT")
    assert any("per:maria-zakharova" in actor_keys(e) for e in events), [(e.trigger, actor_keys(e)) for e in events]
    text += " Le ministre russe des Affaires étrangères, Sergueï Lavrov, est attendu à Ouagadougou."
    events = of_type(extract_one(nlp, text, D(2024, 5, 28)).events, "SUPPORT")
    assert events and not any("per:maria-zakharova" in actor_keys(e) for e in events), [
        (e.trigger, actor_keys(e)) for e in events
    ]


def test_triggers_present_forms_of_er_verbs() -> None:
    """Regular -er lemmas give their present forms; other verbs none."""
    from services.extract.triggers import present_forms

    assert present_forms(["réclamer", "ratifier"]) == sorted(
        ["réclame", "réclames", "réclament", "ratifie", "ratifies", "ratifient"]
    )
    assert present_forms(["détenir", "rendre"]) == []


def test_events_verb_left_unlemmatized_still_triggers(nlp) -> None:
    """'Le Mali réclame ...' (lemma left as 'réclame') is a request; 'en signe de' is no deal."""
    text = "Le Mali réclame le départ immédiat des troupes françaises."
    events = of_type(extract_one(nlp, text, D(2024, 5, 28)).events, "REQUEST")
    assert any(e.trigger == "réclame" and "loc:mli" in actor_keys(e) for e in events), [
        (e.trigger, actor_keys(e)) for e in events
    ]
    text = "Le Mali a reçu le Niger lundi, signe d'une diplomatie qui entend diversifier ses partenaires."
    assert not of_type(extract_one(nlp, text, D(2024, 5, 28)).events, "AGREE")


def test_events_country_in_talks_stands_for_its_delegation_leader(nlp) -> None:
    """'la délégation russe est conduite par X, celle de l'Ukraine par Y': X and Y take part."""
    text = (
        "Des délégations russe et ukrainienne ont entamé mardi à Istanbul des pourparlers directs. "
        "La délégation russe est conduite par le conseiller du Kremlin Vladimir Medinski, celle de l'Ukraine "
        "par le secrétaire du Conseil de sécurité nationale, Roustem Oumerov."
    )
    events = of_type(extract_one(nlp, text, D(2025, 8, 12)).events, "CONSULT")
    assert any({"per:vladimir-medinski", "per:roustem-oumerov"} <= actor_keys(e) for e in events), [
        (e.trigger, actor_keys(e)) for e in events
    ]


def test_events_compound_nationality_gives_both_countries() -> None:
    """'russo-ukrainiens' → Russia and Ukraine; 'algéro-italien' → Algeria and Italy; a plain
    or unknown compound gives nothing."""
    from services.extract.events import compound_countries
    from services.extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    assert compound_countries("russo-ukrainiens", gazetteer) == ["RUS", "UKR"]
    assert compound_countries("algéro-italien", gazetteer) == ["DZA", "ITA"]
    assert compound_countries("malien", gazetteer) == []
    assert compound_countries("socio-économique", gazetteer) == []


def test_events_talks_named_by_a_compound_nationality(nlp) -> None:
    """'les pourparlers russo-ukrainiens ont repris mardi': Russia and Ukraine meet."""
    text = "Les pourparlers russo-ukrainiens ont repris mardi à Istanbul."
    events = of_type(extract_one(nlp, text, D(2025, 8, 13)).events, "CONSULT")
    assert any({"loc:rus", "loc:ukr"} <= actor_keys(e) for e in events), [(e.trigger, actor_keys(e)) for e in events]


def test_events_frapper_needs_an_armed_subject(nlp) -> None:
    """'des hommes armés ont frappé la ville' is an attack; 'la crise frappe les ménages' is not."""
    armed = extract_one(nlp, "Des hommes armés ont frappé lundi la ville de Djibo.", D(2024, 5, 28))
    crisis = extract_one(nlp, "La crise frappe durement les ménages de Djibo.", D(2024, 5, 28))
    assert of_type(armed.events, "ASSAULT")
    assert not of_type(crisis.events, "ASSAULT")


def test_events_crowd_of_attackers_is_an_armed_party(nlp) -> None:
    """'une centaine de jihadistes' counts its 'de X': the idiom needs an armed party, and has one."""
    article = extract_one(
        nlp, "Une centaine de jihadistes ont fait irruption jeudi dans le village de Tin-Akoff.", D(2024, 3, 8)
    )
    crowd = extract_one(
        nlp, "Une foule de curieux a fait irruption jeudi dans la salle du tribunal de Niamey.", D(2024, 3, 8)
    )
    assert of_type(article.events, "ASSAULT")
    assert not of_type(crowd.events, "ASSAULT")


def test_events_money_verbs_need_money_as_object(nlp) -> None:
    """'a versé deux millions de dollars' is aid; 'a versé une larme' is not."""
    money = extract_one(nlp, "Le Qatar a versé mardi deux millions de dollars au Niger.", D(2024, 4, 17))
    tears = extract_one(
        nlp, "Le ministre nigérien a versé mardi une larme devant le Niger tout entier.", D(2024, 4, 17)
    )
    assert of_type(money.events, "AID")
    assert not of_type(tears.events, "AID")


def test_events_undated_article_keeps_the_day_and_month_its_text_gives(nlp) -> None:
    """'Le 14 novembre' in an article with no date: no date, its reason, and month_day 11-14."""
    text = "Le 14 novembre, la Haute autorité de la communication a suspendu pour trois mois la radio Tabalé FM."
    undated = extract_one(nlp, text, None, "unknown")
    dated = extract_one(nlp, text, D(2024, 11, 20))
    (event,) = of_type(undated.events, "COERCE")
    assert (event.date, event.month_day) == (None, "11-14")
    assert event.date_reason and "no year" in event.date_reason
    assert [(e.date, e.month_day) for e in of_type(dated.events, "COERCE")] == [(D(2024, 11, 14), None)]


def test_events_nameless_attack_happened_at_the_place_the_article_opens_with(nlp) -> None:
    """'des hommes armés ont frappé la ville' names nobody and nowhere: the opening sentence's town."""
    article = extract_one(
        nlp, "Djibo, encore. Avant-hier, des hommes armés ont une nouvelle fois frappé la ville.", D(2024, 5, 28)
    )
    (attack,) = of_type(article.events, "ASSAULT")
    assert attack.location is not None and attack.location.name == "Djibo"
    assert attack.date == D(2024, 5, 26)


@pytest.mark.parametrize(
    "text",
    [
        "Djibo, encore. Une attaque avait fait cinq morts parmi les civils.",  # recalled (pluperfect)
        "Djibo, encore. Une nouvelle attaque pourrait frapper la ville.",  # supposed
        "Djibo, encore. Aucune attaque n'a été signalée depuis une semaine.",  # denied
    ],
)
def test_events_nameless_event_not_told_as_fact_takes_no_opening_place(nlp, text: str) -> None:
    assert not of_type(extract_one(nlp, text, D(2024, 5, 28)).events, "ASSAULT")


def test_events_noun_counted_by_a_quantity_names_events(nlp) -> None:
    """'une nouvelle série de sanctions' has no determiner of its own, yet names sanctions."""
    article = extract_one(
        nlp,
        "Les ministres de l'Union européenne ont adopté lundi une nouvelle série de sanctions contre l'Iran.",
        D(2024, 10, 14),
    )
    assert of_type(article.events, "SANCTION")


def test_events_warning_that_is_a_threat_telling_is_not(nlp) -> None:
    """'a averti dimanche qu'Israël s'exposerait à une riposte' threatens; 'a averti les parents de
    la fermeture' only tells."""
    threat = extract_one(
        nlp,
        "Le général iranien Mohammad Bagheri a averti dimanche qu'Israël s'exposerait à une riposte écrasante.",
        D(2024, 10, 20),
    )
    notice = extract_one(
        nlp, "Le directeur a averti les parents d'élèves de la fermeture de l'école de Niamey.", D(2024, 10, 20)
    )
    assert of_type(threat.events, "THREATEN")
    assert not of_type(notice.events, "THREATEN")


def test_events_protest_in_support_has_no_target(nlp) -> None:
    """'pour soutenir le général Tiani' says for whom, not against whom: no target."""
    article = extract_one(
        nlp, "Des centaines de personnes ont manifesté samedi à Niamey pour soutenir le général Tiani.", D(2024, 9, 14)
    )
    (protest,) = of_type(article.events, "PROTEST")
    assert protest.target_actors == []
