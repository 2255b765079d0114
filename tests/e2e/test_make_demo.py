"""`make demo` works from a fresh copy of the repository: install, run, five seeds stored."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.model]


def _project_files() -> list[str]:
    """What a clone would hold: tracked files plus new ones git does not ignore."""
    listing = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if (ROOT / line).is_file()]


def test_make_demo_from_a_fresh_copy(tmp_path):
    """In a fresh copy with no .venv, `make demo` installs and prints the five seeds stored."""
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.fail("make and git are needed to run the README's demo command")
    copy = tmp_path / "newsflow"
    for name in _project_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    env["PYTHON"] = sys.executable  # the same interpreter version as this run
    env["COLUMNS"] = "200"
    result = subprocess.run(["make", "demo"], cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "5 stored" in output, output[-4000:]
    for seed in SEEDS.glob("*.txt"):
        assert seed.stem in output
