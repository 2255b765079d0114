"""Consumers: which are live, and which dead ones are removed (idle, nothing pending, not ours)."""

from __future__ import annotations

from services.common.consumers import expired, is_live


def _consumer(name: str, pending: int, idle: int) -> dict:
    return {"name": name.encode(), "pending": pending, "idle": idle}


def test_consumers_expired_are_idle_with_nothing_pending():
    """Only a consumer idle past the expiry with no pending entry, and not this replica's, is removed."""
    consumers = [
        _consumer("dead-claimed", 0, 700_000),
        _consumer("dead-pending", 3, 700_000),  # its entries are not claimed yet: removing it would drop them
        _consumer("live", 0, 20),
        _consumer("me", 0, 900_000),
    ]
    assert expired(consumers, keep={"me"}, expiry_ms=600_000) == ["dead-claimed"]


def test_consumers_live_read_recently():
    """A consumer that read within the window is live; one silent longer is idle."""
    assert is_live(50, 60_000) and not is_live(61_000, 60_000)
