"""Throughput: requests per second from concurrent keep-alive clients posting the query mix in turn.

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


def measure_throughput(url: str, query_files: list[Path], seconds: float, clients: int = CLIENTS) -> Throughput:
    """`clients` connections posting the queries of `query_files` in turn to `url` for `seconds`."""
    if shutil.which("wrk"):
        return _with_wrk(url, query_files, seconds, clients)
    return _with_threads(url, [path.read_bytes() for path in query_files], seconds, clients)


def _with_wrk(url: str, query_files: list[Path], seconds: float, clients: int) -> Throughput:
    done = subprocess.run(["wrk", f"-t{min(WRK_THREADS, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
                           "--timeout", "600s", "-s", str(WRK_SCRIPT), url, "--", *map(str, query_files)],
                          capture_output=True, text=True, check=True)
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return Throughput(rate, total, errors, "wrk")


def _with_threads(url: str, bodies: list[bytes], seconds: float, clients: int) -> Throughput:
    parts = urllib.parse.urlsplit(url)
    counts = [[0, 0] for _ in range(clients)]  # [answered, errors] per client
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        position = index
        while time.monotonic() < deadline:
            connection.request("POST", parts.path, body=bodies[position % len(bodies)], headers=HEADERS)
            response = connection.getresponse()
            response.read()
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
    return Throughput((answered + errors) / elapsed, answered + errors, errors, "python threads")
