"""Dead-letter streams: list what was parked and why, replay it, or purge it.

Replaying puts the original payload back on its own stream as a new entry, so it starts with a
fresh delivery count, and removes it from the DLQ.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from redis.asyncio import Redis

from services.common.contracts import STORED, STREAMS, DeadLetter, dlq_stream
from services.common.errors import NewsflowError
from services.common.settings import NewsflowSettings

_ENTRY_ID = re.compile(r"^\d+(-\d+)?$")


class MalformedEntryId(NewsflowError):
    """An id that cannot name a stream entry (they look like 1733100000000-0)."""


class BadPayload(NewsflowError):
    """An edited payload that is not a JSON document: nothing is replayed."""


@dataclass(frozen=True)
class Parked:
    """One entry of a dead-letter stream."""

    dlq: str
    entry_id: str
    letter: DeadLetter


def dead_letter_streams(settings: NewsflowSettings) -> list[str]:
    """The DLQ of every stream a newsflow service reads."""
    return [dlq_stream(settings.stream(s)) for s in STREAMS if s != STORED]


async def list_parked(redis: Redis, streams: list[str], limit: int = 100) -> list[Parked]:
    """The oldest `limit` parked entries of each DLQ."""
    parked = []
    for stream in streams:
        for entry_id, fields in await redis.xrange(stream, count=limit):
            letter = DeadLetter.model_validate_json(fields[b"__data__"])
            parked.append(Parked(stream, entry_id.decode(), letter))
    return parked


def check_entry_id(entry_id: str) -> str:
    """The id, if it can name a stream entry; else one line saying what an id looks like."""
    if not _ENTRY_ID.match(entry_id.strip()):
        raise MalformedEntryId(f"{entry_id!r} is not a stream entry id (they look like 1733100000000-0; "
                               "see newsflow dlq list)")
    return entry_id.strip()


def readable_payload(letter: DeadLetter) -> str:
    """The parked payload, indented when it is JSON (what an operator reads and edits)."""
    try:
        return json.dumps(json.loads(letter.payload), indent=2, ensure_ascii=False)
    except ValueError:
        return letter.payload


def edited(item: Parked, text: str) -> Parked:
    """`item` with the payload an operator fixed; refused unless it is one JSON document."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise BadPayload(f"the edited payload is not JSON ({exc}); nothing was replayed") from None
    return replace(item, letter=item.letter.model_copy(update={"payload": json.dumps(document, ensure_ascii=False)}))


async def find(redis: Redis, streams: list[str], entry_id: str) -> Parked | None:
    entry_id = check_entry_id(entry_id)
    for stream in streams:
        for found_id, fields in await redis.xrange(stream, min=entry_id, max=entry_id):
            return Parked(stream, found_id.decode(), DeadLetter.model_validate_json(fields[b"__data__"]))
    return None


async def replay(redis: Redis, parked: list[Parked]) -> int:
    """Put each parked payload back on its stream (fresh delivery count) and drop it from the DLQ."""
    for item in parked:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.xadd(item.letter.stream, {"__data__": item.letter.payload.encode()})
            pipe.xdel(item.dlq, item.entry_id)
            await pipe.execute()
    return len(parked)


async def purge(redis: Redis, parked: list[Parked]) -> int:
    """Delete parked entries for good."""
    for item in parked:
        await redis.xdel(item.dlq, item.entry_id)
    return len(parked)
