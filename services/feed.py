"""Reading articles from files, for `newsflow feed` to publish them to articles.raw.

`read_sources` is pure (paths in, articles or rejections out; `read_located` also says where
each came from); `feed_located` is the I/O edge, publishing through the broker
(`services.common.broker.publish`, importable from here too). `external_id` is the file's name
without its extension (for JSONL, the line's own; for a text on stdin, --id or its content hash).
When Redis fails mid-feed, `feed_located` stops and says how many articles went on the stream and
at which input to resume.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.common.broker import publish as publish  # the CLI and the corpus evaluation import it here
from services.common.contracts import RawArticle
from services.common.logging import redact

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEEDABLE = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
# What non-UTF-8 French-language pages really use; an open guess picks cp1250 for short French text.
FALLBACK_ENCODINGS = ("cp1252", "latin_1", "utf_16")


@dataclass(frozen=True)
class Rejected:
    """An input that cannot become a RawArticle, and why."""

    where: str
    reason: str


def decode_bytes(data: bytes) -> str:
    """UTF-8, else the most likely encoding (old French sites use cp1252); ValueError if none fits."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS)).best()
        if best is None:
            raise ValueError("undecodable bytes: not UTF-8 and no other encoding fits") from None
        return str(best)


def _validation_reason(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'article'}: {err['msg']}" for err in exc.errors()
    )


def expand(paths: Iterable[str]) -> Iterator[Path | str]:
    """Files named, files under directories (recursively, sorted), and '-' for stdin."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FEEDABLE)
        else:
            yield path


Located = tuple[str, RawArticle | Rejected]  # where it came from (file, file:line, file[index]), and what


def _items(located: Iterable[Located]) -> Iterator[RawArticle | Rejected]:
    return (item for _, item in located)


def parse_json_lines(text: str, where: str) -> Iterator[RawArticle | Rejected]:
    """One RawArticle per non-empty line; bad lines are rejected with their line number."""
    return _items(_json_lines(text, where))


def _json_lines(text: str, where: str) -> Iterator[Located]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{where}:{number}", RawArticle.model_validate_json(line)
        except ValidationError as exc:
            reason = _validation_reason(exc) if exc.error_count() else str(exc)
            yield f"{where}:{number}", Rejected(f"{where}:{number}", reason)


def parse_json_document(text: str, where: str) -> Iterator[RawArticle | Rejected]:
    """A .json file holding one RawArticle or a list of them."""
    return _items(_json_document(text, where))


def _json_document(text: str, where: str) -> Iterator[Located]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        yield where, Rejected(where, f"invalid JSON: {exc}")
        return
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items):
        try:
            yield f"{where}[{index}]", RawArticle.model_validate(item)
        except ValidationError as exc:
            yield f"{where}[{index}]", Rejected(f"{where}[{index}]", _validation_reason(exc))


def read_file(path: Path) -> Iterator[RawArticle | Rejected]:
    return _items(_located_file(path))


def _located_file(path: Path) -> Iterator[Located]:
    where = str(path)
    suffix = path.suffix.lower()
    try:
        text = decode_bytes(path.read_bytes())
    except (OSError, ValueError) as exc:
        yield where, Rejected(where, str(exc))
        return
    if suffix in {".jsonl", ".ndjson"}:
        yield from _json_lines(text, where)
    elif suffix == ".json":
        yield from _json_document(text, where)
    else:
        name = "html" if suffix in HTML_SUFFIXES else "text"
        try:
            yield where, RawArticle.model_validate({name: text, "external_id": path.stem})
        except ValidationError as exc:
            yield where, Rejected(where, _validation_reason(exc))


def content_id(data: bytes) -> str:
    """The external_id of an article read from stdin without --id: its content hash, so feeding the
    same text again gives the same id."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_stdin(data: bytes, external_id: str | None = None) -> Iterator[RawArticle | Rejected]:
    """stdin: JSON lines when it starts with '{', else one plain-text article whose external_id is
    `external_id` (--id) or its content hash."""
    return _items(_located_stdin(data, external_id))


def _located_stdin(data: bytes, external_id: str | None = None) -> Iterator[Located]:
    try:
        text = decode_bytes(data)
    except ValueError as exc:
        yield "-", Rejected("-", str(exc))
        return
    if text.lstrip().startswith("{"):
        yield from _json_lines(text, "-")
        return
    try:
        yield "-", RawArticle(text=text, external_id=external_id or content_id(data))
    except ValidationError as exc:
        yield "-", Rejected("-", _validation_reason(exc))


def read_sources(paths: Iterable[str], stdin_id: str | None = None) -> Iterator[RawArticle | Rejected]:
    """Every article found under `paths`, or why an input was rejected."""
    return _items(read_located(paths, stdin_id))


def read_located(paths: Iterable[str], stdin_id: str | None = None) -> Iterator[Located]:
    """Every article found under `paths`, or why an input was rejected, each with where it came from."""
    for item in expand(paths):
        if item == "-":
            yield from _located_stdin(sys.stdin.buffer.read(), stdin_id)
        elif isinstance(item, Path) and not item.exists():
            yield str(item), Rejected(str(item), "no such file or directory")
        elif isinstance(item, Path) and item.suffix.lower() not in FEEDABLE:
            reason = f"unsupported file type {item.suffix!r} (use .txt, .html, .jsonl, .json)"
            yield str(item), Rejected(str(item), reason)
        elif isinstance(item, Path):
            yield from _located_file(item)


@dataclass
class Feeding:
    """How a feed went: what went on the stream, what was refused, and where it stopped if Redis failed."""

    fed: list[RawArticle] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    stopped_at: str | None = None  # the first input not on the stream: resume from here
    error: str | None = None
    cause: BaseException | None = field(default=None, repr=False)  # the Redis error itself, for the CLI's one line


async def feed_located(
    redis: Redis, stream: str, items: Iterable[Located], *, max_text_bytes: int, chunk_size: int = 200,
    on_fed: Callable[[int], None] = lambda count: None,
) -> Feeding:
    """Publish the articles of `items` in chunks (each all or nothing); refuse the ones over
    `max_text_bytes`. When Redis fails, stop there: `stopped_at` names the chunk's first input."""
    feeding = Feeding()
    chunk: list[tuple[str, RawArticle]] = []

    async def flush() -> bool:
        try:
            await publish(redis, stream, [article for _, article in chunk])
        except (RedisError, OSError) as exc:
            feeding.stopped_at, feeding.error = chunk[0][0], redact(f"{type(exc).__name__}: {exc}")[:300]
            feeding.cause = exc
            return False
        feeding.fed += [article for _, article in chunk]
        on_fed(len(chunk))
        chunk.clear()
        return True

    for where, item in items:
        if isinstance(item, Rejected):
            feeding.rejected.append(item)
            continue
        size = len((item.text or item.html or "").encode("utf-8", errors="replace"))
        if size > max_text_bytes:
            reason = f"{size} bytes, over the {max_text_bytes}-byte limit"
            feeding.rejected.append(Rejected(item.external_id or where, reason))
            continue
        chunk.append((where, item))
        if len(chunk) >= chunk_size and not await flush():
            return feeding
    if chunk:
        await flush()
    return feeding
