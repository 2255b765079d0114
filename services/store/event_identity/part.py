"""One agreement's contribution to an identity score."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One agreement's contribution to the score, and how to say it."""

    value: float
    reason: str
