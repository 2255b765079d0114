"""Hand-built ExtractedArticles resembling what extract produces for the five seeds (no spaCy).

Shared by the store tests and bench/bench_store.py. Texts are the real seed files; entities and
events are the gold ones of tests/data/seeds_gold.json, with the keys extract uses
("per:serguei-lavrov", accent-folded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from services.common.contracts import Actor, Entity, Event, EventContext, ExtractedArticle, Location

SEEDS = Path(__file__).resolve().parents[3] / "seeds"

PEOPLE = {
    "per:assimi-goita": ("Assimi Goïta", "MLI"),
    "per:recep-tayyip-erdogan": ("Recep Tayyip Erdogan", "TUR"),
    "per:serguei-lavrov": ("Sergueï Lavrov", "RUS"),
    "per:abdoulaye-diop": ("Abdoulaye Diop", "MLI"),
    "per:vladimir-poutine": ("Vladimir Poutine", "RUS"),
    "per:sadio-camara": ("Sadio Camara", "MLI"),
}
PLACES = {
    "loc:mali": ("Mali", "MLI"),
    "loc:russie": ("Russie", "RUS"),
    "loc:turquie": ("Turquie", "TUR"),
    "loc:bamako": ("Bamako", "MLI"),
    "loc:moscou": ("Moscou", "RUS"),
}


def actor(key: str) -> Actor:
    name, country = PEOPLE.get(key) or PLACES[key]
    return Actor(key=key, name=name, country=country)


def place(key: str) -> Location:
    name, country = PLACES[key]
    return Location(name=name, key=key, country=country)


def entity(text: str, key: str, surface: str | None = None, count: int = 1) -> Entity:
    name, country = PEOPLE.get(key) or PLACES[key]
    label = "PER" if key.startswith("per:") else "LOC"
    form = surface or name
    start = max(text.find(form), 0)
    return Entity(
        text=form,
        label=label,
        name=name,
        key=key,
        country=country,
        start=start,
        end=start + len(form),
        count=count,
        aliases=[form],
    )


def event(
    text: str,
    trigger: str,
    event_type: str,
    sources: list[str],
    targets: list[str],
    day: dt.date | None,
    *,
    mode: str | None = None,
    precision: str = "day",
    location: str | None = None,
    context: EventContext | None = None,
) -> Event:
    start = max(text.find(trigger), 0)
    sentence_start = text.rfind(".", 0, start) + 1
    sentence_end = text.find(".", start)
    return Event(
        type=event_type,
        mode=mode,
        source_actors=[actor(k) for k in sources],
        target_actors=[actor(k) for k in targets],
        date=day,
        date_precision=precision if day else "unknown",
        date_reason="sentence: the day the text gives" if day else None,
        location=place(location) if location else None,
        sentence=text[sentence_start : sentence_end + 1].strip() or trigger,
        sentence_start=sentence_start,
        trigger=trigger,
        trigger_start=start,
        trigger_end=start + len(trigger),
        context=context or EventContext(),
        confidence=0.8,
    )


def article(
    external_id: str,
    text: str,
    *,
    entities: list[Entity],
    events: list[Event],
    published: dt.date | dt.datetime | None = None,
    precision: str = "day",
    source_name: str | None = None,
    title: str | None = None,
) -> ExtractedArticle:
    """An ExtractedArticle whose ids derive from its text, like ingest's."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ExtractedArticle(
        article_id=sha[:16],
        content_sha256=sha,
        text=text,
        external_id=external_id,
        title=title,
        source_name=source_name,
        lang="fr",
        url=f"https://example.org/{external_id}",
        published_at=published,
        published_precision=precision if published else "unknown",
        published_from="date-prefix" if published else None,
        removed=[{"text": "Source: example", "kind": "source-line"}],
        entities=entities,
        events=events,
    )


def seed_text(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def seed_000() -> ExtractedArticle:
    text = seed_text("000_a40abfe1d573a9db")
    return article(
        "000_a40abfe1d573a9db",
        text,
        published=dt.date(2024, 8, 1),
        source_name="Malikonews.com",
        entities=[
            entity(text, "per:assimi-goita", "Colonel Assimi Goïta", 2),
            entity(text, "per:recep-tayyip-erdogan", count=2),
            entity(text, "per:serguei-lavrov", count=3),
            entity(text, "per:abdoulaye-diop", count=2),
            entity(text, "loc:mali", count=5),
            entity(text, "loc:bamako", count=3),
            entity(text, "loc:moscou"),
        ],
        events=[
            event(
                text,
                "appel téléphonique",
                "CONSULT",
                ["per:assimi-goita"],
                ["per:recep-tayyip-erdogan"],
                dt.date(2024, 7, 31),
                mode="phone",
            ),
            event(
                text,
                "discussion téléphonique",
                "CONSULT",
                ["per:serguei-lavrov"],
                ["per:abdoulaye-diop"],
                dt.date(2024, 8, 1),
                mode="phone",
            ),
        ],
    )


def seed_001() -> ExtractedArticle:
    text = seed_text("001_98f8ecbca590d10d")
    return article(
        "001_98f8ecbca590d10d",
        text,
        published=dt.date(2024, 8, 1),
        precision="month",
        source_name="Anadolu",
        entities=[
            entity(text, "per:serguei-lavrov", count=3),
            entity(text, "per:abdoulaye-diop", count=2),
            entity(text, "loc:mali", count=8),
            entity(text, "loc:russie", count=2),
        ],
        events=[
            event(
                text,
                "entretien téléphonique",
                "CONSULT",
                ["per:abdoulaye-diop"],
                ["per:serguei-lavrov"],
                dt.date(2024, 8, 1),
                mode="phone",
            )
        ],
    )


def seed_002() -> ExtractedArticle:
    text = seed_text("002_6f7de2adea3210fe")
    return article(
        "002_6f7de2adea3210fe",
        text,
        published=dt.date(2023, 10, 10),
        source_name="Apanews",
        title="Nouvel entretien entre Poutine et Goïta",
        entities=[
            entity(text, "per:vladimir-poutine", count=3),
            entity(text, "per:assimi-goita", count=2),
            entity(text, "loc:mali", count=3),
            entity(text, "loc:russie", count=3),
        ],
        events=[
            event(
                text,
                "entretien téléphonique",
                "CONSULT",
                ["per:assimi-goita"],
                ["per:vladimir-poutine"],
                dt.date(2023, 10, 10),
                mode="phone",
            )
        ],
    )


def seed_003() -> ExtractedArticle:
    text = seed_text("003_aff52467650c9e76")
    return article(
        "003_aff52467650c9e76",
        text,
        published=dt.date(2024, 2, 29),
        source_name="Mali Actu",
        entities=[
            entity(text, "per:abdoulaye-diop", count=3),
            entity(text, "per:sadio-camara"),
            entity(text, "per:serguei-lavrov", count=2),
            entity(text, "loc:moscou"),
            entity(text, "loc:mali", count=6),
        ],
        events=[
            event(
                text,
                "rencontre bilatérale",
                "CONSULT",
                ["per:abdoulaye-diop", "per:sadio-camara"],
                ["per:serguei-lavrov"],
                dt.date(2024, 2, 28),
                mode="meeting",
                location="loc:moscou",
            )
        ],
    )


def seed_004() -> ExtractedArticle:
    text = seed_text("004_ed8f757f900ae7de")
    return article(
        "004_ed8f757f900ae7de",
        text,
        published=dt.datetime(2023, 2, 7, 18, 30, tzinfo=dt.UTC),
        entities=[
            entity(text, "per:serguei-lavrov", count=5),
            entity(text, "per:abdoulaye-diop"),
            entity(text, "loc:mali", count=6),
            entity(text, "loc:russie", count=3),
        ],
        events=[
            event(
                text,
                "visite au Mali",
                "CONSULT",
                ["per:serguei-lavrov"],
                ["per:abdoulaye-diop"],
                dt.date(2023, 2, 7),
                mode="visit",
                location="loc:mali",
            )
        ],
    )


def seed_articles() -> list[ExtractedArticle]:
    return [seed_000(), seed_001(), seed_002(), seed_003(), seed_004()]


def republished(original: ExtractedArticle, external_id: str = "copy") -> ExtractedArticle:
    """The same article republished elsewhere: other boilerplate, other whitespace, one sentence changed."""
    lines = [line for line in original.text.splitlines() if line.strip()]
    lines[1] = "Les axes Bamako-Ankara et Bamako-Moscou se renforcent encore, selon plusieurs observateurs."
    text = (
        "Publié par Sahel Hebdo  —  tous droits réservés\n\n"
        + "\n\n".join("  ".join(line.split(" ")) for line in lines)
        + "\n\nPARTAGEZ!\nLaisser un commentaire"
    )
    return article(
        external_id,
        text,
        published=original.published_at,
        entities=original.entities,
        events=original.events,
        source_name="Sahel Hebdo",
    )


def shortened(original: ExtractedArticle, external_id: str = "short", keep: float = 0.65) -> ExtractedArticle:
    """The article republished by another outlet without its last paragraphs, under its own dateline."""
    lines = [line for line in original.text.splitlines() if line.strip()]
    kept = lines[: max(2, round(len(lines) * keep))]
    text = "BAMAKO (Agence) - " + "\n".join(kept) + "\n© Tous droits réservés."
    return article(
        external_id,
        text,
        published=original.published_at,
        entities=original.entities,
        events=original.events,
        source_name="Le Relais",
    )


def _vocabulary() -> list[str]:
    words = sorted(
        {
            word
            for stem in (
                "000_a40abfe1d573a9db",
                "001_98f8ecbca590d10d",
                "002_6f7de2adea3210fe",
                "003_aff52467650c9e76",
                "004_ed8f757f900ae7de",
            )
            for word in seed_text(stem).split()
            if word.isalpha()
        }
    )
    return words


def synthetic_articles(
    count: int, *, seed: int = 0, people: int = 40, words: int = 250, duplicate_every: int = 10
) -> list[ExtractedArticle]:
    """Seed-like articles: distinct texts from the seeds' vocabulary, 6 entities and 2 events each.

    Every `duplicate_every`-th article republishes an earlier one (a near duplicate); events
    pick their actors from a small pool and dates from a short range, so some reports merge.
    """
    import random

    rng = random.Random(seed)
    vocabulary = _vocabulary()
    keys = [f"per:person-{i:03d}" for i in range(people)]
    made: list[ExtractedArticle] = []
    for index in range(count):
        if duplicate_every and index % duplicate_every == duplicate_every - 1 and made:
            made.append(republished(rng.choice(made), external_id=f"synthetic-{seed}-{index}"))
            continue
        sentences = [
            " ".join(rng.choice(vocabulary) for _ in range(12)).capitalize() + "." for _ in range(words // 12)
        ]
        text = "\n".join(sentences) + f"\nRéférence {seed}-{index}."
        chosen = rng.sample(keys, 6)
        entity_list = [
            Entity(
                text=key.split(":")[1],
                label="PER",
                name=key.split(":")[1].replace("-", " ").title(),
                key=key,
                country=rng.choice(["MLI", "RUS", "TUR", None]),
                start=0,
                end=5,
                count=rng.randint(1, 4),
                aliases=[key.split(":")[1]],
            )
            for key in chosen
        ]
        day = dt.date(2024, 8, 1) + dt.timedelta(days=rng.randint(0, 30))
        event_list = []
        for number in range(2):
            first, second = rng.sample(chosen[:4], 2)
            start = len(sentences[0]) * number
            event_list.append(
                Event(
                    type=rng.choice(["CONSULT", "CONSULT", "SUPPORT", "ACCUSE"]),
                    mode="phone",
                    source_actors=[Actor(key=first, name=first)],
                    target_actors=[Actor(key=second, name=second)],
                    date=day,
                    date_precision="day",
                    sentence=sentences[number],
                    trigger=sentences[number].split()[0],
                    trigger_start=start,
                    trigger_end=start + 5,
                    confidence=0.7,
                )
            )
        made.append(
            article(
                f"synthetic-{seed}-{index}",
                text,
                published=day,
                entities=entity_list,
                events=event_list,
                source_name="Synthetic",
            )
        )
    return made
