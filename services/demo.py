"""What became of the articles an in-process run fed (`newsflow demo`, the evaluation).

Waits on records.stored and the dead-letter streams for the trace id of every article fed,
so it knows when each article is stored (or was rejected), with a progress bar. What it reads
there are the contract models (StoredRecord, DeadLetter), validated as any subscriber would.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from redis.asyncio import Redis
from rich.progress import Progress

from services.common.broker import unwrap_payload
from services.common.contracts import STORED, STREAMS, DeadLetter, RawArticle, StoredRecord, dlq_stream
from services.common.settings import NewsflowSettings


@dataclass
class Outcome:
    """What became of one fed article: its StoredRecord, or the dead letter that rejected it."""

    article: RawArticle
    record: StoredRecord | None = None
    rejection: DeadLetter | None = None

    @property
    def state(self) -> str:
        return "stored" if self.record else "rejected" if self.rejection else "missing"


@dataclass
class Tracker:
    """Follows records.stored and the DLQs from where they stood before feeding."""

    redis: Redis
    settings: NewsflowSettings
    positions: dict[str, str] = field(default_factory=dict)

    @property
    def streams(self) -> list[str]:
        names = [self.settings.stream(STORED)]
        names += [dlq_stream(self.settings.stream(s)) for s in STREAMS if s != STORED]
        return names

    async def mark(self) -> None:
        """Remember the last entry of each followed stream, to read only what comes after."""
        for stream in self.streams:
            last = await self.redis.xrevrange(stream, count=1)
            self.positions[stream] = last[0][0].decode() if last else "0-0"

    async def collect(self, outcomes: dict[str, Outcome], timeout_s: float, progress: Progress | None) -> None:
        """Read until every outcome is settled or the time is up."""
        task = progress.add_task("stored", total=len(outcomes)) if progress else None
        deadline = time.monotonic() + timeout_s
        waiting = {t for t, o in outcomes.items() if o.record is None and o.rejection is None}
        while waiting and time.monotonic() < deadline:
            response = await self.redis.xread(dict(self.positions), block=500, count=500)  # type: ignore[arg-type]
            for stream_name, entries in response or []:
                stream = stream_name.decode()
                for entry_id, fields in entries:
                    self.positions[stream] = entry_id.decode()
                    payload = json.loads(unwrap_payload(fields.get(b"__data__") or fields.get(b"data") or b"{}"))
                    trace_id = payload.get("trace_id")
                    if trace_id not in waiting:
                        continue
                    waiting.discard(trace_id)
                    if stream == self.settings.stream(STORED):
                        outcomes[trace_id].record = StoredRecord.model_validate(payload)
                    else:
                        outcomes[trace_id].rejection = DeadLetter.model_validate(payload)
                    if progress and task is not None:
                        progress.advance(task)


def outcomes_for(articles: Iterable[RawArticle]) -> dict[str, Outcome]:
    return {a.trace_id: Outcome(a) for a in articles}
