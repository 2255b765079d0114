"""The extract service stays easy to read: no function over 60 lines, no module over 400."""

from __future__ import annotations

import ast
from pathlib import Path

import services.extract

EXTRACT = Path(services.extract.__file__).resolve().parent
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400
# Modules allowed to stay bigger, and why.
BIGGER = {
    "event_dates.py": "being rewritten under the date work, which splits it",
}


def _modules() -> list[Path]:
    return sorted(p for p in EXTRACT.rglob("*.py") if p.relative_to(EXTRACT).as_posix() not in BIGGER)


def test_extract_functions_stay_under_60_lines() -> None:
    """Every function (and method) of services/extract fits in 60 lines."""
    long = [
        f"{path.relative_to(EXTRACT)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_extract_modules_stay_under_400_lines() -> None:
    """Every module of services/extract fits in 400 lines, but those BIGGER names with a reason."""
    big = [
        f"{path.relative_to(EXTRACT)} ({n} lines)"
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert big == []
    assert all((EXTRACT / name).is_file() for name in BIGGER), "a module in BIGGER no longer exists"
