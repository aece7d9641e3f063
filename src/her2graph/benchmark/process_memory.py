"""How much memory a server takes: its processes' resident and proportional sets (Linux /proc).

A process's resident set (RSS) counts every page it maps, shared or not, so the RSS of processes that share
pages (workers forked from one store holder share its store) add up to more than the machine gives them.
The proportional set (PSS) divides each shared page among the processes sharing it: the PSS of a server's
processes add up to what the server really takes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessMemory:
    pid: int
    depth: int
    """0: the server's own process, 1: its children, 2: their children (with our service: the web process,
    the store holder, the workers)."""
    name: str
    """What the process is: its command line, shortened."""
    resident: int
    proportional: int
    peak_resident: int
    """Bytes: RSS, PSS and the peak RSS (VmHWM) so far."""


def peak_resident_bytes(pid: int) -> int | None:
    """The summed peak resident memory of `pid` and its living descendants; None off Linux."""
    if not PROC.is_dir():
        return None
    return sum(_status_bytes(member, "VmHWM:") for member, _ in [(pid, 0), *_descendants(pid)])


def memory_by_process(pid: int) -> list[ProcessMemory]:
    """RSS, PSS and peak RSS of `pid` and of each of its living descendants (empty off Linux)."""
    if not PROC.is_dir():
        return []
    return [ProcessMemory(member, depth, _name(member), _status_bytes(member, "VmRSS:"), _proportional(member),
                          _status_bytes(member, "VmHWM:")) for member, depth in [(pid, 0), *_descendants(pid)]]


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, depth) of every living descendant of `pid`, children first."""
    parents = {}
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier, depth = [], {pid}, 0
    while frontier:
        depth += 1
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found += [(child, depth) for child in sorted(frontier)]
    return found


def _status_bytes(pid: int, field: str) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _proportional(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _name(pid: int) -> str:
    try:
        words = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(Path(word.decode(errors="replace")).name if index == 0 else word.decode(errors="replace")
                    for index, word in enumerate(words[:4]) if word)[:60]
