"""A chaos corpus: many short articles made from the seed sentences, each distinct and no near-duplicate.

Each article is a unique lead sentence (its own date, place, people and meeting, so it carries
events of its own) followed by two seed sentences (no two articles the same pair) with names, places, dates and numbers
swapped. `articles()` checks that no two articles share more than MAX_JACCARD of their 5-word
shingles (the store links pairs at 0.8), so every article fed must be stored as itself.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from itertools import combinations

from services.common.contracts import RawArticle
from services.store.dedup import shingles
from tests.conftest import SEEDS

MAX_JACCARD = 0.6
FIRST_NAMES = ["Abdoulaye", "Assimi", "Sadio", "Moussa", "Aminata", "Fatoumata", "Ibrahim", "Oumar", "Mariam",
               "Boubacar", "Seydou", "Awa", "Modibo", "Kadiatou", "Bakary", "Hawa", "Souleymane", "Djeneba",
               "Mamadou", "Aïssata", "Adama", "Salif", "Rokia", "Cheick", "Nana", "Youssouf", "Ousmane", "Ramata"]
LAST_NAMES = ["Diop", "Traoré", "Keïta", "Coulibaly", "Diarra", "Touré", "Sangaré", "Konaté", "Maïga", "Cissé",
              "Sidibé", "Dembélé", "Kanté", "Doumbia", "Ballo", "Sissoko", "Kouyaté", "Fofana", "Bagayoko",
              "Dicko", "Samaké", "Tounkara", "Guindo", "Koné", "Camara", "Sylla", "Bah", "Ndiaye", "Sow"]
CITIES = ["Bamako", "Niamey", "Ouagadougou", "Dakar", "Abidjan", "Conakry", "Nouakchott", "Moscou", "Ankara",
          "Alger", "Rabat", "Lomé", "Cotonou", "Accra", "Abuja", "Tombouctou", "Gao", "Mopti", "Kayes", "Ségou"]
ROLES = ["le ministre des Affaires étrangères", "le ministre de la Défense", "le président de la transition",
         "le Premier ministre", "le ministre de l'Économie", "l'ambassadeur", "le chef d'état-major",
         "la ministre de la Santé", "le ministre des Mines", "la présidente du Conseil national"]
TOPICS = ["la coopération sécuritaire", "l'approvisionnement en énergie", "la formation des militaires",
          "les échanges commerciaux", "la construction d'une centrale solaire", "la santé publique",
          "la prospection minière", "le transport ferroviaire", "l'agriculture irriguée", "l'éducation technique",
          "la lutte contre le terrorisme", "la gestion des frontières", "les bourses d'études", "le coton"]
VERBS = ["a rencontré", "a reçu", "s'est entretenu avec", "a signé un accord avec", "a condamné",
         "a accusé", "a félicité", "a remercié"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
KNOWN_NAMES = re.compile(r"Abdoulaye Diop|Assimi Go[iï]ta|Sergueï Lavrov|Vladimir Poutine|Recep Tayyip Erdogan|"
                         r"Sadio Camara|Malick Diaw|Mohamed Camara")
KNOWN_PLACES = re.compile(r"\b(Bamako|Moscou|Ankara|Kidal|Tinzaouatène|Tinzaouatene|Dakar|Niamey)\b")
NUMBERS = re.compile(r"\b\d{1,4}\b")


def seed_sentences() -> list[str]:
    """Distinct sentences of the seed articles long enough to carry content (40 to 400 characters)."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!?»])\s+(?=[A-ZÀ-Ý«])", paragraph.strip()):
                if 40 <= len(sentence) <= 400 and sentence.endswith((".", "»")):
                    found.append(sentence)
    # The seeds quote each other: keep one of two sentences that share shingles.
    distinct: list[str] = []
    for sentence in found:
        if not any(shingles(sentence) & shingles(kept) for kept in distinct):
            distinct.append(sentence)
    return distinct


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def vary(sentence: str, rng: random.Random) -> str:
    """The sentence with its known people, places and numbers swapped for random ones."""
    sentence = KNOWN_NAMES.sub(lambda _: _person(rng), sentence)
    sentence = KNOWN_PLACES.sub(lambda _: rng.choice(CITIES), sentence)
    return NUMBERS.sub(lambda m: str(rng.randint(2, 9999) if len(m.group()) > 2 else rng.randint(2, 28)), sentence)


def lead(index: int, day: dt.date, rng: random.Random) -> str:
    """A sentence no other article has: its own date, place, two people, a topic and a file number."""
    first, second = _person(rng), _person(rng)
    return (f"Le {day.day} {MONTHS[day.month - 1]} {day.year}, à {rng.choice(CITIES)}, {rng.choice(ROLES)} "
            f"{first} {rng.choice(VERBS)} {second} au sujet de {rng.choice(TOPICS)} (dossier {index:05d}-"
            f"{rng.randint(100, 999)}).")


def article(index: int, rng: random.Random, body: tuple[str, ...]) -> RawArticle:
    day = dt.date(2015, 1, 1) + dt.timedelta(days=3 * index)  # event dates of two articles never merge
    body = tuple(vary(s, rng) for s in body)
    return RawArticle(text=" ".join([lead(index, day, rng), *body]), external_id=f"chaos-{index:05d}",
                      published_at=day.isoformat(), source="chaos")


def max_jaccard(texts: list[str]) -> float:
    """The highest Jaccard similarity of 5-word shingles over all pairs that share any shingle."""
    sets = [shingles(t) for t in texts]
    index: dict[str, list[int]] = defaultdict(list)
    for i, found in enumerate(sets):
        for shingle in found:
            index[shingle].append(i)
    pairs = {pair for ids in index.values() if len(ids) < 200 for pair in combinations(ids, 2)}
    return max((len(sets[a] & sets[b]) / len(sets[a] | sets[b]) for a, b in pairs), default=0.0)


def articles(count: int, seed: int = 6) -> list[RawArticle]:
    """`count` distinct articles, deterministic for a given seed, none a near-duplicate of another."""
    rng = random.Random(seed)
    pool = seed_sentences()
    pairs = list(combinations(pool, 2))  # no two articles share more than one seed sentence
    rng.shuffle(pairs)
    assert count <= len(pairs), f"at most {len(pairs)} articles"
    made = [article(i, rng, pairs[i]) for i in range(count)]
    worst = max_jaccard([a.text or "" for a in made])
    assert worst < MAX_JACCARD, f"corpus articles too similar: Jaccard {worst:.2f}"
    return made
