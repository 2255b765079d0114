"""Fuzz: bad input at every entry point of a running pipeline (raw stream entries newsflow did not
write, hypothesis-generated RawArticle-like payloads, POST /articles bodies): nothing crashes,
every bad entry is parked on a DLQ with its reason (or refused at HTTP with a 4xx), nothing is lost,
and the pipeline still stores a good article afterwards."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.common.contracts import RAW, RawArticle
from tests.chaos.conftest import chaos_run
from tests.chaos.corpus import seed_sentences
from tests.chaos.harness import SERVICES, SUMMARIES, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow, pytest.mark.model]

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FIELDS = ("text", "html", "url", "title", "source", "published_at", "lang", "external_id", "article_id")
TEN_MB = 10 * 1024 * 1024

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=40))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=8)
texts = st.one_of(st.text(max_size=300), st.sampled_from(seed_sentences()),
                  st.tuples(st.sampled_from(seed_sentences()), st.text(max_size=30)).map("".join))


def raw_article_like() -> st.SearchStrategy[dict]:
    """Dicts shaped like a RawArticle with any field missing, of the wrong type, or odd text
    (NUL bytes, surrogates, control characters); a known trace_id to follow each one."""
    return st.fixed_dictionaries({}, optional={name: st.one_of(texts, json_values) for name in FIELDS})


def odd_articles() -> st.SearchStrategy[dict]:
    """Articles that pass validation (a seed sentence as text) with odd metadata: any unicode
    (NUL bytes, surrogates excluded by JSON), long strings, partial dates: they travel to the store."""
    odd_text = st.one_of(st.text(max_size=40), st.text(min_size=500, max_size=700),
                         st.text(alphabet="\x00\x01\u200b\ufeff ab", max_size=20))
    return st.fixed_dictionaries(
        {"text": texts.filter(lambda t: len(t.strip()) > 40)},
        optional={name: odd_text for name in ("url", "title", "source", "lang", "external_id", "article_id")}
        | {"published_at": st.sampled_from(["2024", "2024-02", "2024-02-29", "1900-01-01T00:00:00Z", "9999-12-31"])},
    )


# Entries newsflow never writes and no producer should: each one must be parked by ingest.
not_articles = st.one_of(
    st.binary(max_size=300).map(lambda data: {"__data__": data}),  # not JSON, or JSON but no article
    json_values.filter(lambda v: not isinstance(v, dict)).map(lambda v: {"__data__": json.dumps(v)}),
    st.binary(min_size=1, max_size=40).map(  # invalid UTF-8 inside a JSON string
        lambda junk: {"__data__": b'{"text": "Le ministre \xff' + junk + b'\xc3"}'}),
    st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k not in {"text", "html", "data", "__data__"}),
                    st.binary(max_size=50), min_size=1, max_size=5),  # plain fields, no text
    st.text(max_size=100).map(lambda t: {"data": "{" + t}),  # truncated JSON in `data`
    st.sampled_from(["", " ", "\n\t", "\x00"]).map(lambda t: {"__data__": json.dumps({"text": t})}),
)


def test_fuzz_bad_input_is_parked_or_refused_and_the_pipeline_keeps_flowing(tmp_path, redis_url, postgres_database):
    """Hypothesis payloads XADDed to articles.raw and POSTed to /articles, plus 10 MB texts: no
    service exits, no HTTP 5xx, every bad entry on a DLQ with its reason, every other one stored."""
    with chaos_run(tmp_path, redis_url, postgres_database) as chaos:
        chaos.start()
        raw = chaos.stream(RAW)
        bad_ids: set[str] = set()  # raw entry ids that ingest must park
        followed: set[str] = set()  # trace ids that must end stored or parked, wherever
        statuses: list[int] = []

        def xadd(fields: dict) -> str:
            return chaos.client.xadd(raw, fields).decode()

        @FUZZ
        @given(not_articles)
        def fuzz_raw_entries(fields: dict) -> None:
            bad_ids.add(xadd(fields))

        @FUZZ
        @given(st.one_of(raw_article_like(), odd_articles()))
        def fuzz_raw_articles(payload: dict) -> None:
            payload["trace_id"] = uuid.uuid4().hex
            followed.add(payload["trace_id"])
            xadd({"__data__": json.dumps(payload)})

        ingest = f"http://127.0.0.1:{chaos.services.ports['ingest']}/articles"
        http = httpx.Client(timeout=30)

        @FUZZ
        @given(st.one_of(raw_article_like(), odd_articles(), json_values, st.lists(odd_articles(), max_size=3)))
        def fuzz_http_json(body: object) -> None:
            response = http.post(ingest, json=body)
            statuses.append(response.status_code)
            assert response.status_code < 500, response.text
            if response.status_code == 202:
                followed.update(a["trace_id"] for a in response.json()["articles"])
            else:
                assert 400 <= response.status_code < 500, response.text

        @FUZZ
        @given(st.binary(max_size=300))
        def fuzz_http_bytes(body: bytes) -> None:
            response = http.post(ingest, content=body, headers={"content-type": "application/json"})
            statuses.append(response.status_code)
            assert response.status_code < 500, response.text
            if response.status_code == 202:
                followed.update(a["trace_id"] for a in response.json()["articles"])

        fed_at = time.monotonic()
        fuzz_raw_entries()
        fuzz_raw_articles()
        fuzz_http_json()
        fuzz_http_bytes()
        huge = "Le ministre malien a rencontré son homologue à Dakar. " * (TEN_MB // 54 + 1)
        bad_ids.add(xadd({"__data__": json.dumps({"text": huge, "trace_id": "ten-mb"})}))
        bad_ids.add(xadd({"text": huge.encode()[:TEN_MB] + b"\xff\xfe\x00"}))
        # Refused on its Content-Length before the body is read: the client gets the 413, or, when
        # the server closes first while the 10 MB are still being sent, a cut connection. Never 2xx/5xx.
        try:
            too_big = http.post(ingest, content=json.dumps({"text": huge}).encode(),
                                headers={"content-type": "application/json"})
        except (httpx.RemoteProtocolError, httpx.WriteError):
            too_big = None
        assert too_big is None or too_big.status_code == 413, too_big.text
        http.close()

        def fates() -> tuple[set[str], set[str], list[dict]]:
            letters = chaos.dead_letters()
            parked_raw = {d["message_id"] for d in letters if d["stream"] == raw}
            ended = {d["trace_id"] for d in letters if d["trace_id"]} | {r["trace_id"] for r in chaos.records()}
            return parked_raw, ended, letters

        def settled() -> bool:
            parked_raw, ended, _ = fates()
            return bad_ids <= parked_raw and followed <= ended and chaos.drained()

        # Poison that only the store finds (a value Postgres refuses, SQLSTATE class 22) is parked at once.
        try:
            wait_until(settled, 150, "every fuzzed entry parked or stored", poll=1.0)
        except AssertionError:
            parked_raw, ended, _ = fates()
            raise AssertionError(f"not parked: {sorted(bad_ids - parked_raw)[:5]}, neither stored nor parked: "
                                 f"{sorted(followed - ended)[:5]}, drained: {chaos.drained()}") from None
        settled_s = time.monotonic() - fed_at
        parked_raw, ended, letters = fates()
        alive = chaos.services.alive()

        good = RawArticle(text="Le président nigérien Abdourahamane Tiani a reçu jeudi à Niamey une délégation "
                          "de la CEDEAO venue discuter de la levée des sanctions.", external_id="after-fuzz")
        chaos.feed([good])
        chaos.wait_done(timeout=60)
        records = chaos.records()
        lost = len(bad_ids - parked_raw) + len(followed - ended)
        by_service = {service: sum(d["service"] == service for d in letters) for service in SERVICES}
        line = (f"CHAOS fuzz (Postgres): fed={len(bad_ids) + len(followed) + len(statuses) + 1} "
                f"raw_bad={len(bad_ids)} followed={len(followed)} http={len(statuses)} "
                f"http_4xx={sum(400 <= s < 500 for s in statuses)} http_5xx={sum(s >= 500 for s in statuses)} "
                f"stored={len({r['trace_id'] for r in records} & followed)} lost={lost} "
                f"dead_lettered={len(letters)} by_service={by_service} settled_s={settled_s:.1f}")
        print(line)
        SUMMARIES.append(line)
    assert alive == dict.fromkeys(SERVICES), f"a service died on bad input: {alive}"
    assert all(d["error"] and d["error_type"] and d["service"] in SERVICES and d["delivery_count"] >= 1
               and d["payload"] is not None and d["failed_at"] for d in letters), letters[:3]
    assert all(d["service"] == "ingest" for d in letters if d["message_id"] in bad_ids)
    assert any(d["trace_id"] == "ten-mb" and "limit" in d["error"] for d in letters)
    assert any(r["external_id"] == "after-fuzz" and r["status"] == "stored" for r in records)
