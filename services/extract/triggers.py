"""Event triggers: the PLOVER lexicon (data/triggers.yaml) compiled into one matcher (trigger_matcher.py).

A trigger is a word or phrase that names an event ("entretien téléphonique", "attaque",
"se rendre"); its type and mode come from the lexicon, its actors from the parse (the events package).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from services.common.folding import fold
from services.extract.trigger_checks import accepts, event_objects, mode_of
from services.extract.trigger_matcher import TriggerMatcher

TRIGGERS_FILE = Path(__file__).resolve().parent / "data" / "triggers.yaml"


@dataclass(frozen=True)
class TriggerRule:
    """What one lexicon entry says about the words it matches."""

    type: str
    mode: str | None
    kind: str  # noun, verb, phrase
    head: int = 0
    reflexive: bool = False
    needs_actor_object: bool = False
    object_nouns: frozenset[str] = frozenset()
    owner_is_target: bool = False
    intransitive: bool = False
    not_with_clause: bool = False
    not_reflexive: bool = False
    subject_undergoes: bool = False  # "Djibo a été la cible de ...": the subject is the target
    attacker: str | None = None  # "subject" / "owner": that party must be an armed one
    plural_subject: bool = False  # "se retrouver": only with several subjects and no attribute
    needs_subject: bool = False
    no_infinitive: bool = False  # "arrêter des militants" is an arrest; "arrêter de sonner" is not
    not_urging: bool = False  # "appeler son homologue" is a call; "appeler X à la retenue" is not


@dataclass(frozen=True)
class Trigger:
    """One trigger found in a Doc."""

    start: int  # token indices of the matched words
    end: int
    head: int  # token index the event hangs on
    type: str
    mode: str | None
    kind: str
    owner_is_target: bool = False
    event_objects: tuple[int, ...] = ()  # "a levé les sanctions": object nouns that belong to the event
    subject_undergoes: bool = False


@dataclass(frozen=True)
class TriggerLexicon:
    rules: dict[str, TriggerRule]
    patterns: dict[str, list[list[dict[str, Any]]]]
    modes: dict[str, tuple[tuple[str, ...], ...]]
    place_types: frozenset[str]
    abstract_targets: frozenset[str]
    needs_determiner: bool
    frame_heads: frozenset[str] = frozenset()
    anaphoric_determiners: frozenset[str] = frozenset()
    anaphoric_nouns: frozenset[str] = frozenset()
    plural_anaphors: tuple[tuple[str, ...], ...] = ()
    title_heads: frozenset[str] = frozenset()
    participation_verbs: frozenset[str] = frozenset()
    attribution_verbs: frozenset[str] = frozenset()
    affiliation_verbs: frozenset[str] = frozenset()
    attacker_nouns: frozenset[str] = frozenset()
    lead_place_types: frozenset[str] = frozenset()
    purpose_types: frozenset[str] = frozenset()
    purpose_verbs: frozenset[str] = frozenset()
    purpose_marks: frozenset[str] = frozenset()
    collective_nouns: frozenset[str] = frozenset()
    round_nouns: frozenset[str] = frozenset()
    represented_types: frozenset[str] = frozenset()
    delegation_nouns: frozenset[str] = frozenset()
    leading_verbs: frozenset[str] = frozenset()
    reflexive_pronouns: frozenset[str] = frozenset()
    complementizers: frozenset[str] = frozenset()
    urging_marks: frozenset[str] = frozenset()
    summons_nouns: frozenset[str] = frozenset()
    modifier_cases: frozenset[str] = frozenset()
    against_words: frozenset[str] = frozenset()
    idiom_agent_words: frozenset[str] = frozenset()

    def matcher(self, vocab: Vocab) -> TriggerMatcher:
        """The lexicon's patterns, matched as spaCy's Matcher would, with one-token ones looked up."""
        return TriggerMatcher(vocab, self.patterns)


def present_forms(lemmas: list[str]) -> list[str]:
    """Present-tense forms of regular -er verbs ('réclamer' → réclame, réclames, réclament)."""
    return sorted({lemma[:-2] + ending for lemma in lemmas if lemma.endswith("er") for ending in ("e", "es", "ent")})


# Lexicon keys listing verb lemmas, with what the rule then asks of the verb, in rule-id order.
VERB_LISTS: tuple[tuple[str, dict[str, bool]], ...] = (
    ("verbs", {}),
    ("intransitive_verbs", {"intransitive": True}),
    ("verbs_not_with_clause", {"not_with_clause": True}),
    ("non_reflexive_verbs", {"not_reflexive": True}),
    ("reflexive_verbs", {"reflexive": True}),
    ("reflexive_plural_verbs", {"reflexive": True, "plural_subject": True}),
    ("verbs_needing_actor_object", {"needs_actor_object": True}),
    ("verbs_not_with_infinitive", {"no_infinitive": True}),
    ("call_verbs", {"needs_actor_object": True, "not_urging": True, "not_reflexive": True}),
)

Pattern = list[dict[str, Any]]


def _patterns_of(entry: dict[str, Any]) -> list[tuple[str, Pattern, dict[str, Any]]]:
    """(kind, Matcher pattern, rule options) for every word and phrase of one lexicon entry."""
    out: list[tuple[str, Pattern, dict[str, Any]]] = []
    nouns = [n for n in entry.get("nouns", []) if " " not in n]
    if nouns:
        out.append(("noun", [{"LOWER": {"IN": nouns}, "POS": {"NOT_IN": ["VERB", "AUX"]}}], {}))
    for phrase_noun in (n for n in entry.get("nouns", []) if " " in n):
        out.append(("noun", [{"LOWER": word} for word in phrase_noun.split()], {}))
    for key, options in VERB_LISTS:
        if entry.get(key):
            out.append(("verb", [{"LEMMA": {"IN": entry[key]}, "POS": "VERB"}], dict(options)))
    for verb, objects in (entry.get("verbs_needing_object") or {}).items():
        out.append(("verb", [{"LEMMA": verb, "POS": "VERB"}], {"object_nouns": frozenset(fold(o) for o in objects)}))
    for phrase in entry.get("phrases", []):
        options = {
            "head": phrase.get("head", 0),
            "subject_undergoes": bool(phrase.get("subject_undergoes", False)),
            "attacker": phrase.get("attacker"),
        }
        if "owner_is_target" in phrase:
            options["owner_is_target"] = bool(phrase["owner_is_target"])
        out.append(("phrase", phrase["pattern"], options))
    return out


def _rules_of(entry: dict[str, Any], index: int) -> list[tuple[str, TriggerRule, Pattern]]:
    """(rule id, rule, Matcher pattern) for every word and phrase of one lexicon entry; a verb
    also matches its present forms the lemmatizer leaves as they are ('le Mali réclame')."""
    event_type, mode = entry["type"], entry.get("mode")
    owner_is_target = bool(entry.get("owner_is_target", False))
    out: list[tuple[str, TriggerRule, Pattern]] = []
    for kind, pattern, options in _patterns_of(entry):
        rule = TriggerRule(event_type, mode, kind, **{"owner_is_target": owner_is_target, **options})
        out.append((f"{event_type}:{mode}:{index}:{len(out)}", rule, pattern))
        forms = present_forms(_verb_lemmas(kind, pattern))
        if forms:
            twin = replace(rule, needs_subject=True)  # "en signe de": a noun the tagger took for a verb
            out.append((f"{event_type}:{mode}:{index}:{len(out)}", twin, [{"LOWER": {"IN": forms}, "POS": "VERB"}]))
    return out


def _verb_lemmas(kind: str, pattern: Pattern) -> list[str]:
    """The lemmas a one-token verb pattern matches."""
    lemmas = pattern[0].get("LEMMA") if kind == "verb" and len(pattern) == 1 else None
    return [lemmas] if isinstance(lemmas, str) else list((lemmas or {}).get("IN", []))


@cache
def load_trigger_lexicon(path: Path = TRIGGERS_FILE) -> TriggerLexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules: dict[str, TriggerRule] = {}
    patterns: dict[str, list[list[dict[str, Any]]]] = {}
    for index, entry in enumerate(raw["triggers"]):
        for rule_id, rule, pattern in _rules_of(entry, index):
            rules[rule_id] = rule
            patterns[rule_id] = [pattern]
    modes = {mode: tuple(tuple(fold(w).split()) for w in words) for mode, words in raw["modes"].items()}
    return TriggerLexicon(
        rules=rules,
        patterns=patterns,
        modes=modes,
        place_types=frozenset(raw.get("place_types", [])),
        lead_place_types=frozenset(raw.get("lead_place_types", [])),
        purpose_types=frozenset(raw.get("purpose_types", [])),
        purpose_verbs=frozenset(fold(w) for w in raw.get("purpose_verbs", [])),
        purpose_marks=frozenset(fold(w) for w in raw.get("purpose_marks", [])),
        abstract_targets=frozenset(fold(w) for w in raw.get("abstract_targets", [])),
        needs_determiner=bool(raw.get("needs_determiner", True)),
        frame_heads=frozenset(fold(w) for w in raw.get("frame_heads", [])),
        anaphoric_determiners=frozenset(fold(w) for w in raw.get("anaphoric_determiners", [])),
        anaphoric_nouns=frozenset(fold(w) for w in raw.get("anaphoric_nouns", [])),
        participation_verbs=frozenset(fold(w) for w in raw.get("participation_verbs", [])),
        attribution_verbs=frozenset(fold(w) for w in raw.get("attribution_verbs", [])),
        affiliation_verbs=frozenset(fold(w) for w in raw.get("affiliation_verbs", [])),
        title_heads=frozenset(fold(w) for w in raw.get("title_heads", [])),
        attacker_nouns=frozenset(fold(w) for w in raw.get("attacker_nouns", [])),
        collective_nouns=frozenset(fold(w) for w in raw.get("collective_nouns", [])),
        round_nouns=frozenset(fold(w) for w in raw.get("round_nouns", [])),
        represented_types=frozenset(raw.get("represented_types", [])),
        delegation_nouns=frozenset(fold(w) for w in raw.get("delegation_nouns", [])),
        leading_verbs=frozenset(fold(w) for w in raw.get("leading_verbs", [])),
        plural_anaphors=tuple(tuple(fold(w).split()) for w in raw.get("plural_anaphors", [])),
        reflexive_pronouns=frozenset(raw.get("reflexive_pronouns", [])),  # compared in lower case
        complementizers=frozenset(raw.get("complementizers", [])),  # compared in lower case
        urging_marks=frozenset(fold(w) for w in raw.get("urging_marks", [])),
        summons_nouns=frozenset(fold(w) for w in raw.get("summons_nouns", [])),
        modifier_cases=frozenset(fold(w) for w in raw.get("modifier_cases", [])),
        against_words=frozenset(fold(w) for w in raw.get("against_words", [])),
        idiom_agent_words=frozenset(fold(w) for w in raw.get("idiom_agent_words", [])),
    )


def find_triggers(doc: Doc, matcher: TriggerMatcher, lexicon: TriggerLexicon) -> list[Trigger]:
    """Every accepted trigger, longest match first when matches overlap."""
    candidates: list[Span] = []
    for match_id, start, end in matcher(doc):
        rule_id = doc.vocab.strings[match_id]
        span = Span(doc, start, end, label=rule_id)
        if accepts(span, lexicon.rules[rule_id], lexicon):
            candidates.append(span)
    kept = filter_spans(candidates)
    objects_of = {span.start: event_objects(span, lexicon.rules[span.label_]) for span in kept}
    consumed = {i for objects in objects_of.values() for i in objects}
    triggers = []
    for span in kept:
        rule = lexicon.rules[span.label_]
        head = span[rule.head] if -len(span) <= rule.head < len(span) else span[0]
        if rule.kind == "noun" and head.i in consumed:
            continue  # "les sanctions" of "a levé les sanctions" is part of the verb's event
        mode = mode_of(head, rule.mode, lexicon) if rule.type == "CONSULT" else rule.mode
        triggers.append(
            Trigger(
                span.start,
                span.end,
                head.i,
                rule.type,
                mode,
                rule.kind,
                rule.owner_is_target,
                event_objects=objects_of[span.start],
                subject_undergoes=rule.subject_undergoes,
            )
        )
    return sorted(triggers, key=lambda t: t.start)
