"""Which date an event gets: an expression in its sentence (the one bound to its trigger, else
the nearest in its clause), else the date of the earlier event it refers back to ('lors de cet
échange', '24 heures après cet appel'), else the article's reference date (dates.infer_reference).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Span, Token

from services.common.folding import fold
from services.extract.event_dates import DateMention, ResolvedDate, Unresolved, explain_mention, resolve_after
from services.extract.events.memory import ArticleMemory
from services.extract.events.records import EventRecord
from services.extract.events.syntax import clause_verb, governing_verb, is_verb
from services.extract.triggers import Trigger

DATELINE_CHARS = 400  # a dateline opens the article's text
DATELINE_AFTER = re.compile(r"\s*\((?:[^()]{1,40})\)\s*[–—-]")
LIST_MARKER = re.compile(r"\s*(?:\d{1,2}\s*[.)°-]|[-–—•*·▪])\s")


class SentenceDate(NamedTuple):
    """A date expression of a sentence, its token in the parse, and the trigger it is bound to."""

    mention: DateMention
    token: Token | None
    bound_to: int | None  # the head of the trigger it dates, when the parse says so


def list_end(text: str, start: int) -> int:
    """Where the list a sentence ending with ':' introduces stops: its first line, then every
    line that opens with a list marker ('1.', '-', '•'); not a quotation."""
    end = start
    first = True
    for line in text[start:].splitlines(keepends=True):
        if not line.strip():
            end += len(line)
            continue
        if not LIST_MARKER.match(line) and (not first or line.lstrip()[:1] in {"«", '"', "“"}):
            break
        first = False
        end += len(line)
    return end


def is_dateline(sent: Span, mention: DateMention) -> bool:
    """A date in the article's opening dateline, before '(AGENCY) –': when it was reported."""
    return sent.start_char < DATELINE_CHARS and bool(DATELINE_AFTER.match(sent.text, mention.end))


def dates_clause(token: Token | None, trigger: Trigger, statement_nouns: frozenset[str] = frozenset()) -> bool:
    """A date dates the trigger when it sits in the trigger's clause or a clause above it, not in
    a side clause ('la création ... mise en place le 6 juillet', 'le sommet qui se tient en juillet'),
    but for the statement the clause speaks through ('Dans un communiqué publié mardi, X accuse')."""
    if token is None:
        return True
    doc = token.doc
    head = doc[trigger.head]
    date_verb = clause_verb(token)
    trigger_verb = head if is_verb(head) else governing_verb(head)
    if date_verb is None or trigger_verb is None:
        return True
    if date_verb.i == trigger_verb.i or date_verb in trigger_verb.ancestors:
        return True
    side_clause = date_verb.dep_ in {"acl", "acl:relcl"} and date_verb.head.i != head.i
    return not side_clause or _actors_gathered(date_verb, trigger_verb) or (
        _statement_published(date_verb, trigger_verb, statement_nouns)
    )


def _statement_published(participle: Token, trigger_verb: Token, statement_nouns: frozenset[str]) -> bool:
    """'Dans un communiqué publié mardi, le ministère accuse ...': a participle of a statement the
    trigger's verb speaks through, dated, dates what the statement says."""
    statement = participle.head
    return (
        participle.dep_ == "acl"
        and fold(statement.lemma_) in statement_nouns
        and statement.head.i == trigger_verb.i
        and statement.dep_.startswith("obl")
    )


def dates_gathered_subject(token: Token | None, trigger: Trigger) -> bool:
    """The date sits on a participle of the subject that acts ('réunis jeudi'), even when that
    participle is an event of its own (a meeting)."""
    if token is None:
        return False
    head = token.doc[trigger.head]
    date_verb = clause_verb(token)
    trigger_verb = head if is_verb(head) else governing_verb(head)
    return date_verb is not None and trigger_verb is not None and _actors_gathered(date_verb, trigger_verb)


def _actors_gathered(participle: Token, trigger_verb: Token) -> bool:
    """'Les dirigeants, réunis jeudi à Accra, ont décidé de geler ...': a participle of the acting
    subject dates what that subject then did."""
    if participle.dep_ != "acl" or "Part" not in participle.morph.get("VerbForm", []):
        return False
    subject = participle.head
    return subject.dep_.startswith("nsubj") and (
        subject.head.i == trigger_verb.i or subject.head in trigger_verb.ancestors
    )


def mention_token(sent: Span, mention: DateMention) -> Token | None:
    """The root of the tokens a date expression covers."""
    span = sent.doc.char_span(sent.start_char + mention.start, sent.start_char + mention.end, alignment_mode="expand")
    return span.root if span is not None else None


def bound_trigger(token: Token | None, heads: dict[int, Trigger]) -> int | None:
    """The trigger a date hangs on in the parse ('les affrontements des 25 ... juillet'), if any."""
    current = token
    for _ in range(4):
        if current is None or current.head.i == current.i:
            return None
        current = current.head
        if current.i in heads and heads[current.i].kind != "verb" and not is_verb(current):
            # a date modifying a noun follows it: 'les affrontements des 25 ... juillet'
            return current.i if token is not None and token.i > current.i else None
        if is_verb(current):
            if current.i in heads:
                return current.i
            if token is None or token.head.i != current.i:
                return None  # deeper in a side clause: 'qu'elle tient pour responsables de ... en juillet'
            if current.dep_.startswith("acl") and current.head.i in heads:
                return current.head.i  # "l'attaque survenue le 7 septembre"
            if current.dep_ == "acl:relcl":
                return noun_before_relative(current, heads)
            return None
    return None


def noun_before_relative(clause: Token, heads: dict[int, Trigger]) -> int | None:
    """The trigger noun a relative clause follows, when the parse hung the clause higher up: in
    "le bilan de la frappe russe qui a visé jeudi un immeuble", "qui" is the strike, jeudi its day."""
    doc = clause.doc
    before = clause.left_edge.i - 1
    while before >= 0 and doc[before].pos_ == "ADJ" and clause.left_edge.i - before <= 2:
        before -= 1
    if before >= 0 and before in heads and heads[before].kind != "verb" and not is_verb(doc[before]):
        return before
    return None


def sentence_dates(sent: Span, mentions: list[DateMention], heads: dict[int, Trigger]) -> list[SentenceDate]:
    """The sentence's date expressions, but the dateline's, each with the trigger it is bound to."""
    out: list[SentenceDate] = []
    for mention in mentions:
        if is_dateline(sent, mention):
            continue  # "Maroua (Cameroun), 12 février 2024 (APA) –": the day of the report
        token = mention_token(sent, mention)
        out.append(SentenceDate(mention, token, bound_trigger(token, heads)))
    return out


class EventDate(NamedTuple):
    """The date an event gets; whether its own sentence (or the event it refers to) gave it; and,
    when it has none, why (with the day and month a yearless expression gives, if any)."""

    date: ResolvedDate | None
    from_text: bool
    unresolved: Unresolved | None = None


def date_for(
    trigger: Trigger,
    mentions: list[SentenceDate],
    anaphor: EventRecord | None,
    memory: ArticleMemory,
    heads: dict[int, Trigger] | None = None,
) -> EventDate:
    """The event's date (see the module docstring for the order)."""
    heads = heads or {}
    bound = [m for m in mentions if m.bound_to == trigger.head]
    verb = governing_verb(memory.doc[trigger.head]) if trigger.kind == "noun" else None
    noun, participation = memory.doc[trigger.head], memory.lexicon.participation_verbs
    if not bound and verb is not None and tells_verbs_event(noun, verb, trigger, heads, participation):
        # "ont été tués dimanche lors d'une attaque", "a été visée jeudi par une attaque": the
        # verb and its noun tell one event
        bound = [m for m in mentions if m.bound_to == verb.i or (m.token is not None and m.token.head.i == verb.i)]
    free = [m for m in mentions if m.bound_to is None and dates_clause(m.token, trigger, memory.words.statement_nouns)]
    gathered = [m for m in mentions if m.bound_to is not None and dates_gathered_subject(m.token, trigger)]
    chosen = sorted(
        bound or free or gathered, key=lambda m: abs((m.token.i if m.token is not None else 0) - trigger.head)
    )
    unresolved: Unresolved | None = None
    for mention, _token, _bound in chosen:
        if mention.is_since:
            continue
        if mention.needs_anchor and follows_sequence(mention, trigger, memory):
            if memory.reference is not None:  # "Quatre jours après l'attaque, les journaux...": 4 days before
                before = resolve_after(mention, memory.reference, "before the article date", inverse=True)
                return EventDate(before, True)
            continue
        if mention.needs_anchor:
            anchor = anaphor or memory.last_dated_event()
            if anchor is not None and anchor.date is not None:
                return EventDate(resolve_after(mention, anchor.date, f"after '{anchor.trigger}'"), True)
            if memory.reference is not None:
                return EventDate(resolve_after(mention, memory.reference, "after the article date"), True)
            continue
        resolved = explain_mention(mention, memory.reference, memory.today)
        if isinstance(resolved, ResolvedDate):
            return EventDate(resolved, True)
        unresolved = unresolved or resolved
    return _without_own_date(anaphor, unresolved, memory)


def tells_verbs_event(
    noun: Token, verb: Token, trigger: Trigger, heads: dict[int, Trigger], participation_verbs: frozenset[str]
) -> bool:
    """The noun trigger tells its verb's own event: the verb is a trigger of the same type, or
    no trigger and the noun its agent or circumstance ("visée jeudi par une attaque") or the
    object of a verb whose subject acts in it ("a adopté lundi des sanctions"); not any object
    ("a condamné jeudi l'attaque" dates the condemnation)."""
    if verb.i in heads:
        return heads[verb.i].type == trigger.type
    if noun.head.i != verb.i:
        return False
    return noun.dep_ in {"obl:agent", "obl:mod", "obl:arg", "obl"} or (
        noun.dep_ == "obj" and fold(verb.lemma_) in participation_verbs
    )


def follows_sequence(mention: DateMention, trigger: Trigger, memory: ArticleMemory) -> bool:
    """The trigger is what "N jours après" counts from ("Quatre jours après l'attaque", "moins
    d'une semaine après l'assaut"): the event is N days before the time of its clause, not after.
    Only a determiner may stand between the expression and the trigger."""
    head = memory.doc[trigger.head]
    end = head.sent.start_char + mention.end
    between = [t for t in head.sent if end <= t.idx and t.i < head.i]
    return head.idx >= end and len(between) <= 2 and all(t.pos_ == "DET" for t in between)


def _without_own_date(anaphor: EventRecord | None, unresolved: Unresolved | None, memory: ArticleMemory) -> EventDate:
    """No expression of the sentence dates the event: the event it refers back to, else the
    article's reference (with why the sentence's own date could not be told), else none."""
    if anaphor is not None and anaphor.date is not None:
        reason = f"anaphora: refers to '{anaphor.trigger}' ({anaphor.date.value})"
        return EventDate(ResolvedDate(anaphor.date.value, anaphor.date.precision, reason), True)
    if unresolved is not None and memory.reference is not None:
        # the sentence's own date fits no year of the publication span: keep the span, say why
        return EventDate(replace(memory.reference, reason=f"{memory.reference.reason}; {unresolved.reason}"), False)
    if memory.reference is None and unresolved is not None:
        return EventDate(None, False, unresolved)
    return EventDate(memory.reference, False)
