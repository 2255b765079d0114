"""Which event types may describe one act (event_types.yaml): families of compatible types."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).resolve().parent.parent / "event_types.yaml"


@cache
def _families() -> dict[str, str]:
    document = yaml.safe_load(_DATA.read_text(encoding="utf-8")) or {}
    return {t: name for name, types in (document.get("families") or {}).items() for t in types}


def type_family(event_type: str) -> str:
    """The family name of a type; a type in no family is its own."""
    return _families().get(event_type, event_type)


def types_compatible(first: str, second: str) -> bool:
    """The same type always; otherwise the same family."""
    return first == second or type_family(first) == type_family(second)


def compatible_types(event_type: str) -> frozenset[str]:
    """Every type compatible with `event_type` (itself included), for the candidate query."""
    family = type_family(event_type)
    return frozenset({event_type, *(t for t, f in _families().items() if f == family)})
