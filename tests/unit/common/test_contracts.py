"""Contracts: JSON round trips, schema_version, and errors that name the bad field."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.common.contracts import (
    SCHEMA_VERSION,
    Actor,
    Entity,
    Event,
    ExtractedArticle,
    NormalizedArticle,
    RawArticle,
    StoredEvent,
    StoredRecord,
    dlq_stream,
)


def _extracted() -> ExtractedArticle:
    return ExtractedArticle(
        article_id="a1", content_sha256="f" * 64, text="Sergueï Lavrov a parlé avec Abdoulaye Diop.",
        published_at=dt.date(2024, 8, 1), published_precision="day",
        entities=[Entity(text="Lavrov", label="PER", name="Sergueï Lavrov", key="per:serguei-lavrov",
                         country="RUS", start=0, end=14, count=2, aliases=["Lavrov"])],
        events=[Event(type="CONSULT", mode="phone", source_actors=[Actor(key="per:serguei-lavrov", name="Lavrov")],
                      date=dt.date(2024, 8, 1), date_precision="day", sentence="…", trigger="entretien",
                      trigger_start=3, trigger_end=12)],
    )


@pytest.mark.parametrize(
    "model",
    [
        RawArticle(text="Un texte.", external_id="x1", published_at="2024-08"),
        NormalizedArticle(article_id="a1", content_sha256="0" * 64, text="Texte.",
                          published_at=dt.datetime(2024, 8, 1, 10, tzinfo=dt.UTC)),
        _extracted(),
        StoredRecord(article_id="a1", events=[StoredEvent(event_id="e1", type="CONSULT", status="created", sources=1)]),
    ],
)
def test_contracts_json_round_trip(model):
    """Every message model survives JSON serialization unchanged."""
    assert type(model).model_validate_json(model.model_dump_json()) == model


def test_contracts_carry_schema_version_and_trace_id():
    """Messages carry schema_version and a fresh trace_id unless the producer gives one."""
    first, second = RawArticle(text="a"), RawArticle(text="b")
    assert first.schema_version == SCHEMA_VERSION
    assert first.trace_id and first.trace_id != second.trace_id
    assert RawArticle(text="a", trace_id="mine").trace_id == "mine"


def test_contracts_published_at_keeps_date_versus_datetime():
    """A day-precision date stays a date; a timestamp stays a datetime across JSON."""
    day = NormalizedArticle(article_id="a", content_sha256="0", text="t", published_at="2024-08-01")
    moment = NormalizedArticle(article_id="a", content_sha256="0", text="t", published_at="2024-08-01T10:00:00Z")
    assert type(NormalizedArticle.model_validate_json(day.model_dump_json()).published_at) is dt.date
    assert type(NormalizedArticle.model_validate_json(moment.model_dump_json()).published_at) is dt.datetime


def test_raw_article_requires_text_or_html():
    """A RawArticle with neither text nor html is rejected with a message saying so."""
    with pytest.raises(ValidationError, match="one of text or html is required"):
        RawArticle(url="https://example.org")


def test_raw_article_rejects_blank_text():
    """Whitespace-only text is rejected up front."""
    with pytest.raises(ValidationError, match="empty or whitespace"):
        RawArticle(text=" \n\t ")


def test_raw_article_error_names_the_field():
    """A malformed field is named in the error."""
    with pytest.raises(ValidationError) as info:
        RawArticle.model_validate_json('{"text": "ok", "published_at": "hier soir"}')
    assert info.value.errors()[0]["loc"] == ("published_at",)
    with pytest.raises(ValidationError) as info:
        RawArticle.model_validate_json('{"text": 42}')
    assert info.value.errors()[0]["loc"][0] == "text"


def test_event_rejects_unknown_type():
    """Only the sixteen PLOVER types are valid event types."""
    with pytest.raises(ValidationError) as info:
        Event(type="PARTY", sentence="s", trigger="t", trigger_start=0, trigger_end=1)
    assert info.value.errors()[0]["loc"] == ("type",)


def test_raw_article_ignores_unknown_fields():
    """Producers may send extra fields; they are ignored, not fatal (forward compatibility)."""
    assert RawArticle.model_validate({"text": "t", "newer_field": 1}).text == "t"


def test_dlq_stream_name():
    """The dead-letter stream of a stream is `<stream>.dlq`."""
    assert dlq_stream("articles.raw") == "articles.raw.dlq"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("external_id", "abc\x00def", "control characters"),
        ("url", "https://x.org/\na", "control characters"),
        ("lang", "f" * 17, "over the 16-character limit"),
        ("source", "s" * 300, "over the 256-character limit"),
        ("external_id", "e" * 513, "over the 512-character limit"),
    ],
)
def test_raw_article_refuses_metadata_the_store_could_not_keep(field, value, message):
    """NUL/control characters and over-long metadata are refused at the door, naming the field."""
    with pytest.raises(ValidationError, match=message) as info:
        RawArticle.model_validate({"text": "Un article.", field: value})
    assert info.value.errors()[0]["loc"] == (field,)


def test_raw_article_folds_whitespace_in_titles_and_trims_metadata():
    """A scraped title with newlines and tabs is folded to one line; ids lose surrounding blanks."""
    raw = RawArticle(text="t", title="  Mali :\n\tnouvel entretien\x00 ", external_id=" a1\n")
    assert (raw.title, raw.external_id) == ("Mali : nouvel entretien", "a1")


@pytest.mark.parametrize("month_day", ["11-14", "02-29", "12-31"])
def test_event_month_day_accepts_a_day_and_month(month_day: str):
    assert Event(type="COERCE", sentence="s", trigger="t", trigger_start=0, trigger_end=1, month_day=month_day)


@pytest.mark.parametrize("month_day", ["13-01", "11-32", "2024-11-14", "1114", "00-10"])
def test_event_month_day_refuses_what_is_no_day_and_month(month_day: str):
    with pytest.raises(ValidationError, match="month_day"):
        Event(type="COERCE", sentence="s", trigger="t", trigger_start=0, trigger_end=1, month_day=month_day)


# The characters a terminal or a spreadsheet would act on: C1 controls and the bidi overrides/isolates.
UNSAFE = [chr(c) for c in (*range(0x80, 0x85), *range(0x86, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@given(field=st.sampled_from(["article_id", "external_id", "url", "source", "lang", "trace_id", "title"]),
       before=st.text(alphabet="abc-_", max_size=5), unsafe=st.sampled_from(UNSAFE),
       after=st.text(alphabet="xyz", max_size=5))
def test_raw_article_refuses_c1_controls_and_bidi_overrides_in_metadata(field, before, unsafe, after):
    """A C1 control or a bidirectional override anywhere in an id or metadata is refused, naming the field."""
    with pytest.raises(ValidationError, match="control characters") as info:
        RawArticle.model_validate({"text": "Un article.", field: f"{before}{unsafe}{after}"})
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize("value", ["2024-13-45", "2024-02-30", "0000-01-01", "2023-02-29", "2024-00", "0000",
                                   "2024-02-30T10:00:00Z", "2024-1-5"])
def test_raw_article_refuses_published_at_that_is_no_real_date(value):
    """A month 13, a 30 February or a year 0 is refused at the contract, naming published_at."""
    with pytest.raises(ValidationError, match="real date") as info:
        RawArticle(text="t", published_at=value)
    assert info.value.errors()[0]["loc"] == ("published_at",)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_raw_article_accepts_every_real_date_at_each_precision(day):
    """Every existing day, its month and its year are accepted as they are."""
    for value in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]):
        assert RawArticle(text="t", published_at=value).published_at == value


@pytest.mark.parametrize("field", ["text", "html"])
def test_raw_article_refuses_a_lone_surrogate_in_the_body(field):
    """A lone surrogate (valid JSON, not UTF-8) is refused at the contract, not when put on a stream."""
    with pytest.raises(ValidationError, match="lone surrogate") as info:
        RawArticle.model_validate({field: "Le ministre \ud800 a parlé."})
    assert info.value.errors()[0]["loc"] == (field,)


def test_normalized_article_refuses_an_article_id_longer_than_its_column():
    """An article_id over 64 characters is refused at the contract, not cut by the database."""
    with pytest.raises(ValidationError) as info:
        ExtractedArticle(article_id="a" * 100, content_sha256="0" * 64, text="t")
    assert info.value.errors()[0]["loc"] == ("article_id",)
    assert ExtractedArticle(article_id="a" * 64, content_sha256="0" * 64, text="t").article_id == "a" * 64
