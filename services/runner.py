"""Which services a process runs: one of them, or all three on one broker."""

from __future__ import annotations

from typing import Literal

from faststream import FastStream

from services.common.service import StreamService, build_app
from services.common.settings import ExtractSettings, IngestSettings, NewsflowSettings, StoreSettings

ServiceName = Literal["ingest", "extract", "store", "all"]


def make_services(name: ServiceName) -> list[StreamService]:
    """The service objects for `name`, each with its own settings class."""
    # Imported here: each service pulls in its own heavy libraries (spaCy, SQLAlchemy).
    from services.extract.app import ExtractService
    from services.ingest.app import IngestService
    from services.store.app import StoreService

    factories = {
        "ingest": lambda: IngestService(IngestSettings()),
        "extract": lambda: ExtractService(ExtractSettings()),
        "store": lambda: StoreService(StoreSettings()),
    }
    names = list(factories) if name == "all" else [name]
    return [factories[n]() for n in names]


def make_app(name: ServiceName, settings: NewsflowSettings | None = None) -> FastStream:
    return build_app(make_services(name), settings or NewsflowSettings())


async def serve(app: FastStream) -> int:
    """Run `app` until SIGINT/SIGTERM; the exit status: 1 when it stopped on a fault instead, so a
    supervisor restarts it."""
    await app.run()
    return 1 if getattr(app, "faults", None) else 0
