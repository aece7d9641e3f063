"""Start-up and validation: how long `her2graph serve` takes to be ready, and how much memory it takes, on a
first start (load, validate, build), from its cached build, and after a change of one data file (validated
incrementally); issue 10's targets at a million triples marked held or not.

Each start is of the real command, timed from its launch to its first answer (our_service.OurService), in a
cache folder of its own. Memory is the peak, over the start, of the proportional set size (PSS) of the
service's processes together, sampled every 0.1 s: PSS counts a page the worker processes share once. With
the workers on the build's on-disk store (the default), the store's pages they read are in the page cache,
in no process's PSS: the table gives the store's size on disk beside it.
"""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..web.engine import WORKER_STORE
from .our_service import OurService

FIRST_START_SECONDS = 60.0
CACHED_START_SECONDS = 5.0
PEAK_MEMORY_BYTES = 3 * 1024 ** 3
TARGET_SIZE = "1m"
EDITED_FILES = ("graph/facts/synthetic.ttl", "graph/facts/her2-resistance-review.ttl")
"""The file a one-file change edits: the synthetic facts, or the shipped review's facts."""
EDIT = ('\n<https://w3id.org/her2graph/resource/benchmark-edit> '
        '<http://www.w3.org/2000/01/rdf-schema#seeAlso> <{node}> .\n')
SAMPLE_SECONDS = 0.1


@dataclass
class StartupMeasurements:
    """One size's starts: seconds to ready, peak memory, and what the change start validated."""

    size: str
    first_start: float = 0.0
    first_start_peak: int = 0
    first_start_cpu: float = 0.0
    cached_start: float = 0.0
    cached_start_peak: int = 0
    cached_start_cpu: float = 0.0
    changed_start: float = 0.0
    changed_start_cpu: float = 0.0
    changed_validated: str = ""
    store_bytes: int = 0
    """Size of the build's on-disk store (what the workers share through the page cache)."""
    worker_store: str = ""
    notes: list[str] = field(default_factory=list)


def measure_startup(size: str, root: Path, source: Path | None, work: Path) -> StartupMeasurements:
    """Three starts of the service on the data folder `root`: cold, from the cached build, and after a change
    of one file (then undone)."""
    measured = StartupMeasurements(size, worker_store=os.environ.get("HER2GRAPH_WORKER_STORE", WORKER_STORE))
    cache, logs = work / f"startup-cache-{size}", work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if cache.exists():
        for part in cache.glob("**/*"):
            if part.is_file():
                part.unlink()
    for name in ("first", "cached"):
        seconds, peak, cpu, _ = _timed_start(root, cache, logs / f"{size}-startup-{name}.log", source)
        setattr(measured, f"{name}_start", seconds)
        setattr(measured, f"{name}_start_peak", peak)
        setattr(measured, f"{name}_start_cpu", cpu)
    measured.store_bytes = sum(part.stat().st_size for part in cache.glob("*.store/*"))
    edited = next(root / name for name in EDITED_FILES if (root / name).exists())
    original = edited.read_bytes()
    try:
        edited.write_bytes(original + EDIT.format(node=_first_subject(edited)).encode())
        seconds, _, cpu, log = _timed_start(root, cache, logs / f"{size}-startup-changed.log", source)
        measured.changed_start, measured.changed_start_cpu = seconds, cpu
        measured.changed_validated = _validated(log)
    finally:
        edited.write_bytes(original)
    return measured


def startup_report(results: list[StartupMeasurements]) -> str:
    """The start-up table, with the targets at a million triples."""
    lines = ["", "Start-up and validation (her2graph serve, to its first answer)", "",
             "Seconds to ready (CPU seconds of the service's processes in brackets: the machine's other load",
             "stretches the first, not the second), and the peak PSS of the service's processes; the workers",
             f"read the graph from: {', '.join(sorted({m.worker_store for m in results}))} (HER2GRAPH_WORKER_STORE; "
             "on disk, the store's pages are in the page cache, in no PSS: its size is given).", "",
             f"{'graph':8} {'first start':>18} {'peak memory':>12} {'cached build':>17} {'peak memory':>12} "
             f"{'store on disk':>13} {'one-file change':>18}  validated after the change"]
    for measured in results:
        lines.append(f"{measured.size:8} {measured.first_start:8.1f}s ({measured.first_start_cpu:5.1f}s) "
                     f"{_gib(measured.first_start_peak):>12} {measured.cached_start:7.2f}s ({measured.cached_start_cpu:5.1f}s) "
                     f"{_gib(measured.cached_start_peak):>12} {_gib(measured.store_bytes):>13} "
                     f"{measured.changed_start:8.1f}s ({measured.changed_start_cpu:5.1f}s)"
                     f"  {measured.changed_validated}")
    target = next((measured for measured in results if measured.size == TARGET_SIZE), None)
    lines += ["", "Targets at a million triples (issue 10; wall clock, which the machine's other load stretches, "
              "CPU seconds in brackets):"]
    if target is None:
        lines.append("  not measured (run with --sizes 1m)")
        return "\n".join(lines)
    lines += [
        _held(f"validated and ready on a first start ≤ {FIRST_START_SECONDS:g} s", target.first_start,
              target.first_start <= FIRST_START_SECONDS, f"s ({target.first_start_cpu:.1f} CPU-s)"),
        _held(f"ready from the cached build ≤ {CACHED_START_SECONDS:g} s", target.cached_start,
              target.cached_start <= CACHED_START_SECONDS, f"s ({target.cached_start_cpu:.1f} CPU-s)"),
        _held("peak memory ≤ 3 GiB", max(target.first_start_peak, target.cached_start_peak) / 1024 ** 3,
              max(target.first_start_peak, target.cached_start_peak) <= PEAK_MEMORY_BYTES, "GiB"),
        _held("a one-file change is validated incrementally", target.changed_start,
              target.changed_validated.startswith("incrementally"), "s to ready"),
    ]
    return "\n".join(lines)


def write_startup_json(results: list[StartupMeasurements], path: Path) -> None:
    path.write_text(json.dumps([asdict(measured) for measured in results], indent=1))


def _timed_start(root: Path, cache: Path, log: Path, source: Path | None) -> tuple[float, int, float, str]:
    sampler = _Sampler()
    sampler.start()
    try:
        service = OurService(root, cache, log, source=source)
    finally:
        sampler.stop()
    service.stop()
    return service.ready_seconds, sampler.peak, sum(sampler.cpu.values()), log.read_text()


class _Sampler(threading.Thread):
    """Samples this process's descendants until stopped: the peak of their summed PSS, and the CPU time each
    had used when last seen."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self._stopping = threading.Event()

    def run(self):
        import os

        while True:
            pids = _descendants(os.getpid())
            self.peak = max(self.peak, sum(_pss(pid) for pid in pids))
            self.cpu.update({pid: _cpu_seconds(pid) or self.cpu.get(pid, 0.0) for pid in pids})
            if self._stopping.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def _cpu_seconds(pid: int) -> float:
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(parents.get(child, []))
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _first_subject(path: Path) -> str:
    """An IRI the file states something about: the edit links to it, so its neighbourhood is validated."""
    import pyoxigraph

    for triple in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
        if isinstance(triple.subject, pyoxigraph.NamedNode):
            return triple.subject.value
    raise RuntimeError(f"{path} states nothing about an IRI")


def _validated(log: str) -> str:
    marker = "(validated "
    line = next((line for line in log.splitlines() if marker in line), "")
    return line.split(marker, 1)[1].rstrip(")") if line else "(not said)"


def _gib(count: int) -> str:
    return f"{count / 1024 ** 3:.2f} GiB" if count else "-"


def _held(target: str, figure: float, held: bool, unit: str) -> str:
    return f"  {target}: {figure:.2f} {unit}: {'held' if held else 'NOT held'}"
