"""`newsflow feed`'s work, shared with the demo: publish files in chunks, then say what happened."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.progress import Progress
from rich.text import Text

from services.cli_console import console
from services.common.contracts import RAW
from services.common.settings import IngestSettings, NewsflowSettings

if TYPE_CHECKING:
    from services.feed import Feeding


async def feed_articles(paths: list[str], settings: NewsflowSettings, progress: Progress,
                        stdin_id: str | None = None) -> Feeding:
    """Read and publish in chunks; what was fed and rejected, and where it stopped if Redis failed.
    A text read from stdin gets `stdin_id` (--id) as its external_id, else its content hash."""
    from redis.asyncio import Redis

    from services.common.broker import redis_url
    from services.feed import feed_located, read_located

    task = progress.add_task("fed", total=None)
    redis = Redis.from_url(redis_url(settings))
    try:
        feeding = await feed_located(redis, settings.stream(RAW), read_located(paths, stdin_id),
                                     max_text_bytes=IngestSettings().max_text_bytes,
                                     on_fed=lambda count: progress.update(task, advance=count))
    finally:
        with contextlib.suppress(Exception):  # closing a client whose server is gone must not hide the summary
            await redis.aclose()
    progress.update(task, total=len(feeding.fed))
    return feeding


def print_feed_summary(feeding: Feeding) -> None:
    """What was fed and rejected, and where a feed cut short stopped. Strings from input go in as
    Text: rich never reads them as markup."""
    console.print(f"[bold]fed {len(feeding.fed)}[/bold], rejected {len(feeding.rejected)}")
    for item in feeding.rejected:
        console.print(Text.assemble("  ", ("rejected", "red"), f" {item.where}: {item.reason}"))
    if feeding.stopped_at is not None:
        console.print(Text.assemble(
            ("stopped: Redis failed", "red"), f" ({feeding.error}) after {len(feeding.fed)} articles were fed; "
            f"nothing from {feeding.stopped_at} on was fed. Once Redis is back, feed again from there "
            "(feeding an article twice is harmless: the store keeps it once)."), soft_wrap=True)


def feed_exit_code(rejected: int, allow_rejects: bool) -> int:
    """1 when any input was rejected, so a script notices; --allow-rejects keeps 0."""
    return 1 if rejected and not allow_rejects else 0


