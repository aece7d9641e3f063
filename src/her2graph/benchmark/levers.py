"""The levers of issue 10, measured side by side in one run: what would make an uncached request cheaper.

    her2graph benchmark --levers [--sizes shipped,100k] [--seconds 6]

For each size, the same Flask app (create_app, as `her2graph serve` runs it) is started under each WSGI
server (waitress as shipped; granian and gunicorn with two web processes; bjoern), and with the query
evaluated in the web process instead of in a worker (lever_app.py), next to the Oxigraph server in memory;
the servers take turns (rounds, rotating order) on the no-op endpoint (the HTTP stack alone) and on the
distinct-query workload (no cache can hit). A server not installed is reported as such. Then, measured
inside one process on the same queries: the query screen's cost per query, and the hop to a worker (an
ASK through the engine against the same ASK answered in-process).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from ..competency_queries import competency_queries
from ..locations import queries_dir
from ..store_cache import input_digest
from .our_service import OurService
from .oxigraph_server import OxigraphServer, free_port, post_dataset
from .throughput import Throughput, combined, distinct_variant, measure_throughput

LEVERS = (("waitress", "workers"), ("granian", "workers"), ("gunicorn", "workers"), ("bjoern", "workers"),
          ("waitress", "in-process"))
SHIPPED = "waitress, workers (as shipped)"
OXIGRAPH = "Oxigraph server, in memory"
ROUNDS = 2
START_SECONDS = 600


@dataclass
class LeverMeasurements:
    size: str
    noop: dict[str, Throughput] = field(default_factory=dict)
    distinct: dict[str, Throughput] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    screen_microseconds: float | None = None
    hop_microseconds: tuple[float, float] | None = None
    """(an ASK through the engine's worker, the same ASK answered in-process), µs per query, medians."""


def measure_levers(size: str, work: Path, settings: dict, data_folder) -> LeverMeasurements:
    root, source = data_folder(size, work)
    cache, logs = work / "cache", work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    measured = LeverMeasurements(size)
    query_files = [queries_dir(root) / f"{query.name}.rq" for query in competency_queries(queries_dir(root))]
    digest = input_digest(root)
    build = cache / f"{digest}.nq"
    running: dict[str, tuple] = {}
    try:
        ours = OurService(root, cache, logs / f"levers-{size}-shipped.log", source=source)
        running[SHIPPED] = (ours.base, ours.stop)
        for server, engine in LEVERS[1:]:
            name = f"{server}, {'workers' if engine == 'workers' else 'evaluated in the web process'}"
            if server != "waitress" and find_spec(server) is None:
                measured.missing.append(f"{name}: not installed (pip install {server})")
                continue
            running[name] = _start_lever(server, engine, build, digest, logs / f"levers-{size}-{server}-{engine}.log")
        oxigraph = OxigraphServer()
        running[OXIGRAPH] = (oxigraph.base, oxigraph.stop)
        post_dataset(oxigraph.base, build)
        _rounds(measured, running, query_files, settings["seconds"])
        if measured.size == settings["sizes"][0]:
            measured.screen_microseconds = _screen_cost([path.read_text() for path in query_files])
            measured.hop_microseconds = _hop_cost(build)
    finally:
        for _, stop in running.values():
            stop()
    return measured


def _start_lever(server: str, engine: str, build: Path, digest: str, log_path: Path) -> tuple:
    port = free_port()
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, "-m", "her2graph.benchmark.lever_app", server, engine, str(port),
                                str(build), digest], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def stop():
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(base + "/benchmark/noop", timeout=5).close()
            return base, stop
        except OSError:
            time.sleep(0.1)
    stop()
    raise RuntimeError(f"{server} ({engine}) did not start; see {log_path}")


def _rounds(measured: LeverMeasurements, running: dict, query_files, seconds: float) -> None:
    share = max(1.0, seconds / ROUNDS)
    runs = [(name, "noop") for name in running if name != OXIGRAPH] + [(name, "distinct") for name in running]
    parts: dict[tuple, list] = {run: [] for run in runs}
    for number in range(ROUNDS):
        for name, workload in runs[number % len(runs):] + runs[:number % len(runs)]:
            base = running[name][0]
            if workload == "noop":
                parts[name, workload].append(measure_throughput(base + "/benchmark/noop", query_files, share))
            else:
                url = base + ("/query" if name == OXIGRAPH else "/sparql")
                parts[name, workload].append(measure_throughput(url, query_files, share, distinct=True))
    measured.noop = {name: combined(found) for (name, workload), found in parts.items() if workload == "noop"}
    measured.distinct = {name: combined(found) for (name, workload), found in parts.items() if workload == "distinct"}


def _screen_cost(queries: list[str], repeat: int = 20) -> float:
    """Median µs the query screen takes on one query of the distinct workload."""
    from ..web.query_guard import screen_query

    samples = []
    for number in range(repeat):
        for query in queries:
            text = distinct_variant(query, number)
            started = time.perf_counter()
            screen_query(text)
            samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def _hop_cost(build: Path, repeat: int = 2000) -> tuple[float, float]:
    """Median µs of an ASK answered through a worker, and of the same ASK answered in this process."""
    from ..oxigraph_store import store_from_build
    from ..web import engine

    through = engine.QueryEngine.from_build(build, workers=1)
    try:
        query = through.prepare("ASK {}")
        hop = _median_seconds(lambda: through.evaluate(query), repeat)
    finally:
        through.close()
    store = store_from_build(str(build))
    job = ("ASK {}", None, None, None, None, engine.MAX_ROWS)
    local = _median_seconds(lambda: engine._answer(store, job), repeat)
    return hop * 1e6, local * 1e6


def _median_seconds(call, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def levers_report(measured: LeverMeasurements) -> str:
    reference = measured.distinct.get(OXIGRAPH)
    shipped = measured.distinct.get(SHIPPED)
    lines = [f"== Levers, {measured.size}: the same app under other servers or engines; distinct queries and the "
             "no-op, 8 clients ==",
             f"  {'server, engine':48} {'no-op req/s':>12} {'distinct req/s':>15} {'÷ Oxigraph':>11} "
             f"{'÷ as shipped':>13} {'p99 ms':>8} {'errors':>7}"]
    for name, found in measured.distinct.items():
        noop = measured.noop.get(name)
        lines.append(f"  {name:48} {noop.requests_per_second if noop else float('nan'):12,.0f} "
                     f"{found.requests_per_second:15,.0f} {_ratio(found, reference):11.2f} {_ratio(found, shipped):13.2f} "
                     f"{found.p99 * 1000 if found.p99 else float('nan'):8.1f} "
                     f"{found.errors + (noop.errors if noop else 0):7d}")
    lines += [f"  {missing}" for missing in measured.missing]
    if measured.screen_microseconds is not None:
        lines.append(f"  the query screen: {measured.screen_microseconds:.0f} µs per query of the distinct workload "
                     "(median)")
    if measured.hop_microseconds is not None:
        hop, local = measured.hop_microseconds
        lines.append(f"  the hop to a worker: ASK through a worker {hop:.0f} µs, answered in-process {local:.0f} µs "
                     f"(medians): {hop - local:.0f} µs per query")
    return "\n".join(lines)


def _ratio(found: Throughput, to: Throughput | None) -> float:
    return found.requests_per_second / to.requests_per_second if to and to.requests_per_second else float("nan")
