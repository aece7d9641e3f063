"""What one benchmark run measures for one graph size, and how the servers compare on it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .latency import Latency
from .throughput import Throughput

OURS_CACHED, OURS_UNCACHED = "her2graph, cache on", "her2graph, cache off"
OXIGRAPH_DISK, OXIGRAPH_MEMORY = "Oxigraph server, on disk", "Oxigraph server, in memory"
NOOP = "no-op (our HTTP stack)"
SERVERS = (OURS_CACHED, OURS_UNCACHED, OXIGRAPH_DISK, OXIGRAPH_MEMORY, NOOP)


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
    latency: dict[str, dict[str, Latency]] = field(default_factory=dict)
    memory: dict[str, int | None] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)
    """Queries whose answers differ between our service and Oxigraph's (none, in a sound run)."""

    def rate(self, server: str) -> float:
        measured = self.throughput.get(server)
        return measured.requests_per_second if measured else float("nan")

    def ratio(self, server: str, to: str) -> float:
        return self.rate(server) / self.rate(to) if self.rate(to) else float("nan")

    def as_json(self) -> dict:
        return {
            "size": self.size, "triples": self.triples, "quads": self.quads, "startup_seconds": self.startup,
            "throughput": {name: vars(value) for name, value in self.throughput.items()},
            "latency_seconds": {server: {query: {"p50": value.p50, "p99": value.p99, "runs": value.runs}
                                         for query, value in queries.items()}
                                for server, queries in self.latency.items()},
            "peak_memory_bytes": self.memory, "disagreements": self.disagreements,
        }


def write_json(measurements: list[SizeMeasurements], path) -> None:
    path.write_text(json.dumps([size.as_json() for size in measurements], indent=2) + "\n")
