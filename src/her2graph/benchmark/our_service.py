"""Our service as the benchmark runs it: `her2graph serve` in a subprocess on a free loopback port.

Every answer must be complete for the comparison to be fair, so the row cap and the time limit are raised
(BENCHMARK_LIMITS) and the workers get room for a million triples; everything else is as deployed: two
workers, the request log (written to a file), the answer cache on unless asked off. The no-op endpoint is
switched on, so the HTTP stack's ceiling is measured on the very process that serves the queries.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

START_SECONDS = 7200  # a first start at a million triples loads and validates with rdflib and pySHACL
BENCHMARK_LIMITS = {"HER2GRAPH_MAX_ROWS": "10000000", "HER2GRAPH_QUERY_TIMEOUT": "300",
                    "HER2GRAPH_WORKER_MEMORY_MB": "16384", "HER2GRAPH_NOOP_ENDPOINT": "1"}
"""Environment of the benchmarked service: complete answers (no 422, no 503) at every size."""
READY_QUERY = b"ASK {}"


class OurService:
    """One running `her2graph serve`: its base URL, process, start-up time and log."""

    def __init__(self, data: Path, cache_dir: Path, log_path: Path, answer_cache: bool = True,
                 source: Path | None = None):
        environment = os.environ | BENCHMARK_LIMITS | {"HER2GRAPH_CACHE_DIR": str(cache_dir)}
        if not answer_cache:
            environment["HER2GRAPH_NO_CACHE"] = "1"
        if source is not None:
            environment["HER2GRAPH_SOURCE"] = str(source)
        self.log_path = log_path
        self._log = log_path.open("w")
        started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "her2graph.cli", "--data", str(data), "serve",
                                         "--port", "0"], stdout=subprocess.PIPE, stderr=self._log, text=True,
                                        env=environment)
        self.base = self._await_listening()
        _wait_until_answering(self.base + "/sparql", self.process)
        self.ready_seconds = time.perf_counter() - started

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def noop_url(self) -> str:
        return self.base + "/benchmark/noop"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def _await_listening(self) -> str:
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_SECONDS)
        if not line or "listening on " not in line[0]:
            self.stop()
            raise RuntimeError(f"her2graph serve did not start; its log:\n{self.log_path.read_text()[-3000:]}")
        return line[0].split("listening on ", 1)[1].split(" ", 1)[0].rstrip("/")


def _wait_until_answering(endpoint: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        request = urllib.request.Request(endpoint, data=READY_QUERY,
                                         headers={"Content-Type": "application/sparql-query"})
        try:
            urllib.request.urlopen(request, timeout=5).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"her2graph serve listens but does not answer at {endpoint}")
