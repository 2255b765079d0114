"""The composition root: which services bootstrap builds, on which settings, with what they are handed."""

from __future__ import annotations

from typing import Any

import pytest

from services import bootstrap as root
from services.bootstrap import bootstrap, service_settings
from services.common.settings import ExtractSettings, IngestSettings, NewsflowSettings, StoreSettings


@pytest.fixture(autouse=True)
def _no_logging_setup(monkeypatch):
    """bootstrap configures logging for a process; a test process keeps its own."""
    monkeypatch.setattr(root, "configure_logging", lambda *args: None)


def _settings(**values: Any) -> NewsflowSettings:
    return NewsflowSettings(redis_url="redis://127.0.0.1:1/0", stream_prefix="p:", http_enabled=False, **values)


def test_bootstrap_all_builds_the_three_services_on_their_own_settings_classes():
    app = bootstrap(_settings(batch_size=3))
    assert [s.name for s in app.services] == ["ingest", "extract", "store"]
    assert [type(s.settings) for s in app.services] == [IngestSettings, ExtractSettings, StoreSettings]
    for service in app.services:  # what was set on the shared settings reaches every service
        assert service.settings.stream_prefix == "p:" and service.settings.batch_size == 3
        assert service.settings.http_enabled is False
    assert [s.settings.http_port for s in app.services] == [8000, 8001, 8002]  # type: ignore[attr-defined]
    assert app.faults == []


def test_bootstrap_wires_the_engine_and_model_it_is_given():
    engine, nlp = object(), object()
    app = bootstrap(_settings(), engine=engine, nlp=nlp)  # type: ignore[arg-type]
    by_name = {s.name: s for s in app.services}
    assert by_name["extract"].nlp is nlp  # type: ignore[attr-defined]
    assert by_name["store"].engine is engine  # type: ignore[attr-defined]


def test_bootstrap_one_service_keeps_its_own_settings_object():
    settings = IngestSettings(redis_url="redis://127.0.0.1:1/0", http_port=0, max_text_bytes=10)
    [service] = bootstrap(settings, services="ingest").services
    assert service.settings is settings


def test_service_settings_lay_the_shared_values_over_the_class_defaults(monkeypatch):
    monkeypatch.delenv("NEWSFLOW_SPACY_MODEL", raising=False)
    extract = service_settings("extract", _settings(consumer_name="here"))
    assert isinstance(extract, ExtractSettings)
    assert extract.consumer_name == "here" and extract.stream_prefix == "p:"
    assert extract.spacy_model == ExtractSettings.model_fields["spacy_model"].default


def test_the_app_modules_bootstrap_their_app_once_on_first_access(monkeypatch):
    import services.ingest.app as module

    monkeypatch.setenv("NEWSFLOW_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("NEWSFLOW_HTTP_PORT", "0")
    root.service_app.cache_clear()
    try:
        app = module.app
        assert isinstance(app, root.NewsflowApp) and module.app is app
        [service] = app.services
        assert service.name == "ingest" and service.settings.http_port == 0  # type: ignore[attr-defined]
    finally:
        root.service_app.cache_clear()
    with pytest.raises(AttributeError):
        module.nothing  # noqa: B018


def test_services_fill_the_hooks_and_leave_start_and_stop_to_the_base():
    from services.extract.app import ExtractService
    from services.ingest.app import IngestService
    from services.store.app import StoreService

    for cls in (IngestService, ExtractService, StoreService):
        assert "start" not in vars(cls) and "stop" not in vars(cls), cls.__name__
        assert "on_start" in vars(cls), cls.__name__


async def test_a_service_never_started_stops_cleanly():
    """Every attribute exists from __init__ on: stop before start has nothing to probe for."""
    app = bootstrap(_settings())
    for service in app.services:
        await service.stop()
    with pytest.raises(RuntimeError, match="not started"):
        app.services[0].redis  # noqa: B018
