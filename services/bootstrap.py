"""The composition root: which services run, on which settings, with which Redis, engine and model.

Everything that starts services goes through `bootstrap`: the app modules (`faststream run
services.ingest.app:app`), `newsflow run`, the forked extract workers, `newsflow demo`, the corpus
evaluation and the service tests. Settings are passed down from here; no service reads the
environment. The heavy things (Redis client, spaCy model, DB engine) are made in the app's
lifespan, never at import time, unless the caller hands them in (then the caller owns them).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, cast

from faststream import FastStream
from faststream.redis import RedisBroker
from redis.asyncio import Redis

from services.common.broker import make_broker, redis_url
from services.common.groups import keep_groups, stopped
from services.common.logging import configure_logging, get_logger
from services.common.settings import ExtractSettings, IngestSettings, NewsflowSettings, StoreSettings

if TYPE_CHECKING:
    from spacy.language import Language
    from sqlalchemy.ext.asyncio import AsyncEngine

    from services.common.service import StreamService

ServiceName = Literal["ingest", "extract", "store"]
Selection = Literal["ingest", "extract", "store", "all"]
SERVICE_NAMES: tuple[ServiceName, ...] = ("ingest", "extract", "store")
SETTINGS_CLASSES: dict[ServiceName, type[NewsflowSettings]] = {
    "ingest": IngestSettings, "extract": ExtractSettings, "store": StoreSettings,
}


class NewsflowApp(FastStream):
    """A FastStream app running newsflow services on one broker. `faults` names the subscribers
    that had stopped on a fault when the app shut down: `newsflow run` then exits 1.

    `redis`: the services' client, the caller's (left open); without one the app makes its own at
    start-up and closes it at shutdown."""

    def __init__(self, broker: RedisBroker, services: Sequence[StreamService], *, settings: NewsflowSettings,
                 redis: Redis | None = None, **kwargs: Any) -> None:
        super().__init__(broker, on_startup=[self._on_startup], after_startup=[self._after_startup],
                         on_shutdown=[self._on_shutdown], after_shutdown=[self._after_shutdown], **kwargs)
        self.redis_broker = broker
        self.services: list[StreamService] = list(services)
        self.faults: list[str] = []
        self.settings = settings
        self.redis = redis
        self._owned: list[Redis] = []
        self.log = get_logger("newsflow")

    async def _on_startup(self) -> None:
        for service in self.services:  # before any consumer group is joined
            service.reserve_http_port()
        keep_groups(await self.redis_broker.connect(), self.log)
        client = self.redis
        if client is None:
            client = Redis.from_url(redis_url(self.settings))
            self._owned.append(client)
        # Concurrently: the slow parts (spaCy, detectors, migrations) run in threads.
        await asyncio.gather(*(service.start(client) for service in self.services))

    async def _after_startup(self) -> None:
        for service in self.services:
            await service.serve_http()
        self.log.info("started", services=[s.name for s in self.services], redis=redis_url(self.settings))

    async def _on_shutdown(self) -> None:
        if lost := stopped(self.redis_broker.subscribers):
            self.faults.extend(lost)
            self.log.error("stopping on a fault: subscribers had stopped", streams=lost)

    async def _after_shutdown(self) -> None:
        for service in self.services:
            await service.stop()
        while self._owned:
            await self._owned.pop().aclose()
        self.log.info("stopped", services=[s.name for s in self.services])


def service_settings(name: ServiceName, settings: NewsflowSettings) -> NewsflowSettings:
    """`settings` as service `name`'s own class: itself when it is one already, else its values set
    (explicitly or by the environment it was read from) over that class's defaults."""
    cls = SETTINGS_CLASSES[name]
    if isinstance(settings, cls):
        return settings
    return cls(**settings.model_dump(exclude_unset=True))


def settings_for(selection: Selection) -> NewsflowSettings:
    """The settings of a process running `selection`, read from the environment (the CLI's edge)."""
    return NewsflowSettings() if selection == "all" else SETTINGS_CLASSES[selection]()


def make_services(selection: Selection | Sequence[ServiceName], settings: NewsflowSettings, *,
                  engine: AsyncEngine | None = None, nlp: Language | None = None) -> list[StreamService]:
    """The service objects for `selection`, each on its own settings class."""
    # Imported here: each service pulls in its own heavy libraries (spaCy, SQLAlchemy).
    from services.extract.app import ExtractService
    from services.ingest.app import IngestService
    from services.store.app import StoreService

    names: Sequence[ServiceName]
    if selection == "all":
        names = SERVICE_NAMES
    elif isinstance(selection, str):
        names = [cast("ServiceName", selection)]  # not "all": mypy does not narrow a Literal on ==
    else:
        names = selection
    made: list[StreamService] = []
    for name in names:
        own = service_settings(name, settings)
        if name == "ingest":
            made.append(IngestService(own))  # type: ignore[arg-type]
        elif name == "extract":
            made.append(ExtractService(own, nlp=nlp))  # type: ignore[arg-type]
        elif name == "store":
            made.append(StoreService(own, engine=engine))  # type: ignore[arg-type]
        else:
            raise ValueError(f"no service named {name!r}")
    return made


def bootstrap(settings: NewsflowSettings, *, services: Selection | Sequence[ServiceName] = "all",
              redis: Redis | None = None, engine: AsyncEngine | None = None, nlp: Language | None = None
              ) -> NewsflowApp:
    """The app running `services` ("all": the three on one broker) on `settings`.

    `redis` (the services' client), `engine` (the store's) and `nlp` (extract's model) are used
    instead of being made at start-up, and are left open at shutdown: they are the caller's."""
    return build_app(make_services(services, settings, engine=engine, nlp=nlp), settings, redis=redis)


def build_app(services: Sequence[StreamService], settings: NewsflowSettings, *,
              redis: Redis | None = None) -> NewsflowApp:
    """One FastStream app running `services` (built already) on one broker.

    Each service binds its HTTP port before any consumer group is joined; lost consumer groups
    are recreated as they are read (groups.py)."""
    configure_logging(settings.log_level, settings.log_format)
    broker = make_broker(settings)
    for service in services:
        service.register(broker)
    return NewsflowApp(broker, services, settings=settings, redis=redis,
                       logger=logging.getLogger("newsflow.faststream"))


@cache
def service_app(name: ServiceName) -> NewsflowApp:
    """Service `name`'s app module's `app` (for `faststream run services.<name>.app:app`), made once,
    on first access rather than at import, from the environment's settings."""
    return bootstrap(settings_for(name), services=name)
