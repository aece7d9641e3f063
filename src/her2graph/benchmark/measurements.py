"""What one benchmark run measures for one graph size, and how the servers compare on it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .latency import Latency
from .process_memory import ProcessMemory
from .throughput import Throughput

OURS_CACHED, OURS_UNCACHED = "her2graph, cache on", "her2graph, cache off"
OXIGRAPH_DISK, OXIGRAPH_MEMORY = "Oxigraph server, on disk", "Oxigraph server, in memory"
NOOP = "no-op (our HTTP stack)"
SERVERS = (OURS_CACHED, OURS_UNCACHED, OXIGRAPH_DISK, OXIGRAPH_MEMORY, NOOP)
DISTINCT_SERVERS = (OURS_CACHED, OXIGRAPH_DISK, OXIGRAPH_MEMORY)
"""Servers given the distinct-query workload: ours as deployed (the answer cache on, and missing every time)."""


@dataclass
class SizeMeasurements:
    """Everything measured on one graph: start-up, throughput, latency per query, memory, answer checks."""

    size: str
    triples: int = 0
    """Triples of the default graph (the merge of the named graphs), as the service counts them."""
    quads: int = 0
    """Quads of the build every server loads (named graphs and the merge)."""
    startup: dict[str, float | None] = field(default_factory=dict)
    throughput: dict[str, Throughput] = field(default_factory=dict)
    """The repeated-query workload: the competency queries in turn, again and again."""
    distinct: dict[str, Throughput] = field(default_factory=dict)
    """The distinct-query workload: every request differs from every other (no cache can hit)."""
    processes: list[ProcessMemory] = field(default_factory=list)
    """Our service's processes (web, store holder, workers) at the end of the measurements."""
    latency: dict[str, dict[str, Latency]] = field(default_factory=dict)
    memory: dict[str, int | None] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)
    """Queries whose answers differ between our service and Oxigraph's (none, in a sound run)."""

    def rate(self, server: str) -> float:
        measured = self.throughput.get(server)
        return measured.requests_per_second if measured else float("nan")

    def ratio(self, server: str, to: str) -> float:
        return self.rate(server) / self.rate(to) if self.rate(to) else float("nan")

    def distinct_ratio(self, server: str, to: str) -> float:
        ours, theirs = self.distinct.get(server), self.distinct.get(to)
        return ours.requests_per_second / theirs.requests_per_second if ours and theirs and \
            theirs.requests_per_second else float("nan")

    def distinct_p99_ratio(self, server: str, to: str) -> float:
        ours, theirs = self.distinct.get(server), self.distinct.get(to)
        return ours.p99 / theirs.p99 if ours and theirs and ours.p99 and theirs.p99 else float("nan")

    def as_json(self) -> dict:
        return {
            "size": self.size, "triples": self.triples, "quads": self.quads, "startup_seconds": self.startup,
            "throughput": {name: vars(value) for name, value in self.throughput.items()},
            "distinct_throughput": {name: vars(value) for name, value in self.distinct.items()},
            "our_processes": [vars(process) for process in self.processes],
            "latency_seconds": {server: {query: {"p50": value.p50, "p99": value.p99, "runs": value.runs}
                                         for query, value in queries.items()}
                                for server, queries in self.latency.items()},
            "peak_memory_bytes": self.memory, "disagreements": self.disagreements,
        }


def write_json(measurements: list[SizeMeasurements], path) -> None:
    path.write_text(json.dumps([size.as_json() for size in measurements], indent=2) + "\n")
