"""Oxigraph's own server (the `oxigraph` binary of the PyPI package) as a process on a free loopback port.

Used by the benchmark (the store we compare with, on disk and in memory) and by the tests (a real SPARQL
store for `push` and `serve --store`). `oxigraph serve` without a location keeps its store in memory;
`serve-read-only --location DIR` serves a store written before by `oxigraph load`.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The server binary: beside this Python (a virtual environment), else on PATH."""
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """One running Oxigraph server: its base URL, its process, and how long it took to answer."""

    def __init__(self, *extra_args: str, location: Path | None = None, read_only: bool = False):
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph server binary is not installed (pip install oxigraph)")
        port = free_port()
        command = "serve-read-only" if read_only else "serve"
        where = ["--location", str(location)] if location is not None else []
        started = time.perf_counter()
        self._log = tempfile.TemporaryFile()  # a file, not a pipe: a chatty server never blocks on it
        self.process = subprocess.Popen([binary, command, *where, "--bind", f"127.0.0.1:{port}", *extra_args],
                                        stdout=subprocess.DEVNULL, stderr=self._log)
        self.base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(self.base, self.process, self._log)
        except BaseException:
            self.stop()
            raise
        self.ready_seconds = time.perf_counter() - started

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@contextmanager
def running_oxigraph(*extra_args: str, location: Path | None = None, read_only: bool = False):
    """Yield the base URL of an Oxigraph server (in memory unless given a location); stop it afterwards."""
    server = OxigraphServer(*extra_args, location=location, read_only=read_only)
    try:
        yield server.base
    finally:
        server.stop()


def load_into_directory(location: Path, nquads: Path) -> float:
    """`oxigraph load` an N-Quads file into an on-disk store; returns the seconds it took."""
    started = time.perf_counter()
    done = subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(nquads)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"oxigraph load failed: {done.stderr.strip()}")
    return time.perf_counter() - started


def post_dataset(base: str, nquads: Path, timeout: float = 3600) -> float:
    """Load an N-Quads file into a running server (Graph Store Protocol POST of a dataset); returns seconds."""
    started = time.perf_counter()
    with nquads.open("rb") as body:
        request = urllib.request.Request(f"{base}/store", data=body, method="POST",
                                         headers={"Content-Type": "application/n-quads",
                                                  "Content-Length": str(nquads.stat().st_size)})
        urllib.request.urlopen(request, timeout=timeout).close()
    return time.perf_counter() - started


def _wait_until_up(base: str, process: subprocess.Popen, log, seconds: float = START_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"oxigraph exited: {log.read().decode(errors='replace')}")
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"oxigraph did not answer at {base} within {seconds} s")
