#!/usr/bin/env python3
"""The project's two set-up commands, runnable with nothing but Python 3.11+.

    python3 dev.py serve [serve options]   # the SPARQL service on the bundled graph
    python3 dev.py test  [pytest options]  # lint (ruff, mypy), then the whole test suite, with coverage
    python3 dev.py test --fast [options]   # lint, then the in-process tests only (no JVM, browser, server),
                                           # without coverage

Each makes (or refreshes) a virtual environment in .venv, installs the project into it, and, for the
tests, the Debian packages the tests drive (Java for HermiT and the OWL API, Graphviz for the DOT export,
Chromium for the query page, wrk for the benchmark, Virtuoso for push and serve --store)
when the machine lacks them and we may install them. Standard library only: it runs before anything
is installed.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".her2graph-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")

# Debian packages the tests use, keyed by the command that shows they are present.
TEST_SYSTEM_PACKAGES = {
    "java": ["default-jre-headless"],
    "javac": ["default-jdk-headless"],  # the OWL API check runs a single-file Java program: needs the compiler
    "dot": ["graphviz"],                # DOT export is checked by Graphviz, which also draws docs/overview.svg
    "chromium": ["chromium"],
    "chromedriver": ["chromium-driver"],
    "wrk": ["wrk"],                     # the benchmark's load generator (her2graph benchmark; a test runs it)
    # Virtuoso for push and serve --store (tests/test_virtuoso.py): virtuoso-t and isql-vt only, not the
    # virtuoso-opensource package around them, which also sets up and starts a system database service
    "virtuoso-t": ["virtuoso-opensource-7-bin"],
}
OWLAPI_JAR_DIR = Path("/usr/share/java")
OWLAPI_PACKAGE = "libowlapi-java"


def _installed_extras() -> set[str] | None:
    """The extras installed from the current pyproject.toml, or None when .venv is stale or absent."""
    if not STAMP.exists():
        return None
    digest, _, extras = STAMP.read_text().partition(" ")
    if digest != hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest():
        return None
    return set(filter(None, extras.split(",")))


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project with `extras`, unless such an install is already there."""
    installed = _installed_extras()
    if installed is not None and set(filter(None, [extras])) <= installed:
        return
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    target = f".[{extras}]" if extras else "."
    print(f"dev.py: installing {target} into .venv", flush=True)
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", target], check=True, cwd=ROOT)
    STAMP.write_text(hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest() + " " + extras)


def _missing_system_packages() -> list[str]:
    missing = [pkg for cmd, pkgs in TEST_SYSTEM_PACKAGES.items() if shutil.which(cmd) is None for pkg in pkgs]
    if not list(OWLAPI_JAR_DIR.glob("owlapi*.jar")):
        missing.append(OWLAPI_PACKAGE)
    return missing


def ensure_system_packages() -> None:
    """Install the Debian packages the tests drive, when missing and when this user may install them."""
    missing = _missing_system_packages()
    if not missing:
        return
    can_install = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_install:
        print(f"dev.py: not installing {', '.join(missing)} (needs root and apt-get); "
              "tests that need them will be skipped with a reason", flush=True)
        return
    print(f"dev.py: installing {', '.join(missing)} with apt-get", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def serve(command: list[str]) -> int:
    """Run the service and let it stop cleanly: Ctrl-C reaches it from the terminal (same process group),
    so this process ignores SIGINT rather than kill it; a SIGTERM sent here is passed on to it."""
    child = subprocess.Popen(command, cwd=ROOT)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
    return child.wait()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "serve":
        ensure_venv("")
        return serve([str(BIN / "her2graph"), "serve", *rest])
    ensure_venv("test")
    fast = "--fast" in rest
    rest = [arg for arg in rest if arg != "--fast"]
    if not fast:
        ensure_system_packages()
    lint = lint_problems()
    if lint:
        return lint
    # the fast tier skips coverage, whose tracing costs more than the quick check is worth
    measured = not fast and not {"--co", "--collect-only"} & set(rest)
    selection = ["-m", "not slow"] if fast else []
    code = subprocess.call([str(BIN / "python"), "-m", "pytest", *selection, *(COVERAGE if measured else []), *rest],
                           cwd=ROOT)
    if measured:
        report_coverage()
    return code


# Coverage of the package by the tests that run in pytest's own process (a server or a CLI run as a
# subprocess is not measured): a summary line, no threshold.
COVERAGE = ["--cov=her2graph", "--cov-report="]


def lint_problems() -> int:
    """Run ruff and mypy as pyproject.toml configures them; their exit code when either finds a problem, else 0."""
    for name, command in (("ruff", [str(BIN / "ruff"), "check", "--quiet"]), ("mypy", [str(BIN / "mypy")])):
        code = subprocess.call(command, cwd=ROOT)
        if code:
            print(f"dev.py: {name} found problems (above); fix them, or see [tool.{name}] in pyproject.toml",
                  file=sys.stderr, flush=True)
            return code
    return 0


def report_coverage() -> None:
    if (ROOT / ".coverage").exists():
        total = subprocess.run([str(BIN / "python"), "-m", "coverage", "report", "--format=total"], cwd=ROOT,
                               capture_output=True, text=True)
        if total.returncode == 0:
            print(f"dev.py: coverage of src/her2graph by the in-process tests: {total.stdout.strip()}%", flush=True)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        print(f"dev.py: set-up step failed (exit {error.returncode}): {' '.join(map(str, error.cmd))}", file=sys.stderr)
        sys.exit(error.returncode or 1)
