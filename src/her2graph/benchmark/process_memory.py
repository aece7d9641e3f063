"""How much memory a server took: the peak resident set (VmHWM, Linux /proc) of a process and its children."""
from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def peak_resident_bytes(pid: int) -> int | None:
    """The summed peak resident memory of `pid` and its living child processes; None off Linux."""
    if not PROC.is_dir():
        return None
    return sum(_peak(member) for member in [pid, *_children(pid)])


def _children(pid: int) -> list[int]:
    found = []
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _peak(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
