"""Boilerplate lines (share bars, comment forms, "Lire aussi", captions, bylines...) out of the text.

The rules are data: boilerplate_<lang>.yaml, one section per kind of line (its header explains
the format). A language without a file gets no rule at all, so a text in another language passes
through unchanged. Rules match whole paragraphs and are capped in length: a body sentence that
merely contains "lire" or "partager" is never a match.

The feed's "date 2024-08 – " prefix is cut here too (for every language), its date kept.

Bylines and source lines are boilerplate, but what they say is kept: the author and the outlet
(named groups `author` and `source`), and the dates of stamps and datelines (group `date`, and
whole "Publié le ..." lines) for the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from services.common.contracts import RemovedLine
from services.ingest.datafiles import load_data
from services.ingest.publication_date import PublishedDate, cut_date_prefix, cut_stamp

DATE_STAMP_KINDS = frozenset({"published_line", "byline", "dateline"})
# Paragraphs from the top whose opening dateline or stamp is cut ("Niamey 28 janv 2024(AIB/ANP)- ...");
# a paragraph that is only a stamp is removed wherever it stands.
STAMP_PREFIX_PARAGRAPHS = 3
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True)
class Kind:
    """One kind of boilerplate line and its patterns."""

    name: str
    max_chars: int
    needs: re.Pattern[str] | None  # the line must contain one of these words: a cheap pre-check
    patterns: tuple[re.Pattern[str], ...]
    any_pattern: re.Pattern[str]  # all of them at once (without group names): one call per line

    def match(self, line: str) -> dict[str, str] | None:
        """The named groups of the pattern matching the whole line, or None."""
        if len(line) > self.max_chars or (self.needs and not self.needs.search(line)):
            return None
        if not self.any_pattern.fullmatch(line):
            return None
        for pattern in self.patterns:
            found = pattern.fullmatch(line)
            if found:
                return {name: value for name, value in found.groupdict().items() if value}
        return None  # pragma: no cover - any_pattern matched, so one of the patterns does


@dataclass(frozen=True)
class Rules:
    """The compiled rules of one language."""

    kinds: tuple[Kind, ...]
    # The kinds without `needs` as one regex per line length (kinds whose max_chars allow a line at
    # least that long): most paragraphs are body text, ruled out in one call.
    ungated: tuple[tuple[int, re.Pattern[str]], ...]
    gated: tuple[Kind, ...]
    datelines: tuple[re.Pattern[str], ...]
    dateline_paragraphs: int


@dataclass
class Cleaned:
    """The paragraphs left, the lines removed, and what bylines, source lines and stamps said."""

    paragraphs: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)
    prefix_date: PublishedDate | None = None


@lru_cache(maxsize=16)
def rules_for(lang: str | None) -> Rules | None:
    """The rules of `lang`, compiled once; None when the language has no boilerplate file."""
    data = load_data(f"boilerplate_{lang}") if lang else None
    return compile_rules(data) if data else None


def compile_rules(data: dict[str, Any]) -> Rules:
    """Rules from the parsed contents of a boilerplate_<lang>.yaml file."""
    fragments = data.get("fragments", {})
    default_max = int(data.get("default_max_chars", 160))
    kinds = tuple(_compile_kind(name, spec, fragments, default_max) for name, spec in data["kinds"].items())
    datelines = data.get("datelines", {})
    return Rules(
        kinds=kinds,
        ungated=_by_length([kind for kind in kinds if not kind.needs]),
        gated=tuple(kind for kind in kinds if kind.needs),
        datelines=tuple(_compile(pattern, fragments) for pattern in datelines.get("patterns", [])),
        dateline_paragraphs=int(datelines.get("max_paragraphs", 3)),
    )


def classify(line: str, rules: Rules) -> tuple[str, dict[str, str]] | None:
    """(kind, named groups) of the first kind matching the whole line, or None for a body line."""
    ungated = next((pattern for longest, pattern in rules.ungated if len(line) <= longest), None)
    kinds = rules.kinds if ungated is not None and ungated.fullmatch(line) else rules.gated
    for kind in kinds:
        groups = kind.match(line)
        if groups is not None:
            return kind.name, groups
    return None


def remove_boilerplate(paragraphs: list[str], lang: str | None, *, into: Cleaned | None = None) -> Cleaned:
    """Take the boilerplate out: whole lines, datelines ("Bamako (AFP) – ") and the feed's date prefix
    ("date 2024-08 – ") cut off the first paragraphs.

    Repeated until nothing changes, since a cut can uncover more ("Bamako (AFP) – Partager"): so the
    result holds nothing a second pass would remove. The date prefix is cut for every language and
    not reported (it is the feed's, not the page's); the rest needs the language's rules.
    `into`: a result to go on with (its removed lines and facts are kept, its paragraphs replaced).
    """
    rules = rules_for(lang)
    cleaned = into or Cleaned([])
    cleaned.paragraphs = list(paragraphs)
    body: set[str] = set()  # paragraphs already found to be body: not classified again
    unstamped: set[str] = set()  # paragraphs already found to open with no stamp
    while True:
        before = list(cleaned.paragraphs)
        _cut_date_prefix(cleaned)
        if rules is not None:
            _remove_lines(cleaned, rules, body)
            _cut_datelines(cleaned, rules)
        _cut_date_stamps(cleaned, lang, unstamped)
        if cleaned.paragraphs == before:
            return cleaned


def _cut_date_prefix(cleaned: Cleaned) -> None:
    if not cleaned.paragraphs:
        return
    rest, published = cut_date_prefix(cleaned.paragraphs[0])
    if published is None:
        return
    cleaned.prefix_date = cleaned.prefix_date or published
    cleaned.paragraphs = [rest, *cleaned.paragraphs[1:]] if rest else cleaned.paragraphs[1:]


def _cut_date_stamps(cleaned: Cleaned, lang: str | None, unstamped: set[str]) -> None:
    """Datelines and stamps the rules miss, read with the language's date grammar (dates.cut_stamp):
    "Niamey 28 janv 2024(AIB/ANP)-", "information fournie par France 24 • 20/05/2022 à 14:32",
    "Publié le 12/03/2024 à 10h32 Le ministre...". Cut off the first paragraphs, removed as whole
    lines anywhere; their date and source are kept."""
    kept = []
    for index, paragraph in enumerate(cleaned.paragraphs):
        found = None if paragraph in unstamped else cut_stamp(paragraph, lang)
        if found is None or (found.rest and index >= STAMP_PREFIX_PARAGRAPHS):
            if found is None:
                unstamped.add(paragraph)
            kept.append(paragraph)
            continue
        cleaned.removed.append(RemovedLine(text=found.text, kind=found.kind))
        cleaned.stamps.append(found.date)
        if found.source:
            cleaned.sources.append(found.source)
        if found.rest:
            kept.append(found.rest)
    cleaned.paragraphs = kept


def _remove_lines(cleaned: Cleaned, rules: Rules, body: set[str]) -> None:
    kept = []
    for paragraph in cleaned.paragraphs:
        found = None if paragraph in body else classify(paragraph, rules)
        if found is None:
            body.add(paragraph)
            kept.append(paragraph)
            continue
        kind, groups = found
        cleaned.removed.append(RemovedLine(text=paragraph, kind=kind))
        _collect(cleaned, groups)
        if kind in DATE_STAMP_KINDS:
            cleaned.stamps.append(paragraph)
    cleaned.paragraphs = kept


def _cut_datelines(cleaned: Cleaned, rules: Rules) -> None:
    """Cut a dateline prefix off each of the first paragraphs; the sentence after it stays."""
    kept = cleaned.paragraphs
    for index in range(min(rules.dateline_paragraphs, len(kept))):
        for pattern in rules.datelines:
            match = pattern.match(kept[index])
            if match is None or not match.group().strip():
                continue
            kept[index] = kept[index][match.end() :].strip()
            cleaned.removed.append(RemovedLine(text=match.group().strip(), kind="dateline"))
            groups = {name: value for name, value in match.groupdict().items() if value}
            _collect(cleaned, groups)
            if "date" in groups:
                cleaned.stamps.append(groups["date"])
            break
    cleaned.paragraphs = [paragraph for paragraph in kept if paragraph]


def _collect(cleaned: Cleaned, groups: dict[str, str]) -> None:
    if "author" in groups:
        cleaned.authors.append(groups["author"].strip())
    if "source" in groups:
        cleaned.sources.append(groups["source"].strip())


def _by_length(kinds: list[Kind]) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """For each max_chars (ascending), one regex of the kinds that may remove a line that long."""
    limits = sorted({kind.max_chars for kind in kinds})
    return tuple(
        (
            limit,
            re.compile("|".join(k.any_pattern.pattern for k in kinds if k.max_chars >= limit), re.IGNORECASE),
        )
        for limit in limits
    )


def _compile_kind(name: str, spec: dict[str, Any], fragments: dict[str, Any], default_max: int) -> Kind:
    patterns = tuple(_compile(pattern, fragments) for pattern in spec["patterns"])
    anonymous = "|".join(f"(?:{_GROUP_NAME.sub('(?:', pattern.pattern)})" for pattern in patterns)
    return Kind(
        name=name,
        max_chars=int(spec.get("max_chars", default_max)),
        needs=re.compile("|".join(map(re.escape, spec["needs"])), re.IGNORECASE)
        if spec.get("needs")
        else None,
        patterns=patterns,
        any_pattern=re.compile(anonymous, re.IGNORECASE),
    )


def _compile(pattern: str, fragments: dict[str, Any]) -> re.Pattern[str]:
    return re.compile(_expand(pattern, fragments), re.IGNORECASE)


def _expand(pattern: str, fragments: dict[str, Any], depth: int = 0) -> str:
    """Replace each {{name}} by its fragment; a list fragment becomes an alternation, longest first."""
    if depth > 5:
        raise ValueError(f"fragments nest too deep in {pattern!r}")

    def fragment(match: re.Match[str]) -> str:
        value = fragments[match.group(1)]
        if isinstance(value, list):
            value = "|".join(sorted((str(item) for item in value), key=len, reverse=True))
        return f"(?:{_expand(str(value), fragments, depth + 1)})"

    return _PLACEHOLDER.sub(fragment, pattern)
