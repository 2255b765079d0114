"""Dead letters: listed with their reason, replayed with a fresh count, purged."""

import json

import fakeredis
import pytest

from services.common.delivery import Delivery, Entry, ensure_group
from services.common.errors import PoisonMessage
from services.common.settings import NewsflowSettings
from services.dlq import dead_letter_streams, find, list_parked, purge, replay

RAW = "t:articles.raw"


@pytest.fixture
async def parked_redis():
    """A Redis with two messages parked on t:articles.raw.dlq."""
    redis = fakeredis.FakeAsyncRedis()
    await ensure_group(redis, RAW, "ingest")
    delivery = Delivery(service="ingest", group="ingest", redis=redis, max_deliveries=5)
    for n in range(2):
        await delivery.park(Entry(RAW, f"1-{n}", json.dumps({"text": "", "n": n}).encode()),
                            PoisonMessage(f"reason {n}"), deliveries=1)
    yield redis
    await redis.aclose()


def test_dead_letter_streams_follow_the_prefix():
    """The DLQs listed are those of the three input streams, with the deployment's prefix."""
    assert dead_letter_streams(NewsflowSettings(stream_prefix="t:")) == [
        "t:articles.raw.dlq", "t:articles.normalized.dlq", "t:articles.extracted.dlq"]


async def test_dlq_lists_parked_messages_with_their_reason(parked_redis):
    """Each parked message shows its service, reason and original payload."""
    parked = await list_parked(parked_redis, [RAW + ".dlq"])
    assert [p.letter.error for p in parked] == ["reason 0", "reason 1"]
    assert json.loads(parked[1].letter.payload) == {"text": "", "n": 1}


async def test_dlq_replay_puts_the_payload_back_as_a_new_entry(parked_redis):
    """Replay adds the original payload to its stream (new id, fresh count) and empties the DLQ entry."""
    [first, _] = await list_parked(parked_redis, [RAW + ".dlq"])
    assert await replay(parked_redis, [first]) == 1
    [(_, fields)] = await parked_redis.xrange(RAW)
    assert json.loads(fields[b"__data__"]) == {"text": "", "n": 0}
    assert [p.letter.error for p in await list_parked(parked_redis, [RAW + ".dlq"])] == ["reason 1"]


async def test_dlq_purge_and_find(parked_redis):
    """An entry can be found by id, and purge removes it for good."""
    [first, second] = await list_parked(parked_redis, [RAW + ".dlq"])
    assert (await find(parked_redis, [RAW + ".dlq"], second.entry_id)).letter.error == "reason 1"
    assert await purge(parked_redis, [first, second]) == 2
    assert await list_parked(parked_redis, [RAW + ".dlq"]) == []
    assert await find(parked_redis, [RAW + ".dlq"], second.entry_id) is None


def test_dlq_entry_ids_are_checked_before_asking_redis():
    """A malformed id is refused with one line saying what ids look like; a real one passes."""
    from services.dlq import MalformedEntryId, check_entry_id

    assert check_entry_id("1733100000000-0") == "1733100000000-0"
    assert check_entry_id("1733100000000") == "1733100000000"
    for bad in ("abc", "1-2-3", "", "1733100000000-x"):
        with pytest.raises(MalformedEntryId, match="not a stream entry id"):
            check_entry_id(bad)


async def test_dlq_edited_payload_must_be_json(parked_redis):
    """An operator's fix replaces the payload when it is JSON, and is refused otherwise."""
    from services.dlq import BadPayload, edited, readable_payload

    [first, _] = await list_parked(parked_redis, [RAW + ".dlq"])
    assert json.loads(readable_payload(first.letter)) == {"text": "", "n": 0}
    assert "\n" in readable_payload(first.letter)  # indented for reading and editing
    fixed = edited(first, '{"text": "Le Mali et la Russie.", "n": 0}')
    assert json.loads(fixed.letter.payload)["text"] == "Le Mali et la Russie."
    assert fixed.entry_id == first.entry_id
    with pytest.raises(BadPayload):
        edited(first, "{not json")
