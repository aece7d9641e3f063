"""Faults of the query workers (issue 13, items 6 and 7), caused for real: kill -9 and SIGSTOP on the
processes, a build deleted from the cache folder under a running service."""
from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from her2graph.web.engine import EngineFailure, QueryEngine, QueryTimeout

ASK = "ASK {}"
TRUE = b'{"head":{},"boolean":true}'
WRITING_SYSCALLS = {"1", "20", "44", "46"}
"""write, writev, sendto, sendmsg (x86-64): a worker blocked in one of these is in the middle of its answer."""


def engine_processes() -> dict[int, int]:
    """Query-engine processes descending from this test process (not another service's): pid -> parent pid."""
    parents, commands = {}, {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parents[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(proc.name)] = (proc / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = {}, {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        found |= {pid: parents[pid] for pid in frontier if b"her2graph.web.engine" in commands.get(pid, b"")}
    return found


def state(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class FreshEngine:
    """A QueryEngine of its own, and the pids of its worker processes (those that answer queries)."""

    def __init__(self, dataset, **options):
        before = set(engine_processes())
        self.engine = QueryEngine.from_dataset(dataset, **options)
        self.ours = set(engine_processes()) - before

    def workers(self) -> list[int]:
        processes = engine_processes()
        ours = {pid for pid in processes if pid in self.ours or processes[pid] in self.ours}
        self.ours |= ours
        parents = {processes[pid] for pid in ours}
        return sorted(pid for pid in ours if pid not in parents and state(pid) not in ("Z", "gone"))

    def all_idle(self) -> bool:
        status = self.engine.status()
        return status["idle"] == status["workers"] == status["alive"]

    def ask(self) -> bytes:
        return self.engine.evaluate(self.engine.prepare(ASK)).body


@pytest.fixture
def two_workers(dataset):
    fresh = FreshEngine(dataset, workers=2, timeout=5)
    yield fresh
    fresh.engine.close()


def test_a_worker_killed_while_idle_does_not_fail_the_next_queries(two_workers):
    assert wait_until(two_workers.all_idle, 30)
    victim = two_workers.workers()[0]
    os.kill(victim, signal.SIGKILL)
    assert wait_until(lambda: state(victim) in ("Z", "gone"), 5)
    assert [two_workers.ask() for _ in range(4)] == [TRUE] * 4  # whichever worker each is given to
    assert wait_until(two_workers.all_idle, 30)
    assert victim not in two_workers.workers()


def test_the_health_check_sees_stopped_and_dead_idle_workers_and_replaces_them(two_workers):
    assert wait_until(two_workers.all_idle, 30)
    stopped, killed = two_workers.workers()
    os.kill(stopped, signal.SIGSTOP)
    os.kill(killed, signal.SIGKILL)
    try:
        assert wait_until(lambda: state(stopped) == "T" and state(killed) in ("Z", "gone"), 5)
        seen = two_workers.engine.status()
        assert (seen["alive"], seen["stopped"], seen["dead"]) == (0, 1, 1)
        assert wait_until(two_workers.all_idle, 30)
        assert two_workers.ask() == TRUE
        assert stopped not in two_workers.workers()
    finally:
        if state(stopped) not in ("Z", "gone"):
            os.kill(stopped, signal.SIGKILL)


def test_a_worker_stopped_mid_answer_costs_the_request_its_time_limit_not_more(dataset):
    # A few seconds on purpose: the answer must be large enough to be caught while it is being written,
    # and the time limit long enough for a loaded machine to have written part of it.
    limit = 6.0
    fresh = FreshEngine(dataset, workers=1, timeout=limit)
    big = fresh.engine.prepare("SELECT ?a ?c ?b ?d WHERE { ?a a ?c . ?b a ?d } LIMIT 250000")  # about 40 MB
    outcome: dict = {}

    def ask_for_the_big_answer():
        started = time.monotonic()
        try:
            fresh.engine.evaluate(big, capped=False)
            outcome["answered"] = True
        except QueryTimeout:
            outcome["timeout"] = time.monotonic() - started

    try:
        assert wait_until(fresh.all_idle, 30)
        (worker,) = fresh.workers()
        asking = threading.Thread(target=ask_for_the_big_answer, daemon=True)
        asking.start()
        if not wait_until(lambda: _syscalls(worker) & WRITING_SYSCALLS, limit - 0.5):
            pytest.skip("the worker was never caught writing its answer (machine too slow or too fast)")
        os.kill(worker, signal.SIGSTOP)
        asking.join(limit + 5)
        assert not asking.is_alive(), "the request hangs on a worker stopped in the middle of its answer"
        assert outcome.get("timeout", 0) <= limit + 1
        assert wait_until(fresh.all_idle, 30) and fresh.ask() == TRUE
    finally:
        if state(worker) not in ("Z", "gone"):
            os.kill(worker, signal.SIGKILL)  # lets a hung request end, so the test can fail rather than hang
        fresh.engine.close()


def test_a_worker_killed_mid_answer_fails_only_its_own_request_at_once(dataset):
    """kill -9 in the middle of a long query: that request fails at once as the engine's fault (not the
    client's, not the memory cap, which is told by SIGABRT) and the next query is answered."""
    fresh = FreshEngine(dataset, workers=1, timeout=60)
    slow = fresh.engine.prepare("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    outcome: dict = {}

    def ask_the_slow_query():
        started = time.monotonic()
        try:
            fresh.engine.evaluate(slow)
        except Exception as error:  # noqa: BLE001 - the test looks at which kind it was
            outcome["error"], outcome["seconds"] = error, time.monotonic() - started

    try:
        assert wait_until(fresh.all_idle, 30)
        (worker,) = fresh.workers()
        asking = threading.Thread(target=ask_the_slow_query, daemon=True)
        asking.start()
        assert wait_until(lambda: fresh.engine.status()["idle"] == 0, 5)
        time.sleep(0.3)
        os.kill(worker, signal.SIGKILL)
        asking.join(10)
        assert not asking.is_alive(), "the request waits on a worker that was killed"
        error = outcome.get("error")
        assert type(error) is EngineFailure and "stopped while answering" in str(error), outcome
        assert wait_until(fresh.all_idle, 30) and fresh.ask() == TRUE
    finally:
        fresh.engine.close()


def _syscalls(pid: int) -> set[str]:
    """The system calls the threads of `pid` are in (numbers), from /proc."""
    found = set()
    for task in (Path("/proc") / str(pid) / "task").glob("*"):
        try:
            found.add((task / "syscall").read_text().split()[0])
        except (OSError, IndexError):
            continue
    return found


@pytest.mark.parametrize("worker_store", ["disk", "memory"])
def test_the_service_survives_its_build_being_evicted_from_a_shared_cache_folder(tmp_path, worker_store):
    from her2graph.store_cache import built_store
    from service_process import ServiceProcess

    cache = tmp_path / "cache"
    cache.mkdir()
    build = built_store()  # the build of the shipped graph (made once per machine), copied: no validation here
    for part in build.nquads.parent.glob(f"{build.digest}.*"):
        (shutil.copytree if part.is_dir() else shutil.copy)(part, cache / part.name)
    running = ServiceProcess(env={"HER2GRAPH_CACHE_DIR": str(cache), "HER2GRAPH_WORKERS": "2",
                                  "HER2GRAPH_WORKER_STORE": worker_store,
                                  "HER2GRAPH_QUERY_TIMEOUT": "20"}, log_path=tmp_path / "serve.log")
    try:
        assert running.url, running.log
        asked = iter(range(1000))  # each query differs: none is answered from the answer cache

        def ask():
            return requests.post(running.url + "/sparql", data=f"ASK {{ FILTER({next(asked)} >= 0) }}",
                                 headers={"Content-Type": "application/sparql-query"}, timeout=30)

        assert ask().status_code == 200
        for evicted in cache.glob(f"{build.digest}.*"):  # what another service sharing the folder does when
            (shutil.rmtree if evicted.is_dir() else os.unlink)(evicted)  # it keeps only its newest builds
        killed = running.worker_pids()  # the store holder and every worker
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: not any(_running(pid) for pid in killed), 10)  # dead while idle, not later
        answers = [ask() for _ in range(3)]
        assert [answer.status_code for answer in answers] == [200] * 3, running.log
        assert wait_until(lambda: requests.get(running.url + "/health", timeout=5).status_code == 200, 30)
        assert "FileNotFoundError" not in running.log
    finally:
        running.stop()


def _running(pid: int) -> bool:
    """Whether `pid` exists and has not ended (a zombie has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def test_a_worker_whose_reads_made_the_store_its_own_copy_is_renewed_and_shares_it_again(tmp_path, monkeypatch):
    """Workers share the store holder's pages until a query touches them (Oxigraph counts references as it
    reads); a worker whose memory is more than RENEW_PRIVATE_SHARE its own is replaced by a fresh fork."""
    from her2graph.web import worker_pool
    from her2graph.web.worker_pool import _OWN, RENEW_PRIVATE_SHARE, _memory

    monkeypatch.setattr(worker_pool, "RENEW_CHECK_EVERY", 2)  # looked at after every second answer

    before = set(engine_processes())
    build = tmp_path / "build.nq"
    build.write_bytes(b"".join(b'<urn:x:s%d> <urn:x:p> "%d" .\n' % (number, number) for number in range(150_000)))
    engine = QueryEngine.from_build(build, workers=1, timeout=30)
    try:
        fresh = FreshEngine.__new__(FreshEngine)
        fresh.engine, fresh.ours = engine, set(engine_processes()) - before
        (first,) = fresh.workers()
        for scan in ("SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o . ?s ?p ?o }"):
            engine.evaluate(engine.prepare(scan))
        assert wait_until(fresh.all_idle, 30)
        (renewed,) = fresh.workers()
        assert renewed != first
        holder = _memory(engine._pool.holder_pid, (b"Rss:",))
        assert _memory(renewed, _OWN) < RENEW_PRIVATE_SHARE * holder
    finally:
        engine.close()
