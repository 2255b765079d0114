"""`newsflow status`: what an operator asks first. How long is each stream, is each consumer group
keeping up (pending, lag, consumers), is anything parked on a dead-letter stream, what is stored.

`collect_status` reads (never writes) Redis and the store and returns plain data; `render_status`
turns it into tables; `status_command` is the CLI (`--watch` refreshes, `--json` is for scripts).
URLs are shown with their passwords redacted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Annotated, Any

import typer
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from services.common.consumers import is_live
from services.common.contracts import EXTRACTED, NORMALIZED, RAW, STREAMS, dlq_stream
from services.common.logging import redact
from services.common.settings import NewsflowSettings

# Streams a newsflow service reads, hence the ones that can have a dead-letter stream.
INPUT_STREAMS = (RAW, NORMALIZED, EXTRACTED)


def _text(value: Any) -> Any:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


async def _groups(redis: Redis, stream: str, live_within_ms: int) -> list[dict[str, Any]]:
    """Each consumer group of `stream`, with its consumers (live: read within `live_within_ms`);
    [] when the stream does not exist."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:  # no such key
        return []
    result = []
    for group in groups:
        name = _text(group["name"])
        consumers = [
            {"name": _text(c["name"]), "pending": int(c.get("pending") or 0), "idle_ms": int(c.get("idle") or 0),
             "live": is_live(int(c.get("idle") or 0), live_within_ms)}
            for c in await redis.xinfo_consumers(stream, name)
        ]
        result.append({
            "name": name,
            "consumers": consumers,
            "live_consumers": sum(c["live"] for c in consumers),
            "idle_consumers": sum(not c["live"] for c in consumers),
            "pending": int(group.get("pending") or 0),
            # Redis reports no lag (nil) when it cannot tell, e.g. after entries were trimmed or deleted.
            "lag": None if group.get("lag") is None else int(group["lag"]),
            "last_delivered_id": _text(group.get("last-delivered-id")),
        })
    return sorted(result, key=lambda g: g["name"])


async def _store_counts(engine: Any) -> dict[str, Any]:
    if engine is None:
        return {"error": "no database engine given"}
    try:
        from services.store.export import counts
    except ImportError as exc:
        return {"error": f"store counts unavailable: services.store.export.counts cannot be imported ({exc})"}
    try:
        return {"counts": dict(await counts(engine))}
    except Exception as exc:  # an unreachable database is a status to show, not a crash
        return {"error": redact(f"{type(exc).__name__}: {exc}")[:300]}


async def collect_status(redis: Redis, settings: NewsflowSettings, engine: Any | None = None) -> dict[str, Any]:
    """Lengths, consumer groups and DLQ sizes of every newsflow stream, and the store's counts."""
    streams = []
    for base in STREAMS:
        name = settings.stream(base)
        entry: dict[str, Any] = {"stream": base, "key": name, "length": int(await redis.xlen(name)),
                                 "groups": await _groups(redis, name, settings.claim_idle_ms)}
        if base in INPUT_STREAMS:
            entry["dlq"] = {"key": dlq_stream(name), "length": int(await redis.xlen(dlq_stream(name)))}
        streams.append(entry)
    return {
        "collected_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "redis": redact(settings.redis_url or "embedded"),
        "database": redact(settings.resolved_database_url()),
        "stream_prefix": settings.stream_prefix,
        "streams": streams,
        "store": await _store_counts(engine),
    }


def _consumer_counts(group: dict[str, Any]) -> Text:
    """'2 live', or '2 live, 3 idle' when dead replicas' consumers are still in the group."""
    counts = Text(f"{group['live_consumers']} live")
    if group["idle_consumers"]:
        counts.append(", ").append(f"{group['idle_consumers']} idle", style="yellow")
    return counts


def render_status(status: dict[str, Any]) -> Group:
    """The status as three tables: streams, consumer groups, store. Every name read from Redis or
    the settings goes in as Text: a group named `[/y]` is shown, not taken for rich markup."""
    streams = Table(title=Text(f"streams  (redis {status['redis']}, prefix {status['stream_prefix'] or '-'!r})"))
    for column in ("stream", "length", "groups", "dead-lettered"):
        streams.add_column(column, justify="left" if column == "stream" else "right")
    groups = Table(title="consumer groups")
    for column in ("stream", "group", "consumers", "pending", "lag", "busiest consumer"):
        groups.add_column(column, justify="left" if column in ("stream", "group", "busiest consumer") else "right")
    for entry in status["streams"]:
        dlq = entry.get("dlq")
        parked = "-" if dlq is None else (f"[red]{dlq['length']}[/red]" if dlq["length"] else "0")
        streams.add_row(Text(entry["stream"]), str(entry["length"]), str(len(entry["groups"])), parked)
        for group in entry["groups"]:
            busiest = max(group["consumers"], key=lambda c: c["pending"], default=None)
            groups.add_row(
                Text(entry["stream"]), Text(group["name"]), _consumer_counts(group), str(group["pending"]),
                "?" if group["lag"] is None else str(group["lag"]),
                Text(f"{busiest['name']} ({busiest['pending']} pending)") if busiest and busiest["pending"] else "-",
            )
    store = Table(title=Text(f"store  ({status['database']})"))
    store.add_column("records")
    store.add_column("count", justify="right")
    if "counts" in status["store"]:
        for name, count in sorted(status["store"]["counts"].items()):
            store.add_row(Text(name), str(count))
    else:
        store.add_row(Text(status["store"]["error"], style="yellow"), "")
    return Group(streams, groups, store)


async def _snapshot(settings: NewsflowSettings) -> dict[str, Any]:
    from services.common.broker import redis_url

    redis = Redis.from_url(redis_url(settings))
    engine = None
    try:
        try:
            from services.store.db import make_engine

            engine = make_engine(settings.resolved_database_url())
        except Exception:  # shown as the store's error by collect_status
            engine = None
        return await collect_status(redis, settings, engine)
    finally:
        await redis.aclose()
        if engine is not None:
            await engine.dispose()


async def _watch(settings: NewsflowSettings, interval: float, as_json: bool, out: Console) -> None:
    if as_json:
        while True:
            print(json.dumps(await _snapshot(settings), ensure_ascii=False), flush=True)
            await asyncio.sleep(interval)
    with Live(render_status(await _snapshot(settings)), console=out, refresh_per_second=4) as live:
        while True:
            await asyncio.sleep(interval)
            live.update(render_status(await _snapshot(settings)))


def status_command(
    watch: Annotated[bool, typer.Option("--watch", "-w", help="refresh until Ctrl-C")] = False,
    interval: Annotated[float, typer.Option(help="seconds between refreshes with --watch", min=0.2)] = 2.0,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (one document a refresh with --watch)")] = False,
) -> None:
    """Show stream lengths, consumer groups (pending, lag), dead-letter streams and the store's counts."""
    settings = NewsflowSettings()
    out = Console()
    try:
        if watch:
            asyncio.run(_watch(settings, interval, as_json, out))
            return
        status = asyncio.run(_snapshot(settings))
    except KeyboardInterrupt:
        return
    except (RedisError, OSError) as exc:
        Console(stderr=True).print(Text.assemble(("Redis unreachable", "red"), f": {redact(str(exc))}"))
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        out.print(render_status(status))
