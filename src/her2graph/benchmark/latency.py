"""Latency: each query sent on its own, one after another over one keep-alive connection; p50 and p99."""
from __future__ import annotations

import http.client
import math
import time
import urllib.parse
from dataclasses import dataclass

from .throughput import HEADERS


@dataclass(frozen=True)
class Latency:
    p50: float
    p99: float
    """Seconds; p99 of few runs is close to the slowest run."""
    runs: int
    status: int
    body: bytes
    """The last answer (to compare answers between servers)."""


def measure_latency(url: str, query: str, budget_seconds: float, min_runs: int, max_runs: int = 1000) -> Latency:
    """Send `query` once to warm up, then again and again until both `min_runs` and the budget are spent."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    body = query.encode("utf-8")
    try:
        status, answer = _ask(connection, parts.path, body)
        samples: list[float] = []
        spent_until = time.monotonic() + budget_seconds
        while len(samples) < max_runs and (len(samples) < min_runs or time.monotonic() < spent_until):
            started = time.perf_counter()
            status, answer = _ask(connection, parts.path, body)
            samples.append(time.perf_counter() - started)
    finally:
        connection.close()
    samples.sort()
    return Latency(_percentile(samples, 0.50), _percentile(samples, 0.99), len(samples), status, answer)


def _ask(connection: http.client.HTTPConnection, path: str, body: bytes) -> tuple[int, bytes]:
    connection.request("POST", path, body=body, headers=HEADERS)
    response = connection.getresponse()
    return response.status, response.read()


def _percentile(sorted_samples: list[float], share: float) -> float:
    return sorted_samples[max(0, math.ceil(share * len(sorted_samples)) - 1)]
