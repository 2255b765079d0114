"""Domain exceptions. The edge (the service handler) decides ack, retry or dead-letter.

Transient faults are not wrapped in an exception of ours: retry.is_transient recognises the
libraries' own (redis-py, SQLAlchemy, asyncpg)."""


class NewsflowError(Exception):
    """Base of newsflow's own errors."""


class PoisonMessage(NewsflowError):
    """The message can never succeed (invalid, unreadable, too large): dead-letter it now."""


class PortInUse(NewsflowError):
    """A service's HTTP port is taken: the service stops before it joins its consumer group."""
