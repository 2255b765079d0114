"""Load the data files (patterns, vocabularies, outlet names) that live next to this code."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

# Next to the modules (not in a sub-folder) so that package-data "*.yaml" ships them.
DATA_DIR = Path(__file__).resolve().parent
_SAFE_NAME = re.compile(r"[a-z0-9_]+")


@cache
def load_data(name: str) -> dict[str, Any] | None:
    """The parsed `<name>.yaml` next to this module, or None when there is none.

    None is normal: e.g. a language without boilerplate rules. Cached: each file is read once.
    Names come partly from producers (a language code), so only plain names are looked up.
    """
    if not _SAFE_NAME.fullmatch(name):
        return None
    path = DATA_DIR / f"{name}.yaml"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
