"""extract_articles end to end (real model): edge inputs, contract output, seed entities."""

from __future__ import annotations

import datetime as dt

import pytest

from services.common.contracts import ExtractedArticle
from services.extract.pipeline import extract_articles, split_chunks
from tests.unit.extract.conftest import extract_one, make_article


def test_split_chunks_rejoins_exactly_at_paragraphs() -> None:
    """Long texts are cut at paragraph breaks and the pieces join back to the text."""
    text = "\n\n".join(f"Paragraphe {i} sur le Mali." for i in range(200))
    chunks = split_chunks(text, limit=500)
    assert "".join(chunks) == text
    assert all(len(c) <= 500 for c in chunks)
    assert all(c.endswith("\n\n") for c in chunks[:-1])


def test_split_chunks_without_breaks_cuts_at_spaces() -> None:
    """A paragraph-free blob is still cut, at a space, and rejoins exactly."""
    text = "mot " * 1000
    chunks = split_chunks(text, limit=300)
    assert "".join(chunks) == text and max(len(c) for c in chunks) <= 300


@pytest.mark.model
@pytest.mark.parametrize("text", ["   ", "\n\n\t\n"])
def test_extract_articles_whitespace_text_gives_empty_lists(nlp, text: str) -> None:
    """An article with no sentence at all yields no entities and no events, and no crash."""
    article = extract_articles(nlp, [make_article(text)])[0]
    assert (article.entities, article.events) == ([], [])


@pytest.mark.model
def test_extract_articles_non_french_is_not_parsed(nlp) -> None:
    """French rules are not run on an English article: empty lists, text kept."""
    text = "President Putin held a phone call with Assimi Goita on Tuesday."
    article = extract_one(nlp, text, dt.date(2024, 1, 2), lang="en")
    assert (article.entities, article.events) == ([], [])
    assert article.text == text


@pytest.mark.model
def test_extract_articles_keeps_batch_order_and_ids(nlp) -> None:
    """Outputs come back in input order, one per article, empty ones included."""
    articles = [
        make_article(
            "Vladimir Poutine a rencontré Assimi Goïta à Moscou.", dt.date(2024, 1, 2), article_id="a"
        ),
        make_article(" ", article_id="b"),
        make_article("Hello world.", lang="en", article_id="c"),
        make_article("La CEDEAO a sanctionné le Niger.", dt.date(2023, 8, 1), article_id="d"),
    ]
    out = extract_articles(nlp, articles, batch_size=2)
    assert [a.article_id for a in out] == ["a", "b", "c", "d"]
    assert all(isinstance(a, ExtractedArticle) for a in out)
    assert out[0].events and out[3].events


@pytest.mark.model
def test_extract_articles_offsets_point_into_text(nlp) -> None:
    """Entity and trigger offsets are character offsets into article.text."""
    text = "Titre\n\nLe colonel Assimi Goïta a reçu mardi 9 janvier 2024 le ministre Sergueï Lavrov à Bamako."
    article = extract_one(nlp, text, dt.date(2024, 1, 10))
    for entity in article.entities:
        assert text[entity.start : entity.end] == entity.text
    for event in article.events:
        assert text[event.trigger_start : event.trigger_end] == event.trigger
        assert text[event.sentence_start :].startswith(event.sentence)


@pytest.mark.model
def test_extract_articles_entity_counts_and_aliases(nlp) -> None:
    """One entity per actor, counting its mentions, with the surface forms seen."""
    text = (
        "Le président Vladimir Poutine a appelé Assimi Goïta. Poutine a salué le Mali. "
        "GOÏTA a remercié la Russie. A. Goita a conclu."
    )
    entities = {e.key: e for e in extract_one(nlp, text, dt.date(2024, 1, 2)).entities}
    assert entities["per:vladimir-poutine"].count == 2
    assert entities["per:assimi-goita"].count == 3
    assert {"Assimi Goïta", "GOÏTA", "A. Goita"} <= set(entities["per:assimi-goita"].aliases)
    assert entities["loc:mli"].country == "MLI"


@pytest.mark.model
def test_extract_articles_drops_model_noise(nlp) -> None:
    """A verb, a town as person and a person as ORG are not left as such."""
    text = (
        "Les deux ministres ont échangé sur des questions visant à raffermir le partenariat. "
        "Le ministre Lavrov a parlé. Les combats continuent dans le secteur de Tinzaouatène."
    )
    entities = extract_one(nlp, text, dt.date(2024, 8, 1)).entities
    assert not any(e.text.lower() == "raffermir" for e in entities)
    assert not any(e.name == "Tinzaouatène" and e.label == "PER" for e in entities)
    assert not any("Lavrov" in e.name and e.label == "ORG" for e in entities)


@pytest.mark.model
def test_extract_articles_paragraph_break_ends_entities(nlp) -> None:
    """A title line and the body never fuse into one entity ('Goïta\\n\\nNouvel')."""
    text = "Nouvel entretien entre Poutine et Goïta\n\nNouvel entretien entre les deux hommes."
    entities = extract_one(nlp, text, dt.date(2023, 10, 10)).entities
    assert all("\n" not in e.text for e in entities)


@pytest.mark.model
@pytest.mark.slow
def test_extract_articles_one_megabyte_article(nlp) -> None:
    """A 1 MB article is parsed in chunks without error; offsets still point into its text."""
    paragraph = (
        "Le ministre Abdoulaye Diop a rencontré son homologue russe Sergueï Lavrov à Moscou "
        "le 12 mars 2024 pour renforcer la coopération entre le Mali et la Russie.\n\n"
    )
    text = paragraph * (1_000_000 // len(paragraph) + 1)
    assert len(text) > 1_000_000
    article = extract_one(nlp, text, dt.date(2024, 3, 13))
    assert article.events and article.entities
    lavrov = next(e for e in article.entities if e.key == "per:serguei-lavrov")
    assert text[lavrov.start : lavrov.end] == lavrov.text
    assert lavrov.count > 1000
