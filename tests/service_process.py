"""Running the real `her2graph serve` in a subprocess on a free loopback port, as a user (or CI) runs it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "her2graph"
START_SECONDS = 120


class ServiceProcess:
    """One `her2graph serve` process: its URL once it listens, its log, and a clean stop."""

    def __init__(self, *options: str, env: dict | None = None, data: Path | None = None, log_path: Path,
                 wrapper: tuple[str, ...] = ()):
        """`wrapper`: a command the service is run through (its arguments follow)."""
        arguments = [*wrapper, str(SCRIPT)] + (["--data", str(data)] if data else []) + ["serve", "--port", "0",
                                                                                          *options]
        self.log_path = log_path
        self._log = log_path.open("w")
        self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=self._log, text=True,
                                        env=os.environ | (env or {}))
        self.url = self._await_listening()

    def _await_listening(self) -> str | None:
        found: list[str] = []
        reader = threading.Thread(target=lambda: found.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_SECONDS)
        line = found[0] if found else ""
        if "listening on " not in line:
            return None
        return line.split("listening on ", 1)[1].split(" ", 1)[0].rstrip("/")

    @property
    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def stop(self, signum: int = signal.SIGTERM, seconds: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(seconds)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self._log.close()

    def worker_pids(self) -> list[int]:
        """The pids of this server's query processes (its descendants: the store holder and the workers
        forked from it), from /proc."""
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
        found, frontier = [], {self.process.pid}
        while frontier:
            children = {pid for pid, parent in parents.items() if parent in frontier}
            found += sorted(children)
            frontier = children
        return found


def wait_until(predicate, seconds: float = 10, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def copy_of_the_data(folder: Path) -> Path:
    """A writable copy of the bundled data folders (ontology, graph, shapes, queries) under `folder`."""
    import shutil

    from her2graph.locations import data_root

    root = folder / "data"
    for part in ("ontology", "graph", "shapes", "queries"):
        if (data_root() / part).exists():
            shutil.copytree(data_root() / part, root / part)
    return root


@contextmanager
def running_service(*options: str, **settings):
    """A ServiceProcess that listens, for the `with` block, stopped afterwards; the test fails with its log
    if it never starts listening."""
    running = ServiceProcess(*options, **settings)
    try:
        if running.url is None:
            pytest.fail(f"her2graph serve {' '.join(options)} did not start:\n{running.log}")
        yield running
    finally:
        running.stop()
