"""Whether a lexicon match names an event: its parties, its verb and its noun fit the rule
(triggers.py finds the matches; this module reads the parse around each one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from services.common.folding import fold

if TYPE_CHECKING:
    from services.extract.triggers import TriggerLexicon, TriggerRule

ACTOR_LABELS = {"PER", "ORG", "LOC", "MISC"}


def is_reflexive(verb: Token, lexicon: TriggerLexicon) -> bool:
    """'s'entretenir', 'se rendre': a reflexive pronoun hangs on the verb or stands just before it."""
    pronouns = lexicon.reflexive_pronouns
    if any(child.lower_ in pronouns and child.dep_.startswith(("expl", "obj", "iobj")) for child in verb.children):
        return True
    window = verb.doc[max(0, verb.i - 3) : verb.i]
    return any(t.lower_ in pronouns and t.pos_ == "PRON" for t in window)


def _objects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in {"obj", "nsubj:pass", "iobj"}]


def _has_actor_object(verb: Token) -> bool:
    """'recevoir le ministre' yes, 'recevoir des avions' no; a person the parse hung under an
    oblique counts too ('a reçu à Yaoundé son homologue X')."""
    if any(obj.pos_ == "PRON" or any(t.ent_type_ in ACTOR_LABELS for t in obj.subtree) for obj in _objects(verb)):
        return True
    return any(
        (c.dep_ == "obl:arg" or _bare_time_modifier(c, verb)) and any(t.ent_type_ == "PER" for t in c.subtree)
        for c in verb.children
    )


def _bare_time_modifier(child: Token, verb: Token) -> bool:
    """'a appelé ce jeudi son homologue X': the parse hangs the object under the bare day that
    precedes it (a modifier with no preposition, after the verb)."""
    return child.dep_ == "obl:mod" and child.i > verb.i and not any(g.dep_ == "case" for g in child.children)


def _bare_modifier(noun: Token, lexicon: TriggerLexicon) -> bool:
    """'avions de combat', 'au combat': a noun without determiner or adjective under de/au/en."""
    children = list(noun.children)
    if any(c.dep_ in {"det", "amod", "nummod"} or c.pos_ in {"DET", "ADJ"} for c in children):
        return False
    cases = {fold(c.text) for c in children if c.dep_ == "case"}
    return bool(cases & lexicon.modifier_cases) or noun.dep_ == "compound"


def _counted(noun: Token, lexicon: TriggerLexicon) -> bool:
    """'une nouvelle série de sanctions', 'une vague d'attaques', 'leur deuxième journée de
    pourparlers': the noun is what a quantity or a round counts, so it names events though it has
    no determiner of its own."""
    counters = lexicon.collective_nouns | lexicon.round_nouns
    return noun.dep_.startswith("nmod") and (fold(noun.head.lemma_) in counters or fold(noun.head.text) in counters)


def _struggle_against_abstraction(noun: Token, lexicon: TriggerLexicon) -> bool:
    """'le combat contre le terrorisme': a policy, not an attack."""
    for child in noun.children:
        if (
            any(fold(c.text) in lexicon.against_words for c in child.children)
            and fold(child.lemma_) in lexicon.abstract_targets
        ):
            return True
    return False


def _is_wanted_object(token: Token, rule: TriggerRule) -> bool:
    return fold(token.lemma_) in rule.object_nouns or fold(token.text) in rule.object_nouns


def event_objects(span: Span, rule: TriggerRule) -> tuple[int, ...]:
    """The objects a verb with object_nouns acts on ("envoyer des renforts", "lever les sanctions")."""
    if not rule.object_nouns:
        return ()
    head = span[rule.head] if -len(span) <= rule.head < len(span) else span[0]
    return tuple(o.i for o in _objects(head) if _is_wanted_object(o, rule))


def _is_attacker(token: Token, lexicon: TriggerLexicon) -> bool:
    """'les assaillants', 'des hommes armés', 'des terroristes de Boko Haram': an armed party; also
    a crowd of them, 'une horde d'assaillants', 'une centaine de jihadistes' (the 'de X' it counts)."""
    if fold(token.lemma_) in lexicon.attacker_nouns or fold(token.text) in lexicon.attacker_nouns:
        return True
    if fold(token.lemma_) in lexicon.collective_nouns or fold(token.text) in lexicon.collective_nouns:
        return any(_is_attacker(counted, lexicon) for counted in undergoer_agents(token, lexicon))
    return False


def _subjects(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in {"nsubj", "nsubj:pass"}]


def undergoer_agents(head: Token, lexicon: TriggerLexicon) -> list[Token]:
    """'la cible d'hommes armés': the 'de X' phrases of the idiom's noun."""
    return [
        c
        for c in head.children
        if c.dep_.startswith("nmod")
        and any(fold(g.text) in lexicon.idiom_agent_words for g in c.children if g.dep_ in {"case", "det"})
    ]


def _several_subjects(verb: Token) -> bool:
    """'les délégations russe et ukrainienne se retrouveront', 'X et Y se sont retrouvés'."""
    subjects = _subjects(verb)
    return any("Plur" in s.morph.get("Number", []) or any(c.dep_ == "conj" for c in s.children) for s in subjects)


def accepts(span: Span, rule: TriggerRule, lexicon: TriggerLexicon) -> bool:
    """Whether a match names an event: its parties, its verb and its noun fit the rule."""
    head = span[rule.head] if -len(span) <= rule.head < len(span) else span[0]
    if any(t.ent_type_ for t in span):  # "Alliance des États du Sahel" is an organisation, not an alliance
        return False
    return (
        _parties_fit(head, rule, lexicon)
        and _verb_fits(head, rule, lexicon)
        and (rule.kind != "noun" or _noun_fits(head, rule, lexicon))
    )


def _parties_fit(head: Token, rule: TriggerRule, lexicon: TriggerLexicon) -> bool:
    """The subjects and agents the rule asks for are there."""
    if rule.attacker == "subject" and not any(_is_attacker(s, lexicon) for s in _subjects(head)):
        return False  # "les assaillants s'en sont pris à"; not "le ministre s'en prend à la presse"
    if rule.attacker == "owner" and not (
        any(c.dep_ == "cop" for c in head.children)
        and any(_is_attacker(a, lexicon) for a in undergoer_agents(head, lexicon))
    ):
        return False  # "a été la cible d'hommes armés"; not "la cible de critiques"
    if rule.needs_subject and not _subjects(head):
        return False
    # "se retrouver" meets only when several do and did: "se retrouve isolé" is a state,
    # "se retrouveront en finale" a fixture
    return not rule.plural_subject or (
        _several_subjects(head)
        and not any(c.dep_ == "xcomp" or c.pos_ == "ADJ" for c in head.children)
        and "Fut" not in head.morph.get("Tense", [])
    )


def _verb_fits(head: Token, rule: TriggerRule, lexicon: TriggerLexicon) -> bool:
    """The verb is (or is not) reflexive and has (or has not) the objects the rule asks for."""
    if rule.reflexive and not is_reflexive(head, lexicon):
        return False
    if rule.not_reflexive and is_reflexive(head, lexicon):
        return False  # "se réclamant de Boko Haram", "on se demande": no request
    if rule.needs_actor_object and not _has_actor_object(head):
        return False
    if rule.intransitive and (_objects(head) or head.dep_.startswith("acl") or head.dep_ == "amod"):
        return False  # "manifester son soutien", "le besoin manifesté": no protest
    if rule.not_with_clause and any(c.dep_ == "ccomp" or c.lower_ in lexicon.complementizers for c in head.children):
        return False  # "soutenir que ...": a claim, not support
    if rule.no_infinitive and any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in head.children):
        return False
    if rule.not_urging and _urges(head, lexicon):
        return False
    return not rule.object_nouns or any(_is_wanted_object(o, rule) for o in _objects(head))


def _urges(verb: Token, lexicon: TriggerLexicon) -> bool:
    """'a appelé les autorités à rétablir le calendrier', 'appelé au calme', 'le pays appelé à
    voter': a call on someone to act, not a call to someone."""
    if verb.dep_.startswith("acl") or verb.dep_ == "amod":
        return True
    # the parse may hang "à rétablir" under the object: "appelé les autorités à rétablir"
    phrases = [*verb.children, *(c for o in _objects(verb) for c in o.children if c.dep_ in {"acl", "xcomp"})]
    return any(
        fold(g.text) in lexicon.urging_marks
        for c in phrases
        if c.dep_ in {"xcomp", "advcl", "ccomp", "acl"} or c.dep_.startswith("obl")
        for g in c.children
        if g.dep_ in {"mark", "case"}
    )


def is_summons(noun: Token, lexicon: TriggerLexicon) -> bool:
    """'à l'appel de X', 'à l'invitation de X': who called the event told around it, not an event."""
    return fold(noun.lemma_) in lexicon.summons_nouns and any(
        c.dep_ == "case" and fold(c.text) in lexicon.urging_marks for c in noun.children
    )


def _noun_fits(head: Token, rule: TriggerRule, lexicon: TriggerLexicon) -> bool:
    """A noun names an event, not a modifier, a policy, a frame, an office or a summons."""
    if is_summons(head, lexicon):
        return False
    if lexicon.needs_determiner and _bare_modifier(head, lexicon) and not _counted(head, lexicon):
        return False
    if rule.type == "ASSAULT" and _struggle_against_abstraction(head, lexicon):
        return False
    if head.dep_.startswith("nmod") and fold(head.head.lemma_) in lexicon.frame_heads:
        return False
    # "ministre ... de la coopération internationale": an office's name
    return not any(fold(a.lemma_) in lexicon.title_heads for a in list(head.ancestors)[:3])


def mode_of(head: Token, default: str | None, lexicon: TriggerLexicon) -> str | None:
    """A phone or video word right by the trigger sets the mode: 'entretien au téléphone'."""
    words = [fold(t.text) for t in head.doc[head.i + 1 : min(len(head.doc), head.i + 5)]]
    words += [fold(c.text) for c in head.children]
    for mode, phrases in lexicon.modes.items():
        for phrase in phrases:
            n = len(phrase)
            if any(tuple(words[i : i + n]) == phrase for i in range(len(words))):
                return mode
    return default
