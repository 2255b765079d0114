"""Reading articles from files and publishing them to articles.raw.

`read_sources` is pure (paths in, articles or rejections out); `publish` is the I/O edge.
`external_id` is the file's name without its extension (for JSONL, the line's own).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes
from pydantic import ValidationError
from redis.asyncio import Redis

from services.common.broker import entry_fields
from services.common.contracts import RawArticle

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


def parse_json_lines(text: str, where: str) -> Iterator[RawArticle | Rejected]:
    """One RawArticle per non-empty line; bad lines are rejected with their line number."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield RawArticle.model_validate_json(line)
        except ValidationError as exc:
            reason = _validation_reason(exc) if exc.error_count() else str(exc)
            yield Rejected(f"{where}:{number}", reason)


def parse_json_document(text: str, where: str) -> Iterator[RawArticle | Rejected]:
    """A .json file holding one RawArticle or a list of them."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        yield Rejected(where, f"invalid JSON: {exc}")
        return
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items):
        try:
            yield RawArticle.model_validate(item)
        except ValidationError as exc:
            yield Rejected(f"{where}[{index}]", _validation_reason(exc))


def read_file(path: Path) -> Iterator[RawArticle | Rejected]:
    where = str(path)
    suffix = path.suffix.lower()
    try:
        text = decode_bytes(path.read_bytes())
    except (OSError, ValueError) as exc:
        yield Rejected(where, str(exc))
        return
    if suffix in {".jsonl", ".ndjson"}:
        yield from parse_json_lines(text, where)
    elif suffix == ".json":
        yield from parse_json_document(text, where)
    else:
        field = "html" if suffix in HTML_SUFFIXES else "text"
        try:
            yield RawArticle.model_validate({field: text, "external_id": path.stem})
        except ValidationError as exc:
            yield Rejected(where, _validation_reason(exc))


def content_id(data: bytes) -> str:
    """The external_id of an article read from stdin without --id: its content hash, so feeding the
    same text again gives the same id."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_stdin(data: bytes, external_id: str | None = None) -> Iterator[RawArticle | Rejected]:
    """stdin: JSON lines when it starts with '{', else one plain-text article whose external_id is
    `external_id` (--id) or its content hash."""
    try:
        text = decode_bytes(data)
    except ValueError as exc:
        yield Rejected("-", str(exc))
        return
    if text.lstrip().startswith("{"):
        yield from parse_json_lines(text, "-")
        return
    try:
        yield RawArticle(text=text, external_id=external_id or content_id(data))
    except ValidationError as exc:
        yield Rejected("-", _validation_reason(exc))


def read_sources(paths: Iterable[str], stdin_id: str | None = None) -> Iterator[RawArticle | Rejected]:
    """Every article found under `paths`, or why an input was rejected."""
    for item in expand(paths):
        if item == "-":
            yield from read_stdin(sys.stdin.buffer.read(), stdin_id)
        elif isinstance(item, Path) and not item.exists():
            yield Rejected(str(item), "no such file or directory")
        elif isinstance(item, Path) and item.suffix.lower() not in FEEDABLE:
            yield Rejected(str(item), f"unsupported file type {item.suffix!r} (use .txt, .html, .jsonl, .json)")
        elif isinstance(item, Path):
            yield from read_file(item)


async def publish(redis: Redis, stream: str, articles: list[RawArticle]) -> list[str]:
    """XADD the articles in one pipeline round trip; returns their entry ids.

    No MAXLEN here: it could cut entries a group has not read. Services trim safely (trim.py)."""
    async with redis.pipeline(transaction=False) as pipe:
        for article in articles:
            pipe.xadd(stream, entry_fields(article))
        ids = await pipe.execute()
    return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]
