"""Reading deploy/: the compose file, .env.example and the Dockerfile, the way docker would.

Shared by the unit tests (static checks) and the integration test (which runs the compose
services' own commands as local processes).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from services.common.settings import ExtractSettings, IngestSettings, NewsflowSettings, StoreSettings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
DOCKERFILE = DEPLOY / "Dockerfile"

SETTINGS_OF = {"ingest": IngestSettings, "extract": ExtractSettings, "store": StoreSettings}
ALL_SETTINGS = (NewsflowSettings, IngestSettings, ExtractSettings, StoreSettings)
_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}")
_ENV_LINE = re.compile(r"^(?P<commented>#\s*)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def setting_env_names() -> set[str]:
    """Every NEWSFLOW_* variable some settings class reads."""
    return {f"NEWSFLOW_{name.upper()}" for cls in ALL_SETTINGS for name in cls.model_fields}


def load_compose() -> dict[str, Any]:
    """The compose file as YAML (merge keys `<<` resolved), before interpolation."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


def read_env_example() -> tuple[dict[str, str], dict[str, str]]:
    """(the variables .env.example sets, every variable it documents with its value, commented or not)."""
    values: dict[str, str] = {}
    documented: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = _ENV_LINE.match(line.strip())
        if not match:
            continue
        documented[match["name"]] = match["value"]
        if not match["commented"]:
            values[match["name"]] = match["value"]
    return values, documented


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR:+alt} and $$."""

    def substitute(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        name, op, arg = match["name"], match["op"], match["arg"]
        value = env.get(name)
        unset_or_empty = not value if op and op.startswith(":") else value is None
        if op in (":-", "-"):
            return arg if unset_or_empty else value or ""
        if op in (":?", "?"):
            if unset_or_empty:
                raise KeyError(f"{name}: {arg}")
            return value or ""
        if op in (":+", "+"):
            return "" if unset_or_empty else arg
        return value or ""

    return _VARIABLE.sub(substitute, text)


def service_environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, in either of compose's forms (mapping or KEY=VALUE list)."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def as_argv(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        pending = ""
    return instructions


def image_entrypoint() -> list[str]:
    """The Dockerfile's ENTRYPOINT (exec form)."""
    entrypoints = [args for keyword, args in dockerfile_instructions() if keyword == "ENTRYPOINT"]
    return json.loads(entrypoints[-1]) if entrypoints else []


def service_argv(service: dict[str, Any]) -> list[str]:
    """What a container of `service` executes: its entrypoint (or the image's) followed by its command."""
    entrypoint = as_argv(service["entrypoint"]) if "entrypoint" in service else image_entrypoint()
    return entrypoint + as_argv(service.get("command"))


def app_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services running the newsflow image (the ones with a build section)."""
    return {name: svc for name, svc in compose["services"].items() if "build" in svc}


def is_one_shot(service: dict[str, Any]) -> bool:
    return str(service.get("restart", "no")) == "no"


def newsflow_service_name(argv: list[str]) -> str | None:
    """`ingest` for `newsflow run ingest` or `faststream run services.ingest.app:app`, else None."""
    if argv[:2] == ["newsflow", "run"] and len(argv) > 2:
        return argv[2]
    if argv[:2] == ["faststream", "run"] and len(argv) > 2:
        match = re.fullmatch(r"services\.(\w+)\.app:\w+", argv[2])
        return match[1] if match else None
    return None


def check_newsflow_command(args: list[str]) -> None:
    """Fail unless `newsflow <args>` names a real (sub)command with arguments it accepts."""
    import typer

    from services.cli import app

    # Typer builds click-style commands (its own vendored click in recent releases): a group has `commands`.
    command = typer.main.get_command(app)
    path = ["newsflow"]
    rest = list(args)
    while isinstance(getattr(command, "commands", None), dict):
        if not rest or rest[0] not in command.commands:
            raise AssertionError(f"{' '.join(path)} has no subcommand {rest[:1]}; it has {sorted(command.commands)}")
        path.append(rest[0])
        command = command.commands[rest.pop(0)]
    try:
        command.make_context(" ".join(path), rest)
    except Exception as exc:  # click's usage errors: a bad choice, a missing or extra argument
        message = exc.format_message() if hasattr(exc, "format_message") else repr(exc)
        raise AssertionError(f"{' '.join(path)} rejects {rest}: {message}") from exc


def check_faststream_target(target: str) -> None:
    """Fail unless `faststream run <target>` finds a FastStream app (module:attribute)."""
    import importlib

    from faststream import FastStream

    module_name, _, attribute = target.partition(":")
    app = getattr(importlib.import_module(module_name), attribute or "app")
    if not isinstance(app, FastStream):
        raise AssertionError(f"{target} is a {type(app).__name__}, not a FastStream app")


def check_command(argv: list[str]) -> None:
    """Fail unless `argv` is a real `newsflow ...` or `faststream run module:app` command."""
    if argv[:1] == ["newsflow"]:
        check_newsflow_command(argv[1:])
    elif argv[:2] == ["faststream", "run"] and len(argv) > 2:
        check_faststream_target(argv[2])
    else:
        raise AssertionError(f"{argv} is neither `newsflow ...` nor `faststream run module:app`")
