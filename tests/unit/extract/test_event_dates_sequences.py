"""Dates counted from an event ("Quatre jours après l'attaque", "Quarante-huit heures après
l'embuscade") and a noun that tells its verb's event ("a été visée jeudi par une attaque"), on the
real model. Texts written for these tests in the way dailies and press reviews phrase them."""

from __future__ import annotations

import datetime as dt

import pytest

from services.extract.event_date_mentions import find_date_mentions
from tests.unit.extract.conftest import extract_one, of_type

pytestmark = pytest.mark.model

D = dt.date


def test_event_counted_from_is_before_the_clause_time(nlp) -> None:
    """'Quatre jours après l'attaque ..., les journaux font leurs comptes': the attack is four
    days before the article, not four days after it."""
    article = extract_one(
        nlp,
        "Quatre jours après l'attaque qui a frappé le détachement de Diapaga, les journaux de "
        "Ouagadougou font leurs comptes.",
        D(2025, 3, 17),
    )
    (attack,) = of_type(article.events, "ASSAULT")
    assert attack.date == D(2025, 3, 13)


def test_compound_number_counts_whole(nlp) -> None:
    """'Quarante-huit heures' is 48 hours, not 'huit heures'."""
    article = extract_one(
        nlp,
        "Quarante-huit heures après l'embuscade, le chef de la junte a rendu hommage aux soldats à Niamey.",
        D(2025, 2, 14),
    )
    (ambush,) = of_type(article.events, "ASSAULT")
    assert ambush.date == D(2025, 2, 12)


@pytest.mark.parametrize(("text", "count"), [("quarante-huit heures après", "quarante-huit"),
                                              ("vingt-quatre heures après", "vingt-quatre"),
                                              ("huit heures après", "huit")])
def test_sequence_mentions_read_compound_numbers(text: str, count: str) -> None:
    (mention,) = [m for m in find_date_mentions(f"Il est revenu {text} l'appel.") if m.kind == "after"]
    assert mention.required("count").lower() == count


def test_noun_telling_its_verbs_event_takes_the_verbs_day(nlp) -> None:
    """'a été visée jeudi par une nouvelle attaque, une semaine après celle qui...': jeudi dates
    the attack; the week counts back to the earlier one."""
    article = extract_one(
        nlp,
        "La ville de Diapaga a été visée jeudi par une nouvelle attaque, une semaine après celle qui "
        "avait décimé son détachement militaire.",
        D(2025, 3, 21),
    )
    attack = of_type(article.events, "ASSAULT")[0]
    assert attack.date == D(2025, 3, 20)


def test_event_anchoring_a_later_act_still_counts_forward(nlp) -> None:
    """'Vingt-quatre heures après cet appel, X a reçu Y': the reception is a day after the call."""
    article = extract_one(
        nlp,
        "Le président Macky Sall s'est entretenu mardi au téléphone avec Emmanuel Macron. Vingt-quatre "
        "heures après cet appel, Macky Sall a reçu à Dakar le Premier ministre français Gabriel Attal.",
        D(2024, 6, 5),
    )
    later = [e for e in of_type(article.events, "CONSULT") if e.mode != "phone"]
    assert later and later[0].date == D(2024, 6, 5)


def test_relative_clause_after_the_trigger_dates_it(nlp) -> None:
    """'Le bilan de la frappe russe qui a visé jeudi un immeuble ... a annoncé vendredi le maire':
    the parse hangs 'qui a visé jeudi' on the toll; it tells the strike, and jeudi is its day."""
    article = extract_one(
        nlp,
        "Le bilan de la frappe russe qui a visé jeudi un immeuble résidentiel de Kharkiv est monté à sept "
        "morts, a annoncé vendredi matin le maire de la ville, Igor Terekhov.",
        D(2025, 5, 16),
    )
    (strike,) = of_type(article.events, "ASSAULT")
    assert strike.date == D(2025, 5, 15)


def test_object_of_a_participation_verb_takes_its_day_not_a_side_clause_one(nlp) -> None:
    """'L'UE a adopté lundi des sanctions contre trois officiers, qu'elle tient pour responsables
    de la disparition ... en juillet': the sanctions are of Monday; July is the disappearance's."""
    article = extract_one(
        nlp,
        "L'Union européenne a adopté lundi des sanctions contre trois responsables des forces de sécurité "
        "guinéennes, qu'elle tient pour responsables de la disparition forcée de deux militants de la "
        "société civile en juillet, a annoncé le Conseil de l'UE.",
        D(2024, 10, 21),
    )
    (sanctions,) = of_type(article.events, "SANCTION")
    assert sanctions.date == D(2024, 10, 21)


@pytest.mark.parametrize("statement", ["un communiqué publié mardi", "une déclaration diffusée mardi"])
def test_statement_published_on_a_day_dates_what_it_says(nlp, statement: str) -> None:
    article = extract_one(
        nlp,
        f"Dans {statement}, le ministère soudanais des Affaires étrangères accuse le Tchad de laisser "
        "transiter des armes destinées aux Forces de soutien rapide.",
        D(2025, 3, 6),
    )
    (accusation,) = of_type(article.events, "ACCUSE")
    assert accusation.date == D(2025, 3, 4)


def test_a_dated_side_clause_on_another_noun_does_not_date_the_clause(nlp) -> None:
    """'a accusé jeudi le Tchad, cité dans un rapport publié mardi': the report's day is not the
    accusation's."""
    article = extract_one(
        nlp,
        "Le ministère soudanais des Affaires étrangères a accusé jeudi le Tchad, cité dans un rapport "
        "publié mardi par des experts, de laisser transiter des armes.",
        D(2025, 3, 6),
    )
    (accusation,) = of_type(article.events, "ACCUSE")
    assert accusation.date == D(2025, 3, 6)
