"""deploy/docker-compose.yml, .env.example and the Dockerfile, checked without Docker.

What docker would only find out at `up` time (a command the CLI does not have, a misspelt
setting silently ignored, a healthcheck on the wrong port, a dependency on a missing service)
is checked here against the code itself.
"""

from __future__ import annotations

import re
import tomllib
from urllib.parse import urlparse

import pytest

from tests.unit.deploy.compose_file import (
    ALL_SETTINGS,
    COMPOSE_FILE,
    DEPLOY,
    ROOT,
    SETTINGS_OF,
    app_services,
    as_argv,
    check_command,
    dockerfile_instructions,
    image_entrypoint,
    interpolate,
    is_one_shot,
    load_compose,
    newsflow_service_name,
    read_env_example,
    service_argv,
    service_environment,
    setting_env_names,
)

COMPOSE = load_compose()
SERVICES = COMPOSE["services"]
APPS = app_services(COMPOSE)
# Values .env.example shows for the container, not the code's defaults (the image or compose sets them).
DEPLOYMENT_VALUES = {"NEWSFLOW_REDIS_URL", "NEWSFLOW_DATABASE_URL", "NEWSFLOW_DATA_DIR", "NEWSFLOW_LOG_FORMAT"}


def _depends_on(service: dict) -> dict[str, str]:
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()}


def _healthcheck_argv(service: dict) -> list[str]:
    test = service["healthcheck"]["test"]
    return as_argv(test)[1:] if isinstance(test, list) else ["sh", "-c", test]


def _http_port(name: str, service: dict) -> int:
    """The port a newsflow service serves on: its NEWSFLOW_HTTP_PORT, else its settings' default."""
    declared = service_environment(service).get("NEWSFLOW_HTTP_PORT")
    if declared:
        return int(declared)
    return SETTINGS_OF[newsflow_service_name(service_argv(service))].model_fields["http_port"].default


def test_compose_defines_the_pipeline_and_its_backing_services():
    """Redis, Postgres, the one-shot migration and the three services are all there."""
    assert set(SERVICES) == {"redis", "postgres", "migrate", "ingest", "extract", "store"}
    assert set(APPS) == {"migrate", "ingest", "extract", "store"}


@pytest.mark.parametrize("name", sorted(APPS))
def test_compose_commands_are_real_cli_commands(name):
    """Each app service runs a command the newsflow CLI (or faststream) really has."""
    check_command(service_argv(SERVICES[name]))


@pytest.mark.parametrize("argv", [["newsflow", "run", "ingestt"], ["newsflow", "db", "upgrad"], ["newsflow", "serve"],
                                  ["newsflow"], ["python", "-m", "services.cli"]])
def test_compose_command_check_rejects_unknown_commands(argv):
    """The command check is not a rubber stamp: typos and other programs fail it."""
    with pytest.raises(AssertionError):
        check_command(argv)


@pytest.mark.parametrize("service", ["ingest", "extract", "store"])
def test_compose_faststream_alternative_targets_resolve(service, monkeypatch):
    """`faststream run services.<name>.app:app` (the README's alternative command) finds a FastStream app."""
    monkeypatch.setenv("NEWSFLOW_REDIS_URL", "redis://localhost:6379/0")  # no embedded Redis is started
    check_command(["faststream", "run", f"services.{service}.app:app"])


def test_compose_faststream_check_rejects_what_is_not_an_app():
    """A module attribute that is not a FastStream app fails the check."""
    with pytest.raises(AssertionError):
        check_command(["faststream", "run", "services.status:status_command"])


def test_compose_runs_each_newsflow_service_once():
    """ingest, extract and store each have a service running them, and migrate runs `db upgrade`."""
    running = {newsflow_service_name(service_argv(svc)): name for name, svc in APPS.items()}
    assert {running.get(s) for s in ("ingest", "extract", "store")} == {"ingest", "extract", "store"}
    assert service_argv(SERVICES["migrate"])[1:] == ["db", "upgrade"]
    assert is_one_shot(SERVICES["migrate"])


def test_compose_environment_sets_only_real_settings():
    """Every NEWSFLOW_* variable a service sets is read by a settings class (extra=ignore hides typos)."""
    names = {key for svc in SERVICES.values() for key in service_environment(svc) if key.startswith("NEWSFLOW_")}
    referenced = set(re.findall(r"\$\{(NEWSFLOW_[A-Z0-9_]+)", COMPOSE_FILE.read_text()))
    assert names, "the app services configure newsflow through NEWSFLOW_* variables"
    assert (names | referenced) - setting_env_names() == set()


def test_env_example_documents_every_setting_and_no_other():
    """.env.example lists every NEWSFLOW_* setting, and no NEWSFLOW_* name that is not one."""
    _, documented = read_env_example()
    newsflow = {name for name in documented if name.startswith("NEWSFLOW_")}
    assert setting_env_names() - newsflow == set(), "settings missing from .env.example"
    assert newsflow - setting_env_names() == set(), "names in .env.example that no settings class reads"


def test_env_example_values_are_valid_settings(monkeypatch):
    """Every value .env.example shows, uncommented all at once, validates in every settings class."""
    _, documented = read_env_example()
    for name, value in documented.items():
        if name.startswith("NEWSFLOW_") and value:
            monkeypatch.setenv(name, value)
    for cls in ALL_SETTINGS:
        cls(_env_file=None)


def test_env_example_shows_the_code_defaults():
    """A commented line shows the real default, except values the image or compose sets on purpose."""
    _, documented = read_env_example()
    for cls in ALL_SETTINGS:
        for field, info in cls.model_fields.items():
            name = f"NEWSFLOW_{field.upper()}"
            if name in DEPLOYMENT_VALUES or field == "http_port" or info.default is None or not documented[name]:
                continue
            default = str(info.default).lower() if isinstance(info.default, bool) else str(info.default)
            assert documented[name] == default, f"{name}: .env.example says {documented[name]}, code says {default}"


def test_compose_interpolates_only_documented_variables():
    """Every ${VAR} of the compose file is documented in .env.example, and the example interpolates."""
    values, documented = read_env_example()
    used = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE_FILE.read_text()))
    assert used - set(documented) == set()
    interpolate(COMPOSE_FILE.read_text(), {**values, "POSTGRES_PASSWORD": "x"})


def test_compose_requires_a_postgres_password():
    """With .env.example as it ships (empty password), compose refuses to interpolate."""
    values, _ = read_env_example()
    assert values.get("POSTGRES_PASSWORD") == ""
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        interpolate(COMPOSE_FILE.read_text(), values)


def test_compose_database_url_is_built_from_the_postgres_credentials():
    """The services' database URL names the postgres service with the same user, password and db."""
    env = {"POSTGRES_USER": "u", "POSTGRES_PASSWORD": "pw", "POSTGRES_DB": "d"}
    postgres = {k: interpolate(v, env) for k, v in service_environment(SERVICES["postgres"]).items()}
    for name in APPS:
        url = urlparse(interpolate(service_environment(SERVICES[name])["NEWSFLOW_DATABASE_URL"], env))
        assert url.scheme == "postgresql+asyncpg"
        assert (url.username, url.password, url.hostname, url.path.lstrip("/")) == (
            postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], "postgres", postgres["POSTGRES_DB"])


def test_compose_redis_url_defaults_to_the_redis_service():
    """Without an override the services use the bundled Redis."""
    for name in APPS:
        url = urlparse(interpolate(service_environment(SERVICES[name])["NEWSFLOW_REDIS_URL"], {}))
        assert (url.scheme, url.hostname) == ("redis", "redis")


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_compose_depends_on_existing_services_with_valid_conditions(name):
    """Dependencies exist; `healthy` ones have a healthcheck; `completed` ones are one-shot."""
    for target, condition in _depends_on(SERVICES[name]).items():
        assert target in SERVICES, f"{name} depends on unknown service {target}"
        assert condition in ("service_started", "service_healthy", "service_completed_successfully")
        if condition == "service_healthy":
            assert "healthcheck" in SERVICES[target], f"{target} has no healthcheck to wait for"
        if condition == "service_completed_successfully":
            assert is_one_shot(SERVICES[target]), f"{target} never completes"


def test_compose_start_order_follows_what_each_service_needs():
    """Migrations wait for Postgres; the store waits for the migrations; every service waits for Redis."""
    assert _depends_on(SERVICES["migrate"]) == {"postgres": "service_healthy"}
    assert _depends_on(SERVICES["store"])["migrate"] == "service_completed_successfully"
    for name in ("ingest", "extract", "store"):
        assert _depends_on(SERVICES[name])["redis"] == "service_healthy"


@pytest.mark.parametrize("name", sorted(n for n, s in SERVICES.items() if not is_one_shot(s)))
def test_compose_long_running_services_have_healthchecks(name):
    """Every long-running service has a healthcheck command."""
    assert _healthcheck_argv(SERVICES[name])


@pytest.mark.parametrize("name", sorted(n for n, s in APPS.items() if not is_one_shot(s)))
def test_compose_healthchecks_probe_the_service_own_port(name):
    """A service's healthcheck asks its own /readyz (or /healthz) on its own HTTP port."""
    service = SERVICES[name]
    urls = re.findall(r"https?://[^'\"\s]+", " ".join(_healthcheck_argv(service)))
    assert len(urls) == 1, urls
    url = urlparse(urls[0])
    assert url.hostname in ("127.0.0.1", "localhost")
    assert url.path in ("/readyz", "/healthz")
    assert url.port == _http_port(name, service)


def test_compose_http_ports_match_the_settings_defaults():
    """ingest 8000, extract 8001, store 8002, as the settings and the README say."""
    for name in ("ingest", "extract", "store"):
        assert _http_port(name, SERVICES[name]) == SETTINGS_OF[name].model_fields["http_port"].default


def test_compose_publishes_only_the_ingest_port():
    """Ingest's HTTP port is published; no other app service takes a host port."""
    published = [str(p) for p in SERVICES["ingest"]["ports"]]
    assert len(published) == 1 and published[0].rsplit(":", 1)[1] == str(_http_port("ingest", SERVICES["ingest"]))
    assert [n for n, s in APPS.items() if s.get("ports") and n != "ingest"] == []


@pytest.mark.parametrize("name", sorted(APPS))
def test_compose_app_services_can_be_scaled(name):
    """No container_name (it would forbid `--scale`), and extract takes no host port."""
    assert "container_name" not in SERVICES[name]
    if name == "extract":
        assert "ports" not in SERVICES[name]


@pytest.mark.parametrize("name", sorted(APPS))
def test_compose_app_services_share_one_image_and_the_env_file(name):
    """All app services build deploy/Dockerfile from the repository root and read deploy/.env."""
    service = SERVICES[name]
    assert (DEPLOY / service["build"]["context"]).resolve() == ROOT
    assert (ROOT / service["build"]["dockerfile"]).resolve() == (DEPLOY / "Dockerfile").resolve()
    assert len({s["image"] for s in APPS.values()}) == 1
    env_files = service["env_file"] if isinstance(service["env_file"], list) else [service["env_file"]]
    assert ".env" in [f if isinstance(f, str) else f["path"] for f in env_files]


def test_compose_keeps_redis_and_postgres_data_in_volumes():
    """Redis appends to a volume (--appendonly yes); Postgres keeps its data directory in a volume."""
    redis = SERVICES["redis"]
    assert re.search(r"--appendonly\s+yes", " ".join(as_argv(redis["command"])))
    mounts = {v.split(":")[1]: v.split(":")[0] for s in ("redis", "postgres") for v in SERVICES[s]["volumes"]}
    assert set(mounts) == {"/data", "/var/lib/postgresql/data"}
    assert set(mounts.values()) <= set(COMPOSE["volumes"])
    assert "${POSTGRES_PASSWORD" in str(SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"])


# ---- Dockerfile ------------------------------------------------------------------------------------------


INSTRUCTIONS = dockerfile_instructions()


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in INSTRUCTIONS:
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def test_dockerfile_is_multi_stage_and_ships_the_built_venv():
    """At least two stages; the last copies the virtualenv from the builder instead of building."""
    stages = _stages()
    assert len(stages) >= 2
    builder = stages[0][0][1].split()[-1]
    copies = [args for keyword, args in stages[-1] if keyword == "COPY" and f"--from={builder}" in args]
    assert copies, "the runtime stage copies nothing from the builder"
    assert not any("pip install" in args for keyword, args in stages[-1] if keyword == "RUN")


def test_dockerfile_runs_as_a_non_root_user():
    """The final stage switches to a user that is neither root nor uid 0."""
    users = [args for keyword, args in _stages()[-1] if keyword == "USER"]
    assert users, "no USER in the runtime stage"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_installs_the_spacy_model_at_build_time():
    """The model package is a project dependency installed by the build, and loaded once there."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(re.match(r"fr[-_]core[-_]news[-_]md\b", d) for d in dependencies)
    runs = " ".join(args for keyword, args in INSTRUCTIONS if keyword == "RUN")
    assert "pyproject.toml" in runs and "pip install -r" in runs, "dependencies come from pyproject.toml"
    assert "spacy.load('fr_core_news_md')" in runs
    final_runs = " ".join(args for keyword, args in _stages()[-1] if keyword == "RUN")
    assert "spacy.load" in final_runs, "the runtime image proves it loads the model offline"


def test_dockerfile_downloads_nothing_for_run_time():
    """No `spacy download`, no curl/wget and no remote ADD: everything comes from package registries."""
    text = " ".join(args for _, args in INSTRUCTIONS)
    assert "spacy download" not in text and "spacy.cli.download" not in text
    assert not re.search(r"\b(curl|wget)\b", text)
    assert not any(keyword == "ADD" and "://" in args for keyword, args in INSTRUCTIONS)


def test_dockerfile_copies_paths_that_exist_in_the_build_context():
    """Every COPY from the context names a file or folder the repository has (context: its root)."""
    for keyword, args in INSTRUCTIONS:
        if keyword != "COPY" or "--from=" in args:
            continue
        sources = [a for a in args.split() if not a.startswith("--")][:-1]
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the build context"


def test_dockerfile_entrypoint_is_the_newsflow_console_script():
    """ENTRYPOINT is `newsflow`, the console script pyproject.toml declares."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert image_entrypoint() == ["newsflow"]
    assert scripts["newsflow"] == "services.cli:main"
