"""A service's attributes are declared in StreamService.__init__, from the settings passed down."""

from __future__ import annotations

import ast
from pathlib import Path

from faststream.redis import RedisBroker

import services.common.service as service_module
from services.common.service import StreamService
from services.common.settings import ExtractSettings, IngestSettings, NewsflowSettings, StoreSettings
from services.extract.app import ExtractService
from services.ingest.app import IngestService
from services.store.app import StoreService

DECLARED = {"settings", "http_port", "api_token", "log", "_delivery", "_redis", "_trimmer", "_http_socket", "_http"}


class BareService(StreamService):
    """A service on the shared settings class alone, as the tests' own services are."""

    name = "bare-test"
    input_stream = "bare.in"

    def register(self, broker: RedisBroker) -> None:  # never registered
        raise NotImplementedError


def test_stream_service_declares_every_attribute_in_init() -> None:
    """Regression: http_port and api_token were probed on the settings with getattr."""
    assert set(vars(BareService(NewsflowSettings(http_enabled=False)))) == DECLARED
    calls = [
        node
        for node in ast.walk(ast.parse(Path(service_module.__file__).read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"getattr", "hasattr"}
        and isinstance(node.args[0], ast.Attribute) and isinstance(node.args[0].value, ast.Name)
        and node.args[0].value.id == "self"
    ]
    assert calls == []


def test_services_take_http_port_and_token_from_their_own_settings() -> None:
    """Each service's port is its settings' http_port; only ingest has a token."""
    ingest = IngestService(IngestSettings(http_port=9100, api_token="s3cret"))
    extract = ExtractService(ExtractSettings(http_port=9101))
    store = StoreService(StoreSettings(http_port=9102))
    assert [s.http_port for s in (ingest, extract, store)] == [9100, 9101, 9102]
    assert ingest.api_token is not None and ingest.api_token.get_secret_value() == "s3cret"
    assert extract.api_token is None and store.api_token is None
    for service in (ingest, extract, store):
        assert set(vars(service)) >= DECLARED


def test_stream_service_without_a_port_binds_any_free_one() -> None:
    """A service on the shared settings (no http_port of its own) reserves a free port, 0 meaning any."""
    service = BareService(NewsflowSettings(http_host="127.0.0.1"))
    assert service.http_port == 0
    service.reserve_http_port()
    try:
        assert service._http_socket is not None and service._http_socket.getsockname()[1] > 0
    finally:
        assert service._http_socket is not None
        service._http_socket.close()
