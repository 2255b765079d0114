"""Trigger and actor rules of the event finder on hand-built parses (no model): which words
name an event, who acts, who undergoes it, and where."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Doc

from services.extract.canonical import CanonicalEntity
from services.extract.events import EventFinder
from services.extract.events.actors import slot_actors
from services.extract.events.memory import ArticleMemory
from services.extract.events.roles import Roles, trigger_roles
from services.extract.triggers import Trigger, find_triggers, load_trigger_lexicon
from tests.unit.extract.handbuilt import VOCAB, Row, memory_of, parsed

GOITA = "per:assimi-goita"
TIANI = "per:abdourahamane-tiani"
ERDOGAN = "per:recep-tayyip-erdogan"


@pytest.fixture(scope="module")
def finder() -> EventFinder:
    from services.extract.canonical import load_name_lexicon
    from services.extract.gazetteer import default_gazetteer

    return EventFinder(VOCAB, load_trigger_lexicon(), default_gazetteer(), load_name_lexicon())


def triggers_of(doc: Doc, finder: EventFinder) -> list[Trigger]:
    return find_triggers(doc, finder.matcher, finder.lexicon)


def roles_of(doc: Doc, finder: EventFinder, memory: ArticleMemory | None = None) -> Roles:
    (trigger,) = triggers_of(doc, finder)
    memory = memory or memory_of(doc)
    return trigger_roles(trigger, doc[trigger.head], memory, trigger.type in finder.lexicon.place_types)


def keys(actors) -> list[str]:
    return [a.key for a in actors]


def met() -> Doc:
    """'Goïta a rencontré Tiani .'"""
    return parsed(
        [
            Row("Goïta", "Goïta", "PROPN", 2, "nsubj", entity=GOITA),
            Row("a", "avoir", "AUX", 2, "aux:tense"),
            Row("rencontré", "rencontrer", "VERB", 2, "ROOT", "VerbForm=Part"),
            Row("Tiani", "Tiani", "PROPN", 2, "obj", entity=TIANI),
            Row(".", ".", "PUNCT", 2, "punct"),
        ]
    )


def talked(partner: list[Row], weekday: bool = False) -> Doc:
    """'Goïta s'est entretenu [mardi] avec <partner> .' (partner rows' heads count from index 4)."""
    shift = 1 if weekday else 0
    rows = [
        Row("Goïta", "Goïta", "PROPN", 3, "nsubj", entity=GOITA),
        Row("s'", "se", "PRON", 3, "expl:comp"),
        Row("est", "être", "AUX", 3, "aux:tense"),
        Row("entretenu", "entretenir", "VERB", 3, "ROOT", "VerbForm=Part"),
    ]
    if weekday:
        rows.append(Row("mardi", "mardi", "NOUN", 3, "obl:mod"))
    rows += [r._replace(head=r.head + shift if r.head >= 4 else r.head) for r in partner]
    rows.append(Row(".", ".", "PUNCT", 3, "punct"))
    return parsed(rows)


WITH_ERDOGAN = [Row("avec", "avec", "ADP", 5, "case"), Row("Erdogan", "Erdogan", "PROPN", 3, "obl:arg", entity=ERDOGAN)]
WITH_TURKISH_PRESIDENT = [
    Row("avec", "avec", "ADP", 6, "case"),
    Row("le", "le", "DET", 6, "det"),
    Row("président", "président", "NOUN", 3, "obl:arg"),
    Row("turc", "turc", "ADJ", 6, "amod"),
]


# ---- triggers ----------------------------------------------------------------------------------


def test_triggers_verb_lemma_names_a_meeting() -> None:
    """'a rencontré' is a CONSULT meeting hanging on the verb."""
    doc = met()
    lexicon = load_trigger_lexicon()
    (trigger,) = find_triggers(doc, lexicon.matcher(VOCAB), lexicon)
    assert (trigger.type, trigger.mode, trigger.kind, trigger.head) == ("CONSULT", "meeting", "verb", 2)


def test_triggers_reflexive_verb_counts_only_with_se(finder) -> None:
    """'s'entretenir avec' is talks; 'entretient des relations' is not."""
    assert [t.type for t in triggers_of(talked(WITH_ERDOGAN), finder)] == ["CONSULT"]
    relations = parsed(
        [
            Row("Le", "le", "DET", 1, "det"),
            Row("Mali", "Mali", "PROPN", 2, "nsubj", entity="loc:mli"),
            Row("entretient", "entretenir", "VERB", 2, "ROOT"),
            Row("des", "de", "DET", 4, "det"),
            Row("relations", "relation", "NOUN", 2, "obj"),
            Row(".", ".", "PUNCT", 2, "punct"),
        ]
    )
    assert triggers_of(relations, finder) == []


def fight(against: str, lemma: str) -> Doc:
    """'Le combat contre le <against> .'"""
    return parsed(
        [
            Row("Le", "le", "DET", 1, "det"),
            Row("combat", "combat", "NOUN", 1, "ROOT"),
            Row("contre", "contre", "ADP", 4, "case"),
            Row("les", "le", "DET", 4, "det"),
            Row(against, lemma, "NOUN", 1, "nmod"),
            Row(".", ".", "PUNCT", 1, "punct"),
        ]
    )


def test_triggers_fight_against_an_abstraction_is_no_attack(finder) -> None:
    """'le combat contre le terrorisme' is a policy; 'le combat contre les jihadistes' an ASSAULT."""
    assert triggers_of(fight("terrorisme", "terrorisme"), finder) == []
    assert [t.type for t in triggers_of(fight("jihadistes", "jihadiste"), finder)] == ["ASSAULT"]


def received(obj: list[Row]) -> Doc:
    """'Goïta a reçu <obj> .' (the object's rows count heads from index 3)."""
    return parsed(
        [
            Row("Goïta", "Goïta", "PROPN", 2, "nsubj", entity=GOITA),
            Row("a", "avoir", "AUX", 2, "aux:tense"),
            Row("reçu", "recevoir", "VERB", 2, "ROOT", "VerbForm=Part"),
            *obj,
            Row(".", ".", "PUNCT", 2, "punct"),
        ]
    )


def test_triggers_receiving_is_a_visit_only_for_an_actor(finder) -> None:
    """'a reçu Erdogan' is a visit; 'a reçu des avions' is not."""
    person = received([Row("Erdogan", "Erdogan", "PROPN", 2, "obj", entity=ERDOGAN)])
    planes = received([Row("des", "de", "DET", 4, "det"), Row("avions", "avion", "NOUN", 2, "obj")])
    assert [(t.type, t.mode) for t in triggers_of(person, finder)] == [("CONSULT", "visit")]
    assert triggers_of(planes, finder) == []


# ---- actors ------------------------------------------------------------------------------------


def test_roles_subject_acts_object_undergoes(finder) -> None:
    """'Goïta a rencontré Tiani': Goïta is the source, Tiani the target."""
    roles = roles_of(met(), finder)
    assert (keys(roles.sources), keys(roles.targets), roles.place) == ([GOITA], [TIANI], None)


def test_roles_agent_of_a_participle_acts_and_the_target_place_is_where(finder) -> None:
    """'l'attaque menée par le JNIM contre un camp à Sévaré': JNIM attacked, at Sévaré."""
    doc = parsed(
        [
            Row("L'", "le", "DET", 1, "det"),
            Row("attaque", "attaque", "NOUN", 1, "ROOT"),
            Row("menée", "mener", "VERB", 1, "acl", "VerbForm=Part"),
            Row("par", "par", "ADP", 5, "case"),
            Row("le", "le", "DET", 5, "det"),
            Row("JNIM", "JNIM", "PROPN", 2, "obl:agent", entity="org:jnim"),
            Row("contre", "contre", "ADP", 8, "case"),
            Row("un", "un", "DET", 8, "det"),
            Row("camp", "camp", "NOUN", 2, "obl:arg"),
            Row("à", "à", "ADP", 10, "case"),
            Row("Sévaré", "Sévaré", "PROPN", 8, "nmod", entity="loc:sevare"),
            Row(".", ".", "PUNCT", 1, "punct"),
        ]
    )
    roles = roles_of(doc, finder)
    assert keys(roles.sources) == ["org:jnim"]
    assert roles.targets == []
    assert roles.place is not None and roles.place.key == "loc:sevare"


def test_roles_attributed_attack_has_the_group_as_source(finder) -> None:
    """'une attaque attribuée à l'EI': the group it is attributed to carried it out."""
    doc = parsed(
        [
            Row("une", "un", "DET", 1, "det"),
            Row("attaque", "attaque", "NOUN", 1, "ROOT"),
            Row("attribuée", "attribuer", "VERB", 1, "acl", "VerbForm=Part"),
            Row("à", "à", "ADP", 5, "case"),
            Row("l'", "le", "DET", 5, "det"),
            Row("EI", "EI", "PROPN", 2, "obl:arg", entity="org:ei"),
            Row(".", ".", "PUNCT", 1, "punct"),
        ]
    )
    roles = roles_of(doc, finder)
    assert (keys(roles.sources), roles.targets) == (["org:ei"], [])


def test_roles_office_and_nationality_without_holder_is_the_country(finder) -> None:
    """'avec le président turc' with no Turkish president named: Turkey takes part."""
    roles = roles_of(talked(WITH_TURKISH_PRESIDENT), finder)
    assert (keys(roles.sources), keys(roles.targets)) == ([GOITA], ["loc:tur"])


def test_slot_actors_office_and_nationality_is_the_named_holder() -> None:
    """'le président turc' in an article that names Erdogan is Erdogan."""
    doc = talked(WITH_TURKISH_PRESIDENT)
    memory = memory_of(doc, dt.date(2024, 3, 20))
    memory.entities[ERDOGAN] = CanonicalEntity(ERDOGAN, "Recep Tayyip Erdogan", "PER", "TUR", "Erdogan", 0, 7)
    assert keys(slot_actors(doc[6], memory)) == [ERDOGAN]


# ---- the whole finder --------------------------------------------------------------------------


def test_event_finder_dates_talks_by_the_weekday_of_the_sentence(finder) -> None:
    """'Goïta s'est entretenu mardi avec Erdogan', published Wednesday 20 March: talks on the 19th."""
    doc = talked(WITH_ERDOGAN, weekday=True)
    doc._.newsflow_published = dt.date(2024, 3, 20)
    doc._.newsflow_published_precision = "day"
    (event,) = finder(doc)
    assert (event.type, keys(event.sources), keys(event.targets)) == ("CONSULT", [GOITA], [ERDOGAN])
    assert event.date is not None and event.date.value == dt.date(2024, 3, 19) and event.date_from_text
    assert (event.trigger, event.confidence) == ("entretenu", 0.85)
