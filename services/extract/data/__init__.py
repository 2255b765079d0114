"""The extract service's language data: gazetteer, names, trigger lexicon, function words."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def data_file(name: str) -> Path:
    """A data file named in a component's config: a file of this folder, or any other path."""
    path = Path(name)
    return path if path.is_absolute() else DATA_DIR / path
