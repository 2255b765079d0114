"""`newsflow dlq`: list, show, replay and purge the messages parked on the dead-letter streams."""

from __future__ import annotations

import asyncio
from typing import Annotated

import click
import typer
from rich.table import Table
from rich.text import Text

from services.cli_console import console, out
from services.common.settings import NewsflowSettings

dlq_app = typer.Typer(help="Dead-letter streams: what was parked, and why.", no_args_is_help=True)


async def _with_dlq(action):  # type: ignore[no-untyped-def]
    from redis.asyncio import Redis

    from services.common.broker import redis_url
    from services.dlq import dead_letter_streams

    settings = NewsflowSettings()
    redis = Redis.from_url(redis_url(settings))
    try:
        return await action(redis, dead_letter_streams(settings))
    finally:
        await redis.aclose()


def _act_on_parked(entry_ids: list[str] | None, everything: bool, act, verb: str) -> None:  # type: ignore[no-untyped-def]
    """Apply `act` (replay or purge) to the parked entries named, or to all of them with --all."""
    from services.dlq import find, list_parked

    if not entry_ids and not everything:
        console.print("name entry ids, or use --all")
        raise typer.Exit(2)

    async def action(redis, streams):  # type: ignore[no-untyped-def]
        if everything:
            return await act(redis, await list_parked(redis, streams, limit=1_000_000))
        found = [await find(redis, streams, entry_id) for entry_id in entry_ids or []]
        missing = [i for i, f in zip(entry_ids or [], found, strict=True) if f is None]
        if missing:
            console.print(Text.assemble(("not in any dead-letter stream:", "red"), f" {', '.join(missing)}"))
            raise typer.Exit(1)
        return await act(redis, found)

    console.print(f"{verb} {asyncio.run(_with_dlq(action))}")


@dlq_app.command("list")
def dlq_list(limit: Annotated[int, typer.Option(help="at most this many per stream")] = 100):
    """List parked messages: stream, id, service, error, deliveries."""
    from services.dlq import list_parked

    parked = asyncio.run(_with_dlq(lambda redis, streams: list_parked(redis, streams, limit)))
    table = Table(title=f"{len(parked)} parked messages")
    for column in ("dlq", "id", "service", "error", "deliveries", "failed at"):
        table.add_column(column, overflow="fold")
    for item in parked:
        letter = item.letter
        table.add_row(*map(Text, (item.dlq, item.entry_id, letter.service, f"{letter.error_type}: {letter.error[:120]}",
                                  str(letter.delivery_count), letter.failed_at.isoformat(timespec="seconds"))))
    out.print(table)


@dlq_app.command("show")
def dlq_show(
    entry_id: Annotated[str, typer.Argument(help="the parked entry's id (from dlq list)")],
    payload_only: Annotated[bool, typer.Option("--payload", help="print only the payload (to edit and feed)")] = False,
):
    """Print one parked message: why it was parked, then its original payload."""
    from services.dlq import find, readable_payload

    item = asyncio.run(_with_dlq(lambda redis, streams: find(redis, streams, entry_id)))
    if item is None:
        console.print(Text(f"{entry_id} is in no dead-letter stream", style="red"))
        raise typer.Exit(1)
    if payload_only:
        print(item.letter.payload)
        return
    out.print_json(item.letter.model_dump_json(exclude={"payload"}))
    out.print("[bold]payload[/bold]")
    out.print(readable_payload(item.letter), markup=False, highlight=False)


@dlq_app.command("replay")
def dlq_replay(
    entry_ids: Annotated[list[str] | None, typer.Argument(help="parked entry ids")] = None,
    everything: Annotated[bool, typer.Option("--all", help="replay every parked message")] = False,
    edit: Annotated[bool, typer.Option("--edit", help="fix the payload in $EDITOR before replaying it")] = False,
):
    """Put parked messages back on their stream, with a fresh delivery count (--edit: fix it first)."""
    from services.dlq import edited, readable_payload, replay

    if not edit:
        _act_on_parked(entry_ids, everything, replay, "replayed")
        return
    if everything or len(entry_ids or []) != 1:
        console.print("--edit replays one message: name its id")
        raise typer.Exit(2)

    async def edit_and_replay(redis, parked) -> int:  # type: ignore[no-untyped-def]
        [item] = parked
        text = click.edit(readable_payload(item.letter), extension=".json")
        if text is None:
            console.print("payload not changed: nothing replayed")
            return 0
        return await replay(redis, [edited(item, text)])

    _act_on_parked(entry_ids, False, edit_and_replay, "replayed")


@dlq_app.command("purge")
def dlq_purge(
    entry_ids: Annotated[list[str] | None, typer.Argument(help="parked entry ids")] = None,
    everything: Annotated[bool, typer.Option("--all", help="delete every parked message")] = False,
):
    """Delete parked messages for good."""
    from services.dlq import purge

    _act_on_parked(entry_ids, everything, purge, "purged")


