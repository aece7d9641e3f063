"""The benchmark runs from its one command and prints its ratios (a smoke run: no timing is asserted)."""
from __future__ import annotations

import subprocess

from service_process import SCRIPT


def test_the_quick_benchmark_prints_throughput_latency_and_targets_as_ratios(tmp_path):
    done = subprocess.run([str(SCRIPT), "benchmark", "--quick", "--work-dir", str(tmp_path)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for server in ("her2graph, cache on", "her2graph, cache off", "Oxigraph server, on disk",
                   "Oxigraph server, in memory", "no-op (our HTTP stack)"):
        assert server in out
    assert "÷ Oxigraph disk" in out and "÷ no-op" in out and "p50/p99" in out
    assert "every query's rows are the same from her2graph and from Oxigraph" in out
    assert "== Targets" in out and (tmp_path / "results.json").exists()
    assert "distinct queries (every request differs: no cache can hit)" in out
    assert "shipped: distinct queries, throughput ≥ 0.5 × Oxigraph" in out
    assert "query worker" in out and "store holder" in out and "PSS" in out


def test_the_startup_benchmark_prints_its_table_and_the_incremental_start(tmp_path):
    """Three starts of the shipped graph (about 15 s): first, from the cached build, after a one-file change."""
    done = subprocess.run([str(SCRIPT), "benchmark", "--startup", "--sizes", "shipped", "--work-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (row,) = [line for line in done.stdout.splitlines() if line.startswith("shipped ")]
    assert "GiB" in row and "incrementally: the " in row
    assert "Targets at a million triples" in done.stdout and (tmp_path / "startup.json").exists()
