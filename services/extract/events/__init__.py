"""PLOVER events from a parsed Doc: trigger → actors, place, context flags, date.

For each trigger (triggers.py) the parse gives the actors (roles.py, actors.py, word_order.py):
the subject is the source, objects and obliques (à, avec, contre, envers) the targets; a noun
trigger takes its own "de X" / "à X" / "avec X" / "entre X et Y" dependents and, failing those,
the subject of the verb that governs it ("Goïta a eu un appel avec Erdogan"). A slot with no
name but an office and a nationality ("son homologue turc", "le chef de la diplomatie russe") is
the person of that office the article names, else the country. A capital as actor stands for its
country. For CONSULT every participant counts; the store compares them as a set.

Dates (dating.py): an expression in the sentence (the one bound to this trigger, else the
nearest) beats a reference back to an earlier event ("lors de cet échange", "24 heures après cet
appel"; anaphora.py), which beats the article's reference date (dates.infer_reference). Mentions
of one event in one article (same type, participants, compatible date and mode) are merged
(merging.py).

Modules, from the parse up: syntax (questions asked of the parse), words (French function
words), records (EventRecord, ActorRef), memory (one article's state), delegations, anaphora,
actors, word_order, roles, dating, assembly (one event and its confidence), merging, finder.
"""

from services.extract.events.countries import compound_countries
from services.extract.events.finder import EventFinder
from services.extract.events.merging import merge_mentions
from services.extract.events.records import ActorRef, EventRecord

__all__ = ["ActorRef", "EventFinder", "EventRecord", "compound_countries", "merge_mentions"]
