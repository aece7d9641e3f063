"""A real Virtuoso (Debian's virtuoso-opensource: `virtuoso-t`) on free loopback ports, for tests.

Each server gets a new database in a temporary folder of its own, configured by tests/virtuoso.ini (paths and
ports filled in). Once its SPARQL endpoint answers, the `dba` password is changed with `isql-vt` to a random
one: writes then need it, over HTTP Digest at /sparql-graph-crud-auth (Graph Store Protocol), while /sparql,
used as the anonymous SPARQL user, may only read. Creating the database costs Virtuoso about 5 s of CPU; the
wait is bounded by START_SECONDS, and the process is stopped (SIGTERM, then SIGKILL) and the folder removed
at the end.
"""
from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template

from oxigraph_server import free_port

INI_TEMPLATE = Path(__file__).with_name("virtuoso.ini")
START_SECONDS = 120
"""Longest wait for a new database to answer (about 5 s alone; much longer on a loaded machine)."""
STOP_SECONDS = 15
USER = "dba"
FIRST_PASSWORD = "dba"
"""What a new Virtuoso database starts with, and what the tests change at once."""


class VirtuosoUnavailable(RuntimeError):
    """virtuoso-t or isql-vt is not installed."""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL and the credentials that may write."""

    base: str
    user: str
    password: str

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def graph_store_url(self) -> str:
        return self.base + "/sparql-graph-crud-auth"


def virtuoso_binaries() -> tuple[str, str]:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        raise VirtuosoUnavailable("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource; "
                                  "`python3 dev.py test` installs it when it may)")
    return server, isql


@contextmanager
def running_virtuoso():
    """Yield a Virtuoso with a new, empty database; stop it and remove its folder afterwards."""
    server, isql = virtuoso_binaries()
    folder = Path(tempfile.mkdtemp(prefix="her2graph-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(Template(INI_TEMPLATE.read_text()).substitute(folder=folder, sql_port=sql_port,
                                                                 http_port=http_port))
    log = (folder / "console.log").open("wb")
    process = subprocess.Popen([server, "+configfile", str(ini), "+foreground"], cwd=folder,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}"
        _wait_until_up(base, process, folder)
        password = secrets.token_urlsafe(12)
        _set_password(isql, sql_port, password)
        yield Virtuoso(base, USER, password)
    finally:
        _stop(process)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_up(base: str, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited ({process.returncode}):\n{_console(folder)}")
        try:
            urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Virtuoso did not answer at {base} within {START_SECONDS} s:\n{_console(folder)}")


def _set_password(isql: str, sql_port: int, password: str) -> None:
    done = subprocess.run([isql, f"127.0.0.1:{sql_port}", USER, FIRST_PASSWORD,
                           f'exec=set password "{FIRST_PASSWORD}" "{password}";'],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt could not change the dba password: {done.stdout}{done.stderr}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _console(folder: Path) -> str:
    path = folder / "console.log"
    return path.read_text(errors="replace")[-3000:] if path.exists() else ""
