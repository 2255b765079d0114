"""The wire format: bare JSON out, and every way a plain producer may write an entry in."""

import json

import pytest
from faststream.redis.parser import BinaryMessageFormatV1

from services.common.broker import JsonMessageFormat, entry_fields
from services.common.contracts import RawArticle


async def test_json_format_encodes_the_bare_json_document():
    """What FastStream publishes is the model's JSON itself, readable by any client."""
    data = await JsonMessageFormat.encode(message={"text": "é"}, reply_to=None, headers=None, correlation_id="c")
    assert json.loads(data) == {"text": "é"}


@pytest.mark.parametrize(
    "data",
    [
        b'{"text": "bonjour"}',  # our own __data__ field
        json.dumps({"data": '{"text": "bonjour"}'}).encode(),  # XADD s * data '<json>'
        json.dumps({"data": {"text": "bonjour"}}).encode(),  # a nested object
        json.dumps({"text": "bonjour"}).encode(),  # plain fields, dumped by FastStream
    ],
)
def test_json_format_parses_plain_producers(data):
    """Every documented producer form parses to the same JSON body."""
    body, headers = JsonMessageFormat.parse(data)
    assert json.loads(body) == {"text": "bonjour"}
    assert headers["content-type"] == "application/json"


async def test_json_format_still_reads_faststream_binary_envelopes():
    """An entry written by a default FastStream publisher is still understood."""
    data = await BinaryMessageFormatV1.encode(message={"text": "x"}, reply_to=None, headers=None, correlation_id="c")
    body, _ = JsonMessageFormat.parse(data)
    assert json.loads(body) == {"text": "x"}


def test_json_format_parses_batch_plain_fields():
    """In batch reads, an entry without __data__ arrives as a field mapping and still parses."""
    body, _ = JsonMessageFormat.parse({b"text": b"bonjour", b"title": b"T"})
    assert json.loads(body) == {"text": "bonjour", "title": "T"}


def test_json_format_payload_passes_non_json_through():
    """Garbage is handed to the handlers unchanged, so validation can park it with a reason."""
    body, _ = JsonMessageFormat.payload(b"\xff\xfe not json")
    assert body == b"\xff\xfe not json"


def test_json_format_parse_gives_faststream_utf8_only():
    """FastStream's view of a non-UTF-8 payload is UTF-8 (undecodable bytes replaced)."""
    body, _ = JsonMessageFormat.parse({b"__data__": b"\xff\xfe not json"})
    assert body.decode("utf-8") == "\ufffd\ufffd not json"


async def test_faststream_batch_parser_survives_non_utf8_entries():
    """An entry of raw non-UTF-8 bytes no longer makes FastStream's batch parser raise (it did, before the
    handler could park it, so the entry was redelivered forever); the handler still sees the exact bytes."""
    from faststream.redis.parser.parsers import RedisBatchStreamParser, SimpleParserConfig

    from services.common.delivery import entries_of

    parser = RedisBatchStreamParser(config=SimpleParserConfig(message_format=JsonMessageFormat))
    raw = {"type": "bstream", "channel": "s", "message_ids": [b"1-0", b"2-0", b"3-0"],
           "data": [{b"__data__": b"\xff\x00"}, {b"text": b"caf\xe9"}, {b"__data__": b'{"text": "ok"}'}]}
    message = await parser.parse_message(raw)
    assert [e.payload for e in entries_of(message)] == [b"\xff\x00", '{"text": "caf\ufffd"}'.encode(),
                                                        b'{"text": "ok"}']


def test_entry_fields_hold_the_model_json():
    """newsflow's own entries are one __data__ field with the model JSON."""
    fields = entry_fields(RawArticle(text="t", trace_id="abc"))
    assert json.loads(fields["__data__"])["trace_id"] == "abc"
