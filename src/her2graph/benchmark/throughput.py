"""Throughput: requests per second from concurrent keep-alive clients posting the query mix in turn.

Two workloads: the queries as they are, again and again (what an answer cache serves), and every request
distinct (each query with a trailing `VALUES ?distinctRequest { N }`, N a counter: a constant that binds a
variable no query uses, so the answer is the query's own, yet no two request texts are the same and no
cache can hit): what a Linked Data browser or a pipeline with a different constant each time sends.

wrk (a C load generator: it costs the machine little) when installed, else a Python client of threads,
which can itself become the bottleneck near a few thousand requests per second; the result names its tool.
Every response must be 2xx: a benchmark of errors measures nothing, so errors are counted and reported.
"""
from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

CLIENTS = 8
WRK_THREADS = 2
WRK_SCRIPT = Path(__file__).with_name("post_queries.lua")
HEADERS = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    requests: int
    errors: int
    """Responses that were not 2xx, and socket errors."""
    tool: str
    p50: float | None = None
    p99: float | None = None
    """Seconds per request under this load (the slowest round's, when rounds are combined)."""


def combined(parts: list[Throughput]) -> Throughput:
    """Several measurements of one server as one: all their requests over all their time."""
    seconds = sum(part.requests / part.requests_per_second for part in parts if part.requests_per_second)
    requests = sum(part.requests for part in parts)
    return Throughput(requests / seconds if seconds else 0.0, requests, sum(part.errors for part in parts),
                      parts[0].tool, _largest(part.p50 for part in parts), _largest(part.p99 for part in parts))


def _largest(values) -> float | None:
    known = [value for value in values if value is not None]
    return max(known) if known else None


def distinct_variant(query: str, number: int) -> str:
    """`query` made distinct by a constant, as post_queries.lua --distinct makes it (same answer)."""
    return f"{query}\nVALUES ?distinctRequest {{ {number} }}\n"


def measure_throughput(url: str, query_files: list[Path], seconds: float, clients: int = CLIENTS,
                       distinct: bool = False) -> Throughput:
    """`clients` connections posting the queries of `query_files` in turn to `url` for `seconds`; with
    `distinct`, every request made different from every other (see distinct_variant)."""
    if shutil.which("wrk"):
        return _with_wrk(url, query_files, seconds, clients, distinct)
    return _with_threads(url, [path.read_text() for path in query_files], seconds, clients, distinct)


def _with_wrk(url: str, query_files: list[Path], seconds: float, clients: int, distinct: bool) -> Throughput:
    done = subprocess.run(["wrk", f"-t{min(WRK_THREADS, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
                           "--timeout", "600s", "-s", str(WRK_SCRIPT), url, "--", *(["--distinct"] if distinct else []),
                           *map(str, query_files)], capture_output=True, text=True, check=True)
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    latency = re.search(r"latency_us p50 (\d+) p99 (\d+)", out)
    p50, p99 = (int(latency.group(1)) / 1e6, int(latency.group(2)) / 1e6) if latency else (None, None)
    return Throughput(rate, total, errors, "wrk", p50, p99)


def _with_threads(url: str, queries: list[str], seconds: float, clients: int, distinct: bool) -> Throughput:
    parts = urllib.parse.urlsplit(url)
    counts = [[0, 0] for _ in range(clients)]  # [answered, errors] per client
    samples: list[float] = []
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        position = index
        while time.monotonic() < deadline:
            query = queries[position % len(queries)]
            body = (distinct_variant(query, index * 10**9 + position) if distinct else query).encode("utf-8")
            started = time.perf_counter()
            connection.request("POST", parts.path, body=body, headers=HEADERS)
            response = connection.getresponse()
            response.read()
            samples.append(time.perf_counter() - started)
            counts[index][0 if 200 <= response.status < 300 else 1] += 1
            position += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    answered, errors = sum(count[0] for count in counts), sum(count[1] for count in counts)
    samples.sort()
    p50, p99 = (samples[len(samples) // 2], samples[min(len(samples) - 1, int(len(samples) * 0.99))]) \
        if samples else (None, None)
    return Throughput((answered + errors) / elapsed, answered + errors, errors, "python threads", p50, p99)
