"""Canonical entities: one key per real-world actor within an article.

The statistical NER gives spans such as "Colonel Assimi Goïta", "A. Goita", "Lavrov" (sometimes
as ORG) or "raffermir" (as PER). Here each span is cleaned (determiners and titles stripped),
checked against the gazetteer, filtered when it is an obvious model error, and linked: surnames
and initials to a full name seen in the same article, aliases to the gazetteer entry. The result
is the cleaned `doc.ents` (with `kb_id_` = entity key) and one `CanonicalEntity` per key.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span

from services.common.folding import fold, slug
from services.extract.gazetteer import Gazetteer, GazetteerEntry

NAMES_FILE = Path(__file__).resolve().parent / "data" / "names.yaml"
_INITIALS = re.compile(r"^((?:[A-ZÀ-Ý]\.\s*-?\s*){1,3})(\S.*)$")
_URLISH = re.compile(r"https?:|www\.|@|\.(com|org|net|fr)\b", re.IGNORECASE)
PROPER_POS = {"PROPN"}


@dataclass(frozen=True)
class NameLexicon:
    """Titles, determiners, heads of formal state names and office patterns (data/names.yaml)."""

    titles: tuple[tuple[str, ...], ...]
    determiners: frozenset[str]
    state_heads: frozenset[str]
    roles: tuple[tuple[str, re.Pattern[str]], ...]

    def role_in(self, text: str) -> str | None:
        """The office the words name, taking the match nearest the end (next to the name)."""
        best: tuple[int, str] | None = None
        folded = fold(text)
        for role, pattern in self.roles:
            for match in pattern.finditer(folded):
                if best is None or match.end() > best[0]:
                    best = (match.end(), role)
        return best[1] if best else None


@cache
def load_name_lexicon(path: Path = NAMES_FILE) -> NameLexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    titles = sorted({tuple(fold(t).split()) for t in raw["titles"]}, key=len, reverse=True)
    roles = tuple(
        (role, re.compile(pattern)) for role, patterns in raw["roles"].items() for pattern in patterns
    )
    return NameLexicon(
        titles=tuple(titles),
        determiners=frozenset(fold(d) for d in raw["determiners"]),
        state_heads=frozenset(fold(h) for h in raw["state_heads"]),
        roles=roles,
    )


@dataclass
class CanonicalEntity:
    """Everything the article says about one actor; becomes a contracts.Entity."""

    key: str
    name: str
    label: str
    country: str | None
    text: str
    start_char: int
    end_char: int
    count: int = 0
    aliases: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    from_gazetteer: bool = False

    def add_mention(self, span: Span) -> None:
        self.count += 1
        if span.text not in self.aliases:
            self.aliases.append(span.text)


@dataclass
class _Mention:
    span: Span
    label: str
    entry: GazetteerEntry | None = None
    key: str | None = None


def _folded_tokens(span: Span) -> list[str]:
    return [fold(t.text) for t in span]


def strip_titles(span: Span, lexicon: NameLexicon) -> Span | None:
    """Drop leading determiners and titles ("le colonel", "président", "M.") and edge punctuation.

    None when a title is followed by a preposition or determiner: "ministre des Affaires
    étrangères" names an office, not an actor.
    """
    start, end = span.start, span.end
    doc = span.doc
    after_title = False
    while start < end:
        word = fold(doc[start].text)
        if doc[start].is_punct or doc[start].is_space:
            start += 1
            continue
        if word in lexicon.determiners:
            if after_title:
                return None
            start += 1
            continue
        words = [fold(t.text) for t in doc[start:end]]
        if tuple(words) in lexicon.titles:
            return None  # titles and no name: "Excellence Monsieur", "Président"
        title = next(
            (t for t in lexicon.titles if len(t) < end - start and tuple(words[: len(t)]) == t), None
        )
        if title is None:
            break
        start += len(title)
        after_title = True
    while end > start and (
        (doc[end - 1].is_punct and doc[end - 1].text != ".")
        or doc[end - 1].is_space
        or fold(doc[end - 1].text) in lexicon.determiners
        or doc[end - 1].pos_ == "ADP"
    ):
        end -= 1
    return doc[start:end]


def _with_initials(span: Span) -> Span:
    """'A. Goita': the ruler matched the surname; take the initials before it into the name."""
    start = span.start
    while start > 0 and re.fullmatch(r"[A-ZÀ-Ý]\.", span.doc[start - 1].text):
        start -= 1
    return span.doc[start : span.end]


def state_name_country(span: Span, gazetteer: Gazetteer, lexicon: NameLexicon) -> GazetteerEntry | None:
    """'État de la Turquie', 'République du Mali' -> the country entry."""
    words = _folded_tokens(span)
    if len(words) < 3 or words[0] not in lexicon.state_heads:
        return None
    rest = span[1:]
    while len(rest) and fold(rest[0].text) in lexicon.determiners:
        rest = rest[1:]
    entry = gazetteer.lookup(rest.text) if len(rest) else None
    return entry if entry and entry.kind == "country" else None


def is_model_noise(span: Span, label: str) -> bool:
    """Spans the statistical NER tags that are no names: verbs, lone common nouns, URLs, letters."""
    text = span.text.strip()
    if len(text) < 2 or not (text[0].isupper() or text[0].isdigit()):
        return True
    if _URLISH.search(text):
        return True
    if len(span) == 1:
        token = span[0]
        acronym = token.text.isupper() and len(token.text) >= 2
        if not acronym and token.pos_ not in PROPER_POS:
            return True
    return bool(label == "PER" and any(t.is_digit for t in span))


def _resolve_alone(span: Span, label: str, gazetteer: Gazetteer, lexicon: NameLexicon) -> _Mention | None:
    """First pass: a mention on its own (gazetteer, model-noise filter, demonyms)."""
    ruler_key = span[0].ent_id_ if span[0].ent_id_ and span[0].ent_type_ else ""
    entry = gazetteer.get(ruler_key) if ruler_key else None
    if entry and entry.kind == "person":
        span = _with_initials(span)
    cleaned = span if entry else strip_titles(span, lexicon)
    if cleaned is None or not len(cleaned):
        return None
    entry = entry or gazetteer.lookup(cleaned.text) or state_name_country(cleaned, gazetteer, lexicon)
    if entry:
        return _Mention(cleaned, entry.label, entry, entry.key)
    if len(cleaned) == 1 and (country := gazetteer.country_of_adjective(cleaned.text)):
        if cleaned.text[0].isupper():  # "les Maliens": the people of a country
            return _Mention(cleaned, "MISC", None, f"misc:people-{country.lower()}")
        return None
    if is_model_noise(cleaned, label):
        return None
    if label in {"ORG", "MISC"} and _titled_name(span, cleaned, lexicon):
        label = "PER"  # "Son Excellence Monsieur Abdoulaye DIOP" tagged as an organisation
    return _Mention(cleaned, label)


def _titled_name(span: Span, cleaned: Span, lexicon: NameLexicon) -> bool:
    """A personal title was stripped from the span and what is left reads as a name: two to four
    capitalised words ("Monsieur Abdoulaye DIOP", "le général Assimi Goïta"). Titles only ever
    precede people, so the NER's organisation label is its error."""
    stripped = {fold(t.text) for t in span.doc[span.start : cleaned.start]} - lexicon.determiners
    if not stripped or not any(title[0] in stripped for title in lexicon.titles):
        return False
    return 2 <= len(cleaned) <= 4 and all(t.text[:1].isupper() and t.pos_ not in {"ADP", "DET"} for t in cleaned)


def _surname_match(mention: Span, full_name: str) -> bool:
    words, full = fold(mention.text).split(), fold(full_name).split()
    return len(full) > len(words) and full[-len(words) :] == words


def _initials_match(mention: Span, full_name: str) -> bool:
    match = _INITIALS.match(mention.text)
    if not match:
        return False
    initials = [fold(i) for i in re.findall(r"[A-ZÀ-Ý]", match.group(1))]
    full = fold(full_name).split()
    surname = fold(match.group(2)).split()
    if len(full) <= len(surname) or full[-len(surname) :] != surname:
        return False
    given = full[: -len(surname)]
    return [g[0] for g in given[: len(initials)]] == initials


def _link_partial_names(mentions: list[_Mention], gazetteer: Gazetteer) -> None:
    """Second pass: surnames and initials to a full name of the same article, else the gazetteer."""
    positions: dict[tuple[str, str], list[int]] = {}  # (full name, key) -> token positions, in order
    for m in mentions:
        if m.key and m.key.startswith("per:"):
            positions.setdefault((m.entry.name if m.entry else m.span.text, m.key), []).append(m.span.start)
        elif m.label == "PER" and len(m.span) >= 2 and not _INITIALS.match(m.span.text):
            positions.setdefault((m.span.text, f"per:{slug(m.span.text)}"), []).append(m.span.start)
    by_last_word: dict[str, list[tuple[str, str]]] = {}
    for name, key in positions:
        by_last_word.setdefault(fold(name).split()[-1], []).append((name, key))
    for m in mentions:
        folded = fold(m.span.text)
        if m.key or not folded:
            continue
        keys = _full_name_keys(m.span, by_last_word.get(folded.split()[-1], []), positions)
        if len(keys) == 1 and m.label in {"PER", "ORG", "MISC"}:
            m.key = keys.pop()
            m.label = "PER"
            m.entry = gazetteer.get(m.key)
        elif m.label == "PER" and (initials := _INITIALS.match(m.span.text)):
            people = gazetteer.people_with_surname(initials.group(2))
            if len(people) == 1:
                m.entry, m.key = people[0], people[0].key


def _full_name_keys(span: Span, named: list[tuple[str, str]], positions: dict[tuple[str, str], list[int]]) -> set[str]:
    """The keys of the full names (among `named`) a surname or initials mention may stand for;
    when two people share the surname, the one named nearest before it."""
    candidates = [(name, key) for name, key in named if _surname_match(span, name) or _initials_match(span, name)]
    keys = {key for _, key in candidates}
    if len(keys) > 1:
        nearest = {
            key: before[index - 1]
            for name, key in candidates
            if (index := bisect_left(before := positions[(name, key)], span.start)) > 0
        }
        keys = {max(nearest, key=nearest.__getitem__)} if nearest else set()
    return keys


def _sentence_start(span: Span, has_sentences: bool) -> int:
    return span.sent.start if has_sentences else 0


def _role_near(span: Span, lexicon: NameLexicon, has_sentences: bool, window: int = 10) -> str | None:
    """The office named just before a name, or in an apposition right after it."""
    sent_start = _sentence_start(span, has_sentences)
    before = span.doc[max(sent_start, span.start - window) : span.start].text
    role = lexicon.role_in(before)
    if role is None and span.end < len(span.doc) and span.doc[span.end].text == ",":
        role = lexicon.role_in(span.doc[span.end + 1 : span.end + 1 + window // 2].text)
    return role


def _country_near(span: Span, gazetteer: Gazetteer, has_sentences: bool, window: int = 8) -> str | None:
    """A nationality adjective in the title before a name ('le président russe Vladimir Poutine',
    'le ministre italien des Affaires étrangères, Antonio Tajani') or in an apposition after it
    ('Maria Zakharova, porte-parole de la diplomatie russe'). Another person or a verb ends the title;
    the NER's tagging the title as an organisation ('ministre italien des Affaires étrangères') does not."""
    doc = span.doc
    sent_start = _sentence_start(span, has_sentences)
    for token in reversed(doc[max(sent_start, span.start - window) : span.start]):
        if token.ent_type_ == "PER" or token.pos_ in {"VERB", "AUX"}:
            break
        if country := gazetteer.country_of_adjective(token.text):
            return country
    if span.end < len(doc) and doc[span.end].text == ",":
        for token in doc[span.end + 1 : min(len(doc), span.end + 1 + window)]:
            if token.ent_type_ == "PER" or token.pos_ in {"VERB", "AUX"} or token.text in {",", ";", "."}:
                break
            if country := gazetteer.country_of_adjective(token.text):
                return country
    return None


def canonicalize(doc: Doc, gazetteer: Gazetteer, lexicon: NameLexicon) -> tuple[list[Span], dict[str, CanonicalEntity]]:
    """Clean, filter and link `doc.ents`: the new entity spans and one CanonicalEntity per key."""
    mentions = [m for ent in doc.ents if (m := _resolve_alone(ent, ent.label_, gazetteer, lexicon))]
    has_sentences = doc.has_annotation("SENT_START")  # O(len(doc)): asked once, not per mention
    _link_partial_names(mentions, gazetteer)
    entities: dict[str, CanonicalEntity] = {}
    spans: list[Span] = []
    for m in mentions:
        key = m.key or f"{m.label.lower()}:{slug(m.span.text)}"
        entity = entities.get(key)
        if entity is None:
            entry = m.entry
            country = entry.country if entry else None
            if country is None and m.label == "PER":
                country = _country_near(m.span, gazetteer, has_sentences)
            if key.startswith("misc:people-"):
                country = key.rsplit("-", 1)[1].upper()
            entity = entities[key] = CanonicalEntity(
                key=key,
                name=entry.name if entry else m.span.text,
                label=entry.label if entry else m.label,
                country=country,
                text=m.span.text,
                start_char=m.span.start_char,
                end_char=m.span.end_char,
                from_gazetteer=entry is not None,
            )
        elif not entity.from_gazetteer and len(m.span.text) > len(entity.name) and m.label == entity.label:
            entity.name = m.span.text  # the fullest spelling seen names an unknown actor
        if entity.country is None and entity.label == "PER" and not entity.from_gazetteer:
            entity.country = _country_near(m.span, gazetteer, has_sentences)  # a later title tells it
        entity.add_mention(m.span)
        if entity.label == "PER" and (role := _role_near(m.span, lexicon, has_sentences)):
            entity.roles.add(role)
        spans.append(Span(doc, m.span.start, m.span.end, label=entity.label, kb_id=key))
    return _without_overlaps(spans), entities


def _without_overlaps(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)
