"""Event identity: is a report one of the stored events, and why. A score, not a key. Pure functions.

Outlets never tell one event the same way: one names the minister, another the country, a third
adds a participant; one dates it from the text, another only by its own publication day. So a
report joins a stored event when a score over four agreements passes a threshold (a setting),
and the merge reason lists what each part contributed:

- actors agree by overlap (`actors_part`): the same key counts fully, an actor whose country
  the other side names (a minister and their country, an army and its state) counts in part,
  and two different people of one country and none in common count against: a foreign minister
  and a defence minister of one state at two meetings are two events;
- dates (`dates_part`): the report's span is compared with the event's span, never with its last
  report's day, so nothing chains. The same exact day counts fully; exact days one day apart
  count against (a daily series stays a series, only other strong agreement can join them);
  overlapping imprecise spans count in part; spans further apart than the window never join;
- the texts agree (`text_similarity`): a cosine over the stemmed content words of the reports'
  sentences and titles;
- the mode (phone, visit) when both give it.

Some things are never one event, whatever the score: incompatible types (event_types.yaml),
different modalities (a denial or an announced visit is not the visit), incompatible places,
actors and places with nothing in common. An undated side joins only on strong text agreement
and a person both name, never on actors alone: two visits of a minister a year apart are two.

The package: spans.py (dates), actor_agreement.py, text_agreement.py, places.py, each one part
of the score; facts.py (what identity knows of an event), decision.py (the score, its vetoes and
reason, which event a report joins), reach.py (the candidate lookup's rule, advisory locks),
type_families.py (event_types.yaml).
"""

from __future__ import annotations

from services.store.event_identity.actor_agreement import (
    COUNTRY_ONLY,
    UNKNOWN_ACTORS,
    ActorProfile,
    actors_part,
    is_acronym_of,
    same_actor,
    shared_person,
)
from services.store.event_identity.decision import (
    EVENT_MATCH_THRESHOLD,
    Match,
    between_days,
    choose_event,
    compatible,
    echoes,
    match,
    refined,
)
from services.store.event_identity.facts import (
    FACTUAL,
    EventFacts,
    KnownEvent,
    actor_set,
    describe,
    modality,
    new_event_id,
)
from services.store.event_identity.part import Part
from services.store.event_identity.places import (
    is_country,
    is_town,
    locations_part,
    named_places,
    same_place,
    shared_places,
    spelling,
)
from services.store.event_identity.reach import (
    ANY_ACTOR,
    lock_keys,
    reach_terms,
    report_terms,
    stable_int64,
    within_reach,
)
from services.store.event_identity.spans import (
    DateSpan,
    dates_part,
    month_day_fits,
    month_day_part,
    neighbour_month_days,
    span_month_days,
)
from services.store.event_identity.text_agreement import text_similarity, text_terms
from services.store.event_identity.type_families import compatible_types, type_family, types_compatible

__all__ = [
    "ANY_ACTOR",
    "COUNTRY_ONLY",
    "EVENT_MATCH_THRESHOLD",
    "FACTUAL",
    "UNKNOWN_ACTORS",
    "ActorProfile",
    "DateSpan",
    "EventFacts",
    "KnownEvent",
    "Match",
    "Part",
    "actor_set",
    "actors_part",
    "between_days",
    "choose_event",
    "compatible",
    "compatible_types",
    "dates_part",
    "describe",
    "echoes",
    "is_acronym_of",
    "is_country",
    "is_town",
    "locations_part",
    "lock_keys",
    "match",
    "modality",
    "month_day_fits",
    "month_day_part",
    "named_places",
    "neighbour_month_days",
    "new_event_id",
    "reach_terms",
    "refined",
    "report_terms",
    "same_actor",
    "same_place",
    "shared_person",
    "shared_places",
    "span_month_days",
    "spelling",
    "stable_int64",
    "text_similarity",
    "text_terms",
    "type_family",
    "types_compatible",
    "within_reach",
]
