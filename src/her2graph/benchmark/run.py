"""Running the benchmark: per graph size, each server in turn on loopback, measured the same way.

    her2graph benchmark [--sizes shipped,10k,100k,1m] [--seconds 6] [--quick] [--work-dir DIR]

For each size: the data folder (the bundled graph, or a synthetic one of that size), then
1. our service started without a build in its cache (load with rdflib, validate with pySHACL, build: the
   cold start), and stopped;
2. the servers compared, started one after another and each start timed: our service with the answer cache
   on (it also serves the no-op endpoint) and off (the start a deployment sees every other time, from the
   cached build), Oxigraph's server on disk (`oxigraph load`, then `serve-read-only`) and in memory
   (`serve`, then the same N-Quads POSTed to its store);
3. latency, query by query, each query on every server in turn; then throughput in rounds over the
   servers: the servers run side by side and take turns, so a change in the machine's load (other
   programs) falls on all of them alike rather than on whichever was measured at the time.
Every server loads the same N-Quads file, the build of store_cache: the named graphs and their merge as
the default graph, so all answer the same queries over the same dataset; their answers are compared.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..competency_queries import competency_queries
from ..locations import data_root, queries_dir
from ..store_cache import input_digest
from ..synthetic_graph import write_synthetic_data
from .latency import measure_latency
from .measurements import DISTINCT_SERVERS, NOOP, OURS_CACHED, OURS_UNCACHED, OXIGRAPH_DISK, OXIGRAPH_MEMORY, \
    SizeMeasurements, write_json
from .oxigraph_server import OxigraphServer, load_into_directory, post_dataset
from .our_service import OurService
from .process_memory import memory_by_process, peak_resident_bytes
from .report import size_report, targets_report
from .throughput import combined, distinct_variant, measure_throughput

SIZES = {"shipped": None, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_SIZES = ("shipped", "10k", "100k")
THROUGHPUT_SECONDS = 6.0
LATENCY_BUDGET_SECONDS = 0.5
"""Per query and server: runs go on until this is spent (and at least MIN_RUNS are made)."""
MIN_RUNS = 20
ROUNDS = 3
"""Throughput is measured in this many rounds over all the servers (see _measure_throughput)."""
QUICK = {"sizes": ("shipped",), "seconds": 1.0, "latency_budget": 0.0, "min_runs": 3}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="her2graph benchmark", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES), type=_sizes,
                        help=f"graph sizes, comma-separated, of {', '.join(SIZES)} (default: {','.join(DEFAULT_SIZES)})")
    parser.add_argument("--seconds", type=float, default=THROUGHPUT_SECONDS,
                        help=f"seconds of throughput measurement per server, in {ROUNDS} rounds (default "
                             f"{THROUGHPUT_SECONDS:g})")
    parser.add_argument("--quick", action="store_true", help="a smoke run: the shipped graph, 1 s measurements")
    parser.add_argument("--work-dir", type=Path, help="where data, builds and stores go (default: a temporary "
                        "folder); reuse one to keep the builds between runs")
    parser.add_argument("--startup", action="store_true", help="only the start-up and validation table: a "
                        "first start, a start from the cached build and one after a one-file change, with memory")
    parser.add_argument("--keep-builds", action="store_true", help="do not measure cold starts: reuse builds "
                        "already in the work folder's cache")
    parser.add_argument("--latency-runs", type=int, default=MIN_RUNS, help=f"fewest runs of each query on each "
                        f"server for its latency (default {MIN_RUNS}; fewer makes a million triples quicker)")
    parser.add_argument("--levers", action="store_true", help="instead of the comparison, measure the levers of "
                        "issue 10: the app under other WSGI servers, evaluation in the web process, the query "
                        "screen's cost, the hop to a worker (see benchmark/levers.py)")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="instead of the comparison: serve the "
                        "bundled graph under a steady mixed load for MINUTES and print, every interval, requests, "
                        "errors, p50/p99 latency, memory and file descriptors (see docs/reliability.md)")
    parser.add_argument("--soak-interval", type=float, default=60.0, metavar="SECONDS",
                        help="seconds between two rows of a soak run (default 60)")


def run(args) -> int:
    if args.soak is not None:
        from .soak import run_soak

        work = args.work_dir or Path(tempfile.mkdtemp(prefix="her2graph-soak-"))
        work.mkdir(parents=True, exist_ok=True)
        return run_soak(args.soak, work, args.soak_interval)
    settings = dict(sizes=args.sizes, seconds=args.seconds, latency_budget=LATENCY_BUDGET_SECONDS,
                    min_runs=max(1, args.latency_runs)) | (QUICK if args.quick else {})
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="her2graph-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"her2graph benchmark: working in {work}", flush=True)
    if args.levers:
        return _run_levers(work, settings)
    if args.startup:
        return _run_startup(work, settings["sizes"], written=False)
    results = []
    for size in settings["sizes"]:
        measured = measure_size(size, work, settings, args.keep_builds)
        print(size_report(measured), flush=True)
        results.append(measured)
        write_json(results, work / "results.json")
    print(targets_report(results), flush=True)
    if not args.quick:
        _run_startup(work, settings["sizes"], written=True)
    print(f"her2graph benchmark: figures in {work / 'results.json'}", flush=True)
    return 0


def _run_levers(work: Path, settings: dict) -> int:
    from .levers import levers_report, measure_levers

    for size in settings["sizes"]:
        _progress(size, "levers: the same app under other servers and engines, next to Oxigraph in memory")
        print(levers_report(measure_levers(size, work, settings, _data_folder)), flush=True)
    return 0


def measure_size(size: str, work: Path, settings: dict, keep_builds: bool) -> SizeMeasurements:
    root, source = _data_folder(size, work)
    cache, logs = work / "cache", work / "logs"
    logs.mkdir(exist_ok=True)
    queries = competency_queries(queries_dir(root))
    query_files = [queries_dir(root) / f"{query.name}.rq" for query in queries]
    build = cache / f"{input_digest(root)}.nq"
    measured = SizeMeasurements(size)
    if not keep_builds or not build.exists():
        build.unlink(missing_ok=True)
        _progress(size, "first start of her2graph: load, validate and build")
        cold = OurService(root, cache, logs / f"{size}-cold.log", source=source)
        measured.startup["her2graph ready (no build: load, validate, build)"] = cold.ready_seconds
        cold.stop()
    measured.quads = _count_lines(build)
    servers: dict[str, _Server] = {}
    try:
        _start_servers(servers, measured, root, source, build, work)
        measured.triples = _default_graph_size(servers[OURS_CACHED].url)
        _measure_latency(measured, servers, queries, settings)
        _measure_throughput(measured, servers, query_files, settings)
        measured.memory = {name: peak_resident_bytes(server.pid) for name, server in servers.items() if server.pid}
        measured.processes = memory_by_process(servers[OURS_CACHED].pid)
        measured.disagreements = _distinct_disagreements(queries, servers)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work / f"oxigraph-{size}", ignore_errors=True)
    measured.disagreements += _disagreements(measured.latency[OURS_UNCACHED], measured.latency[OXIGRAPH_MEMORY])
    return measured


@dataclass(frozen=True)
class _Server:
    url: str
    pid: int | None
    stop: Callable[[], None]


def _start_servers(servers: dict, measured: SizeMeasurements, root: Path, source, build: Path, work: Path) -> None:
    """Every server of the comparison, started one after another (each start timed alone), left running."""
    size, cache, logs = measured.size, work / "cache", work / "logs"
    _progress(size, "starting her2graph (cache on, then off) and Oxigraph (on disk, then in memory)")
    ours = OurService(root, cache, logs / f"{size}-cache-on.log", source=source)
    servers[OURS_CACHED] = _Server(ours.query_url, ours.process.pid, ours.stop)
    servers[NOOP] = _Server(ours.noop_url, None, lambda: None)
    measured.startup["her2graph ready (cached build)"] = ours.ready_seconds
    uncached = OurService(root, cache, logs / f"{size}-cache-off.log", answer_cache=False, source=source)
    servers[OURS_UNCACHED] = _Server(uncached.query_url, uncached.process.pid, uncached.stop)
    location = work / f"oxigraph-{size}"
    shutil.rmtree(location, ignore_errors=True)
    measured.startup["Oxigraph load on disk"] = load_into_directory(location, build)
    on_disk = OxigraphServer(location=location, read_only=True)
    servers[OXIGRAPH_DISK] = _Server(on_disk.query_url, on_disk.process.pid, on_disk.stop)
    measured.startup["Oxigraph ready on disk"] = on_disk.ready_seconds
    in_memory = OxigraphServer()
    servers[OXIGRAPH_MEMORY] = _Server(in_memory.query_url, in_memory.process.pid, in_memory.stop)
    measured.startup["Oxigraph ready in memory"] = in_memory.ready_seconds
    measured.startup["Oxigraph load in memory"] = post_dataset(in_memory.base, build)


def _measure_latency(measured: SizeMeasurements, servers: dict, queries, settings: dict) -> None:
    """Each query on every server in turn, so a change in the machine's load falls on all of them alike."""
    _progress(measured.size, "sequential latency, query by query, server by server")
    for query in queries:
        for name, server in servers.items():
            if name == NOOP and query is not queries[0]:
                continue  # the no-op's answer does not depend on the query: measured once
            measured.latency.setdefault(name, {})[query.name] = measure_latency(
                server.url, query.text, settings["latency_budget"], settings["min_runs"])


def _measure_throughput(measured: SizeMeasurements, servers: dict, query_files, settings: dict) -> None:
    """Throughput of both workloads in ROUNDS rounds, the servers in a rotating order, each round a share of
    the time: repeated queries on every server, distinct queries on ours (as deployed) and Oxigraph's."""
    _progress(measured.size, f"throughput, repeated and distinct queries, {ROUNDS} rounds over the servers")
    seconds = max(1.0, settings["seconds"] / ROUNDS)
    runs = [(name, False) for name in servers] + [(name, True) for name in DISTINCT_SERVERS if name in servers]
    rounds: dict[tuple, list] = {run: [] for run in runs}
    for number in range(ROUNDS):
        for name, distinct in runs[number % len(runs):] + runs[:number % len(runs)]:
            rounds[name, distinct].append(measure_throughput(servers[name].url, query_files, seconds,
                                                             distinct=distinct))
    measured.throughput = {name: combined(parts) for (name, distinct), parts in rounds.items() if not distinct}
    measured.distinct = {name: combined(parts) for (name, distinct), parts in rounds.items() if distinct}


def _distinct_disagreements(queries, servers: dict) -> list[str]:
    """Queries whose distinct variant (the workload's) is answered differently by us and by Oxigraph."""
    from .latency import measure_latency

    differ = []
    for number, query in enumerate(queries):
        text = distinct_variant(query.text, number)
        answers = [measure_latency(servers[name].url, text, 0.0, 1, max_runs=1) for name in (OURS_CACHED,
                                                                                             OXIGRAPH_MEMORY)]
        differ += [f"{query.name} (distinct)"] if _disagreements({query.name: answers[0]},
                                                                  {query.name: answers[1]}) else []
    return differ


def _run_startup(work: Path, sizes, written: bool) -> int:
    """The start-up table (benchmark/startup.py) of `sizes`; `written`: their data folders are there already."""
    from .startup import measure_startup, startup_report, write_startup_json

    results = []
    for size in sizes:
        _progress(size, "start-up: first start, from the cached build, after a one-file change")
        if written and SIZES[size] is not None:
            root, source = work / "data" / size, work / "data" / size / "source"
        else:
            root, source = _data_folder(size, work)
        results.append(measure_startup(size, root, source, work))
        write_startup_json(results, work / "startup.json")
    print(startup_report(results), flush=True)
    return 0


def _data_folder(size: str, work: Path) -> tuple[Path, Path | None]:
    if SIZES[size] is None:
        return data_root(), None
    folder = work / "data" / size
    _progress(size, f"writing a synthetic graph of about {SIZES[size]:,} triples")
    shutil.rmtree(folder, ignore_errors=True)
    return folder, write_synthetic_data(folder, SIZES[size])


def _default_graph_size(endpoint: str) -> int:
    import json
    import urllib.request

    request = urllib.request.Request(endpoint, data=b"SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                     headers={"Content-Type": "application/sparql-query"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def _disagreements(ours: dict, theirs: dict) -> list[str]:
    """Queries whose answers differ, rows compared as sets (GROUP_CONCAT's parts in any order)."""
    import json

    differ = []
    for name, answer in ours.items():
        mine, other = answer, theirs.get(name)
        if other is None or mine.status != 200 or other.status != 200 or \
                _rows(json.loads(mine.body)) != _rows(json.loads(other.body)):
            differ.append(name)
    return differ


def _rows(answer: dict) -> list:
    return sorted(sorted((name, term["type"], ", ".join(sorted(re.split(r", | or ", term["value"]))))
                         for name, term in row.items()) for row in answer["results"]["bindings"])


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _progress(size: str, step: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {size}: {step}", file=sys.stderr, flush=True)


def _sizes(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    unknown = [size for size in chosen if size not in SIZES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"sizes are {', '.join(SIZES)}; not {', '.join(unknown) or 'none'}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
