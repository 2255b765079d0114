"""Prometheus metrics, recorded where every message passes (the delivery guard)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

MESSAGES = Counter("newsflow_messages_total", "Stream entries handled, by outcome", ["service", "outcome"])
LATENCY = Histogram(
    "newsflow_handler_seconds", "Time to handle one entry", ["service"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BATCH_SIZE = Histogram("newsflow_batch_size", "Entries per batch read", ["service"], buckets=(1, 2, 4, 8, 16, 32, 64))
LAG = Gauge("newsflow_consumer_lag", "Entries not yet delivered to the group", ["service", "stream"])
PENDING = Gauge("newsflow_consumer_pending", "Entries delivered but not acknowledged", ["service", "stream"])
