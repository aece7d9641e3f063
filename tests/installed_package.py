"""her2graph as a user installs it: a real wheel built from this checkout and installed into a folder of its own.

The wheel is built once per test session (pip, with hatchling in an isolated build environment: about 20 s);
each use installs it (without dependencies: this interpreter's are used) into the folder given, and runs the
interpreter with that folder first on the path, so `import her2graph` finds the installed copy and its packed
data (her2graph/data), not the checkout.
"""
from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WHEELS = tempfile.TemporaryDirectory(prefix="her2graph-wheel-")


@functools.cache
def built_wheel() -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", _WHEELS.name, str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    return next(Path(_WHEELS.name).glob("her2graph-*.whl"))


@contextlib.contextmanager
def installed_package(site: Path):
    """(python, the installed package's folder) with the wheel installed into `site`."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(built_wheel())], check=True, capture_output=True, timeout=300)
    yield Path(sys.executable), site / "her2graph"


def installed_environment(site: Path) -> dict:
    """The environment that makes this interpreter import the installed copy first."""
    environment = {key: value for key, value in os.environ.items() if key != "HER2GRAPH_DATA"}
    return environment | {"PYTHONPATH": str(site)}

