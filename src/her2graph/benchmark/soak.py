"""A soak run: the service under a steady mixed load for MINUTES, with its vital signs every interval.

    her2graph benchmark --soak MINUTES [--soak-interval SECONDS] [--work-dir DIR]

The bundled graph is served as deployed (answer cache on, default limits), and CLIENTS keep-alive clients
send, in turn, the competency queries, a query no one sent before (a cache miss that reaches a worker), a
Linked Data page and /health. Every interval it prints one row: requests, errors (anything but 2xx/3xx),
the median and 99th percentile latency of that interval, the resident memory of the main process and of
its query workers, and the main process' open file descriptors. A leak shows as a column that keeps
growing; the last line compares the last interval with the first. See docs/reliability.md.
"""
from __future__ import annotations

import http.client
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from ..competency_queries import competency_queries
from ..locations import data_root
from .our_service import OurService

CLIENTS = 8
INTERVAL_SECONDS = 60.0
MIB = 1024 * 1024


@dataclass
class Interval:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def run_soak(minutes: float, work: Path, interval: float = INTERVAL_SECONDS, clients: int = CLIENTS) -> int:
    """Serve, load and report; 0 when every response was 2xx/3xx and the service stayed up, else 1."""
    service = OurService(data_root(), work / "cache", work / "soak-serve.log")
    requests = _request_mix(service.base)
    current = Interval()
    lock = threading.Lock()
    stop = threading.Event()

    def client(index: int) -> None:
        nonlocal current
        parts = urllib.parse.urlsplit(service.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        position = index
        while not stop.is_set():
            method, path, body, headers = requests(position)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                failed = response.status >= 400
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                failed = True
            with lock:
                current.latencies.append(time.perf_counter() - started)
                current.errors += failed
            position += clients
        connection.close()

    print(_HEADER, flush=True)
    rows = []
    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(clients)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + minutes * 60
        while time.monotonic() < deadline and service.process.poll() is None:
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            with lock:
                done, current = current, Interval()
            rows.append(_row(len(rows) + 1, done, service.process.pid, interval))
            print(_format(rows[-1]), flush=True)
    finally:
        stop.set()
        for thread in threads:
            thread.join(70)
        alive = service.process.poll() is None
        service.stop()
    print(_summary(rows, alive), flush=True)
    return 0 if alive and rows and not any(row["errors"] for row in rows) else 1


def _request_mix(base: str):
    path = urllib.parse.urlsplit(base).path
    queries = [query.text.encode() for query in competency_queries()]
    sparql = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    fresh = iter(range(10**12))

    def request(position: int):
        kind = position % 4
        if kind == 0:
            return "POST", path + "/sparql", queries[(position // 4) % len(queries)], sparql
        if kind == 1:
            return "POST", path + "/sparql", f"ASK {{ ?s ?p ?o }} # {next(fresh)}".encode(), sparql
        if kind == 2:
            return "GET", path + "/resource/lapatinib", None, {"Accept": "text/html"}
        return "GET", path + "/health", None, {}
    return request


def _row(number: int, interval: Interval, pid: int, seconds: float) -> dict:
    latencies = sorted(interval.latencies) or [0.0]
    workers = _descendants(pid)
    return {"interval": number, "requests": len(interval.latencies), "errors": interval.errors,
            "rate": len(interval.latencies) / seconds, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "main_mib": _resident(pid) / MIB, "workers_mib": sum(map(_resident, workers)) / MIB,
            "fds": _open_files(pid)}


_HEADER = ("interval  requests  errors   req/s   p50 ms   p99 ms   main MiB   workers MiB   fds")


def _format(row: dict) -> str:
    return (f"{row['interval']:>8}  {row['requests']:>8}  {row['errors']:>6}  {row['rate']:>6.0f}  "
            f"{row['p50'] * 1000:>7.1f}  {row['p99'] * 1000:>7.1f}  {row['main_mib']:>9.1f}  "
            f"{row['workers_mib']:>12.1f}  {row['fds']:>4}")


def _summary(rows: list[dict], alive: bool) -> str:
    if not rows:
        return "soak: no interval completed"
    first, last = rows[0], rows[-1]
    state = "stayed up" if alive else "STOPPED"
    return (f"soak: {sum(row['requests'] for row in rows)} requests, {sum(row['errors'] for row in rows)} errors; "
            f"the service {state}; from the first interval to the last: main process "
            f"{first['main_mib']:.1f} -> {last['main_mib']:.1f} MiB, workers {first['workers_mib']:.1f} -> "
            f"{last['workers_mib']:.1f} MiB, file descriptors {first['fds']} -> {last['fds']}, p99 "
            f"{first['p99'] * 1000:.1f} -> {last['p99'] * 1000:.1f} ms")


def _resident(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _open_files(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/fd").iterdir()))
    except OSError:
        return -1


def _descendants(pid: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found
