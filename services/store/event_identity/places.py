"""Places for event identity: whether a location is a country or a town, the towns a report
names, and how far two events' places agree (`locations_part`)."""

from __future__ import annotations

import gettext
from functools import cache

from services.common.contracts import Event, ExtractedArticle, Location
from services.common.folding import word_position
from services.store.dedup import fold
from services.store.event_identity.identity_words import identity_words
from services.store.event_identity.part import Part


@cache
def _country_names(alpha_3: str) -> frozenset[str]:
    """The folded English and French names of a country, for "is this location the country"."""
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha_3.upper())
    if country is None:
        return frozenset()
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    names = {getattr(country, field, None) for field in ("name", "common_name", "official_name")}
    names |= {french.gettext(name) for name in list(names) if name}
    names |= {name.split(",")[0] for name in list(names) if name}
    return frozenset(fold(name).strip() for name in names if name)


def is_country(location: Location) -> bool:
    """True when the location is a whole country ("Mali", "Russie"), not a place in it."""
    if not location.country:
        return False
    names = _country_names(location.country)
    key_tail = (location.key or "").rsplit(":", 1)[-1].replace("-", " ")
    return fold(location.name).strip() in names or fold(key_tail).strip() in names


def spelling(name_or_key: str) -> str:
    """A place's name as outlets' spellings of it agree: folded, without spaces, hyphens or
    apostrophes, y as i ("Bani Bangou" and "Banibangou", "Tillabéry" and "Tillabéri",
    "loc:el-facher" and "El Facher")."""
    tail = name_or_key.rsplit(":", 1)[-1]
    return "".join(c for c in fold(tail) if c.isalnum()).replace("y", "i")


def same_place(first: Location, second: Location) -> bool:
    if first.key and second.key and first.key == second.key:
        return True
    return spelling(first.key or first.name) == spelling(second.key or second.name) or (
        spelling(first.name) == spelling(second.name)
    )


def shared_places(first: frozenset[str], second: frozenset[str]) -> frozenset[str]:
    """The place keys of `first` that `second` names too, however either spells them."""
    spelled = {spelling(key) for key in second}
    return frozenset(key for key in first if key in second or spelling(key) in spelled)


@cache
def _broad_places() -> frozenset[str]:
    return frozenset(fold(place).strip() for place in identity_words().get("broad_places", []))


def is_town(location: Location) -> bool:
    """A place that can tell an event: not a country, nor a continent or region ("Afrique", "Sahel")
    that a thousand unrelated reports name."""
    names = {fold(location.name).strip(), fold((location.key or "").rsplit(":", 1)[-1].replace("-", " ")).strip()}
    return not is_country(location) and not names & _broad_places()


def named_places(event: Event, article: ExtractedArticle) -> frozenset[str]:
    """The towns (`is_town`) that the event's sentence or its article's title names: the town an
    attack struck, the city talks were held in, whatever the extractor took for the event's
    location. Found by the article's place entities' names and surface forms."""
    texts = fold(f"{event.sentence} {article.title or ''}")
    found = set()
    if event.location and event.location.key and is_town(event.location):
        found.add(event.location.key)
    for entity in article.entities:
        if entity.label != "LOC" or not is_town(Location(name=entity.name, key=entity.key, country=entity.country)):
            continue
        forms = {fold(form).strip() for form in (entity.name, entity.text, *entity.aliases)}
        if any(word_position(texts, form) is not None for form in forms):
            found.add(entity.key)
    return frozenset(found)


def locations_part(
    new: Location | None, stored: Location | None, *, need_known: bool, named: frozenset[str] = frozenset()
) -> Part | None:
    """How far the places agree: the same place or one inside the other counts for, two different
    known places count against (an outlet may name the capital the talks were announced from);
    None when the event has no actors and so needs the same known place to be one event.

    `named` are the places both reports name in their sentences or titles (`named_places`): one
    outlet places the attack on Kolofata "in the Mayo-Sava", another dates the flight "to Mora" of
    Kolofata's families from it; the town both name is the place they share."""
    if named:
        return Part(1.0, f"both name {', '.join(sorted(k.split(':', 1)[-1] for k in named))}")
    if new is None or stored is None:
        if need_known:
            return None
        if new is None and stored is None:
            return Part(0.0, "location unknown")
        known = new or stored
        return Part(0.0, f"location {known.name if known else ''} vs unknown")
    if same_place(new, stored):
        return Part(1.0, f"same location {stored.name}")
    if new.country and new.country == stored.country:
        if is_country(stored) and not is_country(new):
            return Part(1.0, f"{new.name} is in {stored.name}")
        if is_country(new) and not is_country(stored):
            return Part(1.0, f"{stored.name} is in {new.name}")
    if need_known:
        return None
    return Part(-1.0, f"other places {new.name} vs {stored.name}")
