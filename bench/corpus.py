"""Distinct, realistic variations of the seed articles, for benchmarks that need many articles.

Copies of the five seeds would be linked as near-duplicates by the store (MinHash >= 0.8) and
would not exercise its write path, so each variation is built from one seed's paragraphs (a
random subset, kept in order, about two thirds of the sentences of each, some opened with a
connective), with two to four paragraphs of the other seeds mixed in, and its people, towns,
numbers, years, months and weekdays redrawn. Two variations of the same seed share a fifth of
their 5-word shingles on average (at most 0.63 over the first 2,000 variations).
Deterministic: variation `i` is the same on every run.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

from services.common.contracts import RawArticle

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# (full name, surname as written alone) of the people the seeds name, and the people drawn instead.
SEED_PEOPLE = [
    ("Recep Tayyip Erdogan", "Erdogan"), ("Sergueï Lavrov", "Lavrov"), ("Vladimir Poutine", "Poutine"),
    ("Abdoulaye Diop", "Diop"), ("Assimi Goïta", "Goïta"), ("Assimi Goita", "Goita"),
    ("Mohamed Camara", "Camara"), ("Sadio Camara", "Camara"), ("Malick Diaw", "Diaw"),
]
PEOPLE = [
    "Ibrahim Traoré", "Abdourahamane Tiani", "Aminata Touré", "Moussa Faki", "Karim Keïta",
    "Fatoumata Sangaré", "Ousmane Diallo", "Boubacar Cissé", "Mariam Coulibaly", "Seydou Maïga",
    "Hamidou Tall", "Amadou Sow", "Issa Konaté", "Aïssata Dicko", "Moctar Ouane", "Choguel Maïga",
    "Bintou Sanogo", "Oumar Tatam Ly", "Kadidia Fofana", "Souleymane Dembélé", "Rokia Kouyaté",
    "Adama Bagayoko", "Salif Keïta", "Djénéba Sidibé", "Yacouba Sawadogo", "Hama Amadou",
    "Ali Lamine Zeine", "Bakary Togola", "Nana Akufo-Addo", "Macky Sall", "Sergueï Choïgou",
    "Maria Zakharova", "Hakan Fidan", "Jean-Noël Barrot", "Antony Blinken", "Oumarou Ganda",
]
SEED_TOWNS = ["Saint-Pétersbourg", "Tinzaouatène", "Tinzaouatene", "Tombouctou", "Bamako", "Kidal", "Moscou",
              "Ankara"]
TOWNS = [
    "Gao", "Mopti", "Ségou", "Sikasso", "Kayes", "Tessalit", "Ménaka", "Niamey", "Ouagadougou", "Dakar",
    "Abidjan", "Conakry", "Nouakchott", "Agadez", "Dori", "Djibo", "Ansongo", "Koulikoro", "Bourem", "Douentza",
    "Nioro", "Kati", "Tillabéri", "Fada N'Gourma", "Bobo-Dioulasso", "Istanbul", "Sotchi", "Alger", "Rabat",
]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
CONNECTIVES = ["Par ailleurs,", "Selon nos informations,", "De son côté,", "Pour rappel,", "En outre,",
               "Toujours selon la même source,", "D’après un communiqué officiel,", "Dans la foulée,"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER = re.compile(r"\b\d+\b")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÀ-Ý«])")
_LONG_PARAGRAPH = 120  # characters: paragraphs mixed in from other seeds are real prose, not boilerplate


@cache
def seed_paragraphs() -> tuple[tuple[str, ...], ...]:
    """Each seed's non-empty lines (its paragraphs, titles and boilerplate), in order."""
    return tuple(
        tuple(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        for path in sorted(SEEDS.glob("*.txt"))
    )


def _names(text: str, rng: random.Random) -> str:
    """Redraw the seeds' people (full names, then surnames alone, consistently) and towns."""
    drawn = rng.sample(PEOPLE, len(SEED_PEOPLE))
    surnames: dict[str, str] = {}
    for (full, surname), new in zip(SEED_PEOPLE, drawn, strict=True):
        text = text.replace(full, new)
        surnames.setdefault(surname, new.split()[-1])
    for surname, new in surnames.items():
        text = re.sub(rf"\b{re.escape(surname)}\b", new, text)
    for town, new in zip(SEED_TOWNS, rng.sample(TOWNS, len(SEED_TOWNS)), strict=True):
        text = re.sub(rf"\b{re.escape(town)}\b", new, text)
    return text


def _numbers(text: str, rng: random.Random) -> str:
    """Redraw years (2016-2025), other numbers (same number of digits), months and weekdays."""
    text = _YEAR.sub(lambda _: str(rng.randint(2016, 2025)), text)

    def number(match: re.Match[str]) -> str:
        digits = match.group()
        if len(digits) == 4 and digits[:2] in ("19", "20"):
            return digits  # a year drawn above
        if len(digits) <= 2:
            return str(rng.randint(1, 28))
        return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    text = _NUMBER.sub(number, text)
    text = _MONTH.sub(lambda _: rng.choice(MONTHS), text)
    return _WEEKDAY.sub(lambda _: rng.choice(WEEKDAYS), text)


def _some_sentences(paragraph: str, rng: random.Random) -> str:
    """About two thirds of a paragraph's sentences, in order (at least one)."""
    sentences = _SENTENCE_END.split(paragraph)
    kept = [s for s in sentences if rng.random() < 0.67] or [rng.choice(sentences)]
    return " ".join(f"{rng.choice(CONNECTIVES)} {s}" if rng.random() < 0.25 else s for s in kept)


def variation_text(index: int) -> str:
    """Variation `index`: seed `index % 5` rebuilt as the module docstring says."""
    rng = random.Random(index)
    seeds = seed_paragraphs()
    base = seeds[index % len(seeds)]
    head, rest = base[0], list(base[1:])
    kept = [_some_sentences(p, rng) for p in rest if rng.random() < 0.7] or rest[:1]
    others = [p for i, seed in enumerate(seeds) if i != index % len(seeds) for p in seed if len(p) > _LONG_PARAGRAPH]
    for paragraph in rng.sample(others, rng.randint(2, 4)):
        kept.insert(rng.randint(0, len(kept)), paragraph)
    return _numbers(_names("\n".join([head, *kept]), rng), rng)


def variations(count: int, start: int = 0) -> list[RawArticle]:
    """`count` RawArticles as a producer would send them (no lang: ingest detects it)."""
    return [
        RawArticle(text=variation_text(i), external_id=f"bench-{i:06d}", source="bench")
        for i in range(start, start + count)
    ]
