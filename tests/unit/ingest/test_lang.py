"""Language: detected on a sample, producer's code wins, other languages pass through unmangled."""

from __future__ import annotations

import pytest

from services.common.contracts import RawArticle
from services.ingest.lang import SAMPLE_CHARS, detect_language, detector, language_sample, producer_language
from services.ingest.normalize import normalize_article
from services.ingest.text_cleanup import normalize_text

ENGLISH = (
    "Mali's transitional president Assimi Goita said on Tuesday he had spoken by phone with Russian "
    "President Vladimir Putin about security cooperation and the fight against terrorism in the Sahel.\n\n"
    "Read more: Niger junta expels French ambassador\n\n"
    "Share on Facebook\n\n"
    "The two leaders also discussed economic projects, according to a statement posted on social media."
)
ARABIC = (
    "أعلن رئيس المرحلة الانتقالية في مالي العقيد عاصمي غويتا أنه أجرى اتصالا هاتفيا مع الرئيس الروسي "
    "فلاديمير بوتين لبحث التعاون الأمني ومكافحة الإرهاب في منطقة الساحل.\n\n"
    "وأضاف أن الجانبين ناقشا أيضا مشاريع اقتصادية مشتركة في مجالات الطاقة والمناجم."
)
FRENCH = (
    "Le président de la transition malienne a eu un entretien téléphonique avec son homologue russe "
    "au sujet de la coopération sécuritaire et de la lutte contre le terrorisme au Sahel."
)


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (ARABIC, "ar"), (FRENCH, "fr")])
def test_detect_language_returns_iso_639_1_code(text: str, code: str) -> None:
    """English, Arabic and French texts are recognised and named by their two-letter code."""
    assert detect_language(normalize_text(text).split("\n\n")) == code


def test_detect_language_returns_none_without_letters() -> None:
    """Nothing to judge (digits only): no language rather than a guess."""
    assert detect_language(["2024 – 12 – 31"]) is None


def test_detector_is_built_once() -> None:
    """The lingua detector is cached: every call shares one instance."""
    assert detector() is detector()


def test_language_sample_prefers_prose_and_stays_short() -> None:
    """The sample skips short lines (menus, bylines) and is cut near SAMPLE_CHARS on a word boundary."""
    paragraphs = ["Accueil", "Par Jean Dupont", FRENCH * 5]
    sample = language_sample(paragraphs)
    assert sample.startswith("Le président")
    assert len(sample) <= SAMPLE_CHARS
    assert not sample.endswith(" ")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr", "fr"), ("fr-FR", "fr"), ("EN_us", "en"), ("", None), ("../etc", None), ("français", None)],
)
def test_producer_language_keeps_bare_lowercase_code(code: str, expected: str | None) -> None:
    """A producer's tag is reduced to its language code; anything that is not a tag is ignored."""
    assert producer_language(code) == expected


def test_normalize_article_producer_language_wins() -> None:
    """A producer's lang wins over detection (and picks that language's rules)."""
    article = normalize_article(RawArticle(text=FRENCH, lang="en-GB"))
    assert article.lang == "en"


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (ARABIC, "ar")])
def test_normalize_article_passes_other_languages_through_unmangled(text: str, code: str) -> None:
    """A non-French article keeps its language and its whole text: no French rule removes anything."""
    article = normalize_article(RawArticle(text=text))
    assert article.lang == code
    assert article.text == normalize_text(text)
    assert article.removed == []
