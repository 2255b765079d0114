"""deploy/Procfile and the systemd unit run the real services with the real command."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from services.cli import ServiceChoice, app
from tests.conftest import ROOT


def test_procfile_runs_each_service_once():
    """The Procfile has one process per service, each `newsflow run <service>`."""
    lines = [line for line in (ROOT / "deploy" / "Procfile").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    commands = dict(line.split(":", 1) for line in lines)
    assert set(commands) == {"ingest", "extract", "store"}
    for name, command in commands.items():
        assert command.strip() == f".venv/bin/newsflow run {name}"


def test_systemd_unit_runs_an_instance_service():
    """The template unit runs `newsflow run %i` after `newsflow db upgrade`, with a stable consumer name."""
    unit = (ROOT / "deploy" / "systemd" / "newsflow@.service").read_text()
    assert re.search(r"^ExecStart=\S+/newsflow run %i$", unit, flags=re.M)
    assert re.search(r"^ExecStartPre=\S+/newsflow db upgrade$", unit, flags=re.M)
    assert "NEWSFLOW_CONSUMER_NAME=%H-%i" in unit
    instances = re.findall(r"newsflow@(\w+)", unit)
    assert set(instances) <= {choice.value for choice in ServiceChoice}


def test_run_command_accepts_the_supervised_services():
    """`newsflow run --help` lists the service names the supervisors use."""
    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert all(name in result.output for name in ("ingest", "extract", "store"))
