"""normalize_article as the app calls it: poison on bad input, ids, what is kept from the raw message."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from services.common.contracts import RawArticle
from services.common.errors import PoisonMessage
from services.ingest.normalize import normalize_article
from tests.conftest import SEEDS

BODY = (
    "Le ministre malien des Affaires étrangères, Abdoulaye Diop, a reçu mardi à Bamako son homologue "
    "russe pour des entretiens consacrés à la sécurité dans le Sahel."
)


def test_normalize_article_keeps_trace_external_id_and_url() -> None:
    """trace_id, external_id and url travel unchanged from the raw message."""
    raw = RawArticle(
        text=BODY, trace_id="t-123", external_id="feed-42", url="https://www.rfi.fr/fr/afrique/x"
    )
    article = normalize_article(raw)
    assert (article.trace_id, article.external_id, article.url) == ("t-123", "feed-42", raw.url)


def test_normalize_article_names_outlet_from_url_when_nothing_else_does() -> None:
    """With no source anywhere else, the URL's domain gives the outlet (known name or bare domain)."""
    assert (
        normalize_article(RawArticle(text=BODY, url="https://www.rfi.fr/fr/afrique/x")).source_name == "RFI"
    )
    assert (
        normalize_article(RawArticle(text=BODY, url="https://news.example.ml/a")).source_name
        == "news.example.ml"
    )


def test_normalize_article_producer_source_wins_over_source_line() -> None:
    """A producer's source wins over a "Source:" line in the text (which is still removed)."""
    raw = RawArticle(text=f"{BODY}\n\nSource: https://www.aa.com.tr/fr/", source="Studio Tamani")
    article = normalize_article(raw)
    assert article.source_name == "Studio Tamani"
    assert [line.kind for line in article.removed] == ["source"]


def test_normalize_article_same_content_same_id() -> None:
    """Typography and layout differences do not change the id: same content, same article_id."""
    plain = normalize_article(RawArticle(text=BODY.replace("'", "'") + "\nDeuxième paragraphe."))
    styled = normalize_article(
        RawArticle(text="  " + BODY.replace("'", "\u2019") + "\n\n\n Deuxième\u00a0paragraphe.  ")
    )
    assert plain.article_id == styled.article_id
    assert plain.article_id == hashlib.sha256(plain.text.encode()).hexdigest()[:16]


def test_normalize_article_rejects_text_over_limit_in_utf8_bytes() -> None:
    """The limit is in UTF-8 bytes: 600 "é" are 1,200 bytes, over a 1,000-byte limit."""
    with pytest.raises(PoisonMessage, match="1,200 bytes"):
        normalize_article(RawArticle(text="é" * 600), max_bytes=1_000)


def test_normalize_article_accepts_text_at_limit() -> None:
    """A text of exactly max_bytes bytes is accepted."""
    text = (BODY + " ")[:500].strip()
    assert normalize_article(RawArticle(text=text), max_bytes=len(text.encode())).text == text


def test_normalize_article_strips_nul_bytes() -> None:
    """NUL bytes are stripped, not a crash and not poison."""
    article = normalize_article(RawArticle(text=BODY.replace(" ", " \x00", 5)))
    assert "\x00" not in article.text
    assert article.text == normalize_article(RawArticle(text=BODY)).text


def test_normalize_article_rejects_binary_data() -> None:
    """Bytes decoded as Latin-1 from a binary file (controls everywhere) are poison."""
    binary = bytes(range(256)).decode("latin-1") * 8
    with pytest.raises(PoisonMessage, match="mostly undecodable"):
        normalize_article(RawArticle(text=binary))


def test_normalize_article_rejects_failed_decode() -> None:
    """A text that is mostly U+FFFD replacement characters is poison."""
    with pytest.raises(PoisonMessage, match="mostly undecodable"):
        normalize_article(
            RawArticle(text="Le \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd \ufffd\ufffd")
        )


def test_normalize_article_rejects_symbols_without_words() -> None:
    """Punctuation and digits only: no readable words, poison."""
    with pytest.raises(PoisonMessage, match="no readable words"):
        normalize_article(RawArticle(text="*** 12/12 --- ### !!! ??? 000 ***"))


def test_normalize_article_rejects_text_empty_after_normalization() -> None:
    """Only invisible characters: empty after normalization, poison."""
    with pytest.raises(PoisonMessage, match="empty after normalization"):
        normalize_article(RawArticle(text="\u200b\u200b\ufeff\u00ad"))


def test_normalize_article_rejects_text_that_is_all_boilerplate() -> None:
    """A French text made only of share bars and comment prompts has no article: poison."""
    with pytest.raises(PoisonMessage, match="boilerplate"):
        normalize_article(
            RawArticle(text="Partager sur Facebook\n\nLaisser un commentaire\n\nLire la suite", lang="fr")
        )


def test_normalize_article_keeps_short_text_that_is_only_a_headline() -> None:
    """A one-line brief is its own text (and title is not taken from it, since no body would remain)."""
    article = normalize_article(RawArticle(text="Attaque contre un convoi près de Tessalit"))
    assert article.text == "Attaque contre un convoi près de Tessalit"
    assert article.title is None


def test_normalize_article_is_deterministic_across_seeds() -> None:
    """Normalizing the same seed twice gives identical output (ids and all)."""
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    first, second = (normalize_article(RawArticle(text=text, trace_id="t")) for _ in range(2))
    assert first == second


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_article_raises_only_poison_on_any_unicode(text: str) -> None:
    """On arbitrary Unicode, the only error is PoisonMessage; an output re-fed gives the same text and id."""
    assume(text.strip())
    try:
        article = normalize_article(RawArticle(text=text))
    except PoisonMessage:
        return
    again = normalize_article(RawArticle(text=article.text))
    assert (again.text, again.article_id) == (article.text, article.article_id)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                BODY,
                "Partager sur Facebook",
                "Lire aussi : Mali : la transition prolongée",
                "Par Jean Dupont",
                "Bamako (AFP) – " + BODY,
                "29 février 2024",
                "Mali : Bamako et Moscou renforcent leurs liens",
                " date 2024-08 – ",
                "Publié le 12/03/2024 à 10h15",
                "« Soutiens mutuels »",
                "\x00",
                "",
                "\u00a0",
                "l\u2019armée",
                "Commentaires",
            ]
        ),
        min_size=1,
        max_size=12,
    )
)
def test_normalize_article_is_idempotent_on_mixed_articles(lines: list[str]) -> None:
    """Articles mixing body, boilerplate, datelines and titles: re-feeding the output changes nothing."""
    text = "\n".join(lines)
    assume(text.strip())
    try:
        article = normalize_article(RawArticle(text=text, lang="fr"))
    except PoisonMessage:
        return
    again = normalize_article(RawArticle(text=article.text, lang="fr"))
    assert (again.text, again.article_id, again.removed) == (article.text, article.article_id, [])
