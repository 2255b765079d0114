"""Reading articles to feed: files, directories, JSONL with bad lines, encodings."""

import json

import fakeredis
from redis.exceptions import ConnectionError as RedisConnectionError

from services import feed as feed_module
from services.common.contracts import RawArticle
from services.feed import Rejected, decode_bytes, feed_located, read_located, read_sources
from tests.conftest import SEEDS


def _split(items):
    articles = [i for i in items if isinstance(i, RawArticle)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    return articles, rejected


def test_feed_reads_seed_directory_with_file_stem_as_external_id():
    """A directory yields one article per .txt file, external_id = file name without extension."""
    articles, rejected = _split(list(read_sources([str(SEEDS)])))
    assert not rejected
    assert sorted(a.external_id for a in articles) == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_feed_recurses_into_subdirectories_and_reads_html(tmp_path):
    """Nested directories are walked; .html files become html articles."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "page.html").write_text("<html><body><p>Bonjour</p></body></html>")
    (tmp_path / "a" / "note.txt").write_text("Un article.")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG")
    articles, rejected = _split(list(read_sources([str(tmp_path)])))
    assert {a.external_id for a in articles} == {"page", "note"}
    assert next(a for a in articles if a.external_id == "page").html
    assert not rejected


def test_feed_jsonl_reports_bad_lines_with_numbers(tmp_path):
    """Bad JSONL lines are rejected with their line number and reason; good lines go through."""
    lines = [
        json.dumps({"text": "Premier.", "external_id": "one"}),
        "{not json",
        json.dumps({"url": "https://x"}),
        "",
        json.dumps({"html": "<p>Quatre</p>", "external_id": "four"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines))
    articles, rejected = _split(list(read_sources([str(path)])))
    assert [a.external_id for a in articles] == ["one", "four"]
    assert [r.where for r in rejected] == [f"{path}:2", f"{path}:3"]
    assert "text or html" in rejected[1].reason


def test_feed_rejects_missing_and_unsupported_files(tmp_path):
    """A missing path and an unsupported extension are rejected with a reason each."""
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    _, rejected = _split(list(read_sources([str(tmp_path / "nope.txt"), str(tmp_path / "x.pdf")])))
    assert ["no such file" in rejected[0].reason, "unsupported" in rejected[1].reason] == [True, True]


def test_feed_rejects_empty_file(tmp_path):
    """An empty or whitespace-only file is rejected, not fed."""
    (tmp_path / "blank.txt").write_text("  \n\n ")
    _, rejected = _split(list(read_sources([str(tmp_path / "blank.txt")])))
    assert "whitespace" in rejected[0].reason


def test_decode_bytes_falls_back_from_utf8_to_the_likely_encoding():
    """A cp1252 French text is decoded rather than rejected."""
    text = "Le ministre des Affaires étrangères a été reçu à Bamako, où il a déclaré à la presse"
    assert decode_bytes(text.encode("cp1252")) == text


def test_decode_bytes_rejects_binary_garbage():
    """Random binary is rejected as undecodable, with a reason."""
    import pytest

    with pytest.raises(ValueError, match="undecodable"):
        decode_bytes(bytes(range(256)) * 3)


def test_feed_stdin_text_gets_the_given_id_or_its_content_hash():
    """A plain text read from stdin is found again: --id names it, else its content hash does."""
    from services.feed import content_id, read_stdin

    data = "Le Mali et la Russie ont signé un accord.".encode()
    [named] = list(read_stdin(data, "my-article"))
    [hashed] = list(read_stdin(data))
    assert named.external_id == "my-article"
    assert hashed.external_id == content_id(data) and len(hashed.external_id) == 16
    assert next(iter(read_stdin(data))).external_id == hashed.external_id  # same text, same id


def test_feed_stdin_json_lines_keep_their_own_ids():
    """JSON lines on stdin keep the external_id each line gives."""
    from services.feed import read_stdin

    [article] = list(read_stdin(b'{"text": "Le Mali.", "external_id": "line-1"}\n', "ignored"))
    assert article.external_id == "line-1"


def test_read_located_says_where_each_article_came_from(tmp_path):
    """Each article or rejection comes with its file, file:line (JSONL) or file[index] (JSON list)."""
    (tmp_path / "a.txt").write_text("Un article.")
    (tmp_path / "b.jsonl").write_text('{"text": "un"}\n\n{"url": "x"}\n{"text": "trois"}\n')
    (tmp_path / "c.json").write_text('[{"text": "zéro"}, {"text": "un"}]')
    where = [w for w, _ in read_located([str(tmp_path)])]
    assert where == [f"{tmp_path}/a.txt", f"{tmp_path}/b.jsonl:1", f"{tmp_path}/b.jsonl:3", f"{tmp_path}/b.jsonl:4",
                     f"{tmp_path}/c.json[0]", f"{tmp_path}/c.json[1]"]


async def test_feed_located_stops_at_the_chunk_redis_refused_and_says_where(monkeypatch):
    """Redis failing on the second chunk: the first chunk counts as fed, the feed stops at the
    first input of the failed chunk, with the error; rejections found before are kept."""
    published: list[list[str]] = []

    async def publish(redis, stream, articles):  # type: ignore[no-untyped-def]
        if published:
            raise RedisConnectionError("Error 111 connecting to redis://:pw@10.0.0.7:6379. Connection refused.")
        published.append([a.external_id for a in articles])
        return ["0-1"] * len(articles)

    monkeypatch.setattr(feed_module, "publish", publish)
    items = [(f"in:{n}", RawArticle(text=f"article {n}", external_id=str(n))) for n in range(1, 6)]
    items.insert(1, ("in:bad", Rejected("in:bad", "no text")))
    counts: list[int] = []
    feeding = await feed_located(None, "s", items, max_text_bytes=100, chunk_size=2, on_fed=counts.append)
    assert published == [["1", "2"]] and [a.external_id for a in feeding.fed] == ["1", "2"] and counts == [2]
    assert feeding.stopped_at == "in:3" and "Connection refused" in feeding.error and "pw" not in feeding.error
    assert [r.where for r in feeding.rejected] == ["in:bad"]


async def test_feed_located_feeds_everything_when_redis_holds():
    """Without a failure every article is fed, in chunks, and nothing says it stopped."""
    redis = fakeredis.FakeAsyncRedis()
    items = [(f"in:{n}", RawArticle(text=f"article {n}")) for n in range(5)]
    feeding = await feed_located(redis, "s", items, max_text_bytes=100, chunk_size=2)
    assert len(feeding.fed) == 5 and await redis.xlen("s") == 5 and feeding.stopped_at is None
