"""What every `newsflow` command shares: the two consoles, the progress bar, an in-process run's settings.

Messages and progress go to stderr (`console`); tables and records to stdout (`out`), so a
command's output can be piped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from services.common.settings import NewsflowSettings

PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"

console = Console(stderr=True)
out = Console()


def progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


def fresh_settings(name: str) -> NewsflowSettings:
    """The environment's settings for an in-process run: a fresh embedded Redis and SQLite under
    data_dir/<name> unless URLs are configured, WARNING logs and no HTTP unless set. The
    environment itself is left alone: the settings are passed down to the services."""
    settings = NewsflowSettings()
    quiet = {"log_level": "WARNING", "http_enabled": False}  # progress bars and a table, not logs; no ports
    update: dict[str, object] = {key: value for key, value in quiet.items() if key not in settings.model_fields_set}
    if not settings.redis_url and not settings.database_url:
        run_dir = settings.data_dir / name
        shutil.rmtree(run_dir, ignore_errors=True)
        update["data_dir"] = run_dir
    return settings.model_copy(update=update)


