"""Countries named by compound nationality adjectives ('pourparlers russo-ukrainiens')."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from services.common.folding import fold
from services.extract.gazetteer import Gazetteer

PREFIXES_FILE = Path(__file__).resolve().parent.parent / "data" / "nationality_prefixes.yaml"


@cache
def nationality_prefixes(path: Path = PREFIXES_FILE) -> dict[str, str]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {fold(prefix): alpha3 for prefix, alpha3 in raw["prefixes"].items()}


def compound_countries(word: str, gazetteer: Gazetteer, prefixes: dict[str, str] | None = None) -> list[str]:
    """'russo-ukrainiens' → [RUS, UKR], 'algéro-italien' → [DZA, ITA]; [] for anything else."""
    parts = fold(word).split()  # fold turns the hyphens into spaces
    if len(parts) < 2:
        return []
    prefixes = nationality_prefixes() if prefixes is None else prefixes
    heads = [prefixes.get(p) for p in parts[:-1]]
    last = gazetteer.country_of_adjective(parts[-1])
    if last is None or not all(heads):
        return []
    return list(dict.fromkeys([*(h for h in heads if h), last]))
