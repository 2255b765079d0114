"""Settings: NEWSFLOW_ prefix, .env support, and the README's table matches the real settings."""

import os
import re

from services.common.settings import ExtractSettings, IngestSettings, NewsflowSettings, StoreSettings
from tests.conftest import ROOT

ALL_SETTINGS = (NewsflowSettings, IngestSettings, ExtractSettings, StoreSettings)


def _env_names() -> set[str]:
    return {f"NEWSFLOW_{name.upper()}" for cls in ALL_SETTINGS for name in cls.model_fields}


def test_settings_read_prefixed_environment(monkeypatch):
    """NEWSFLOW_* variables set the fields of every service's settings."""
    monkeypatch.setenv("NEWSFLOW_STREAM_PREFIX", "tenant:")
    monkeypatch.setenv("NEWSFLOW_BATCH_SIZE", "32")
    assert NewsflowSettings().stream("articles.raw") == "tenant:articles.raw"
    assert ExtractSettings().batch_size == 32


def test_settings_read_dotenv_file(tmp_path, monkeypatch):
    """A .env file in the working directory is read."""
    (tmp_path / ".env").write_text("NEWSFLOW_MAX_DELIVERIES=9\n")
    monkeypatch.chdir(tmp_path)
    assert NewsflowSettings().max_deliveries == 9


def test_settings_default_database_is_a_sqlite_file_in_data_dir(tmp_path):
    """Without NEWSFLOW_DATABASE_URL the store uses SQLite under the data dir."""
    url = NewsflowSettings(data_dir=tmp_path).resolved_database_url()
    assert url == f"sqlite+aiosqlite:///{tmp_path.resolve()}/newsflow.db"


def test_consumer_name_is_stable_per_replica(monkeypatch):
    """The default consumer name is the hostname (a restarted replica keeps it); the setting wins."""
    import socket

    monkeypatch.delenv("NEWSFLOW_CONSUMER_NAME", raising=False)
    assert NewsflowSettings().consumer_name == socket.gethostname()
    monkeypatch.setenv("NEWSFLOW_CONSUMER_NAME", "extract-2")
    assert NewsflowSettings().consumer_name == "extract-2"


def test_readme_documents_every_setting_and_no_other():
    """The README's configuration table lists exactly the real settings."""
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(NEWSFLOW_[A-Z_]+)`", readme, flags=re.M))
    assert documented == _env_names()


def test_environment_sets_unsets_and_restores(monkeypatch):
    """`environment` sets and unsets variables for a block and puts every one back after it."""
    from services.common.settings import environment

    monkeypatch.setenv("NEWSFLOW_TEST_KEPT", "before")
    monkeypatch.delenv("NEWSFLOW_TEST_NEW", raising=False)
    with environment({"NEWSFLOW_TEST_KEPT": None, "NEWSFLOW_TEST_NEW": "during"}):
        assert "NEWSFLOW_TEST_KEPT" not in os.environ
        assert os.environ["NEWSFLOW_TEST_NEW"] == "during"
    assert os.environ["NEWSFLOW_TEST_KEPT"] == "before"
    assert "NEWSFLOW_TEST_NEW" not in os.environ
