"""Context flags on the real model for forms outlets use: 'ne ... que' restricts, it does not
negate, wherever the parse hangs its 'que'; a past the text dates before the article is not
announced, even told in the future perfect ('n'aura duré que quelques minutes')."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.extract.conftest import extract_one, of_type

pytestmark = pytest.mark.model

D = dt.date


def test_restriction_after_an_infinitive_is_no_negation(nlp) -> None:
    article = extract_one(
        nlp,
        "Selon Me Karim Jouini, son client n'a pu voir sa famille que deux jours après son interpellation "
        "par la police.",
        D(2025, 4, 17),
    )
    (arrest,) = of_type(article.events, "COERCE")
    assert not arrest.context.negated


def test_restriction_with_elided_que_is_no_negation(nlp) -> None:
    article = extract_one(
        nlp, "Le ministre Sergueï Lavrov ne rencontrera Abdoulaye Diop qu'après le sommet.", D(2025, 4, 17)
    )
    (meeting,) = of_type(article.events, "CONSULT")
    assert not meeting.context.negated and meeting.context.future


def test_plain_negation_stays_negated(nlp) -> None:
    article = extract_one(
        nlp, "Le ministre Sergueï Lavrov n'a pas rencontré Abdoulaye Diop, qui est resté à Bamako.", D(2025, 4, 17)
    )
    (meeting,) = of_type(article.events, "CONSULT")
    assert meeting.context.negated


def test_past_told_in_the_future_perfect_is_the_event(nlp) -> None:
    """'La marche du samedi 9 août 2025 ... n'aura duré que quelques dizaines de minutes', written
    on the 11th: the march happened."""
    article = extract_one(
        nlp,
        "La marche du samedi 9 août 2025, initiée par le front commun PPA-CI/PDCI-RDA pour exiger la "
        "réinscription de Laurent Gbagbo, n'aura duré que quelques dizaines de minutes.",
        D(2025, 8, 11),
    )
    (march,) = of_type(article.events, "PROTEST")
    assert not march.context.future and not march.context.negated


def test_announced_event_dated_after_the_article_stays_announced(nlp) -> None:
    article = extract_one(
        nlp, "Le front commun organisera une marche le samedi 23 août 2025 à Abidjan.", D(2025, 8, 20)
    )
    (march,) = of_type(article.events, "PROTEST")
    assert march.context.future
