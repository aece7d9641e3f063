"""`her2graph benchmark --soak`: the service under steady load reports its vital signs per interval
(robustness suite; a short run here, long runs in docs/reliability.md)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.robustness


def test_a_short_soak_reports_memory_descriptors_and_p99_per_interval_with_no_errors(tmp_path):
    script = Path(sys.executable).parent / "her2graph"
    done = subprocess.run([str(script), "benchmark", "--soak", "0.25", "--soak-interval", "5",
                           "--work-dir", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("interval"))
    assert all(column in header for column in ("p99 ms", "main MiB", "workers MiB", "fds"))
    rows = [line.split() for line in lines if line.strip()[:1].isdigit()]
    assert len(rows) == 3 and all(row[2] == "0" for row in rows)
    assert "0 errors; the service stayed up" in lines[-1]
