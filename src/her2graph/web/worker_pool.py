"""The processes that evaluate queries: one store holder that leaves the network and caps memory, and workers
forked from it.

Neither Oxigraph nor rdflib can cancel a CPU-bound query from inside, so queries run in worker processes
that can be killed. The workers are forked from a *store holder*: a fresh interpreter (not a fork of the
web process, which has threads) that leaves the network, caps its address space, and then only forks. The
data comes one of two ways:

- an on-disk Oxigraph store (a folder): the holder does not open it (RocksDB starts threads, and a process
  with threads must not fork); each worker opens it read-only just after its fork, in milliseconds. The
  workers share its pages through the operating system's page cache, for as long as they run. The folder
  is the caller's own (store_cache.serving_copy: hard links), so another service evicting the build from a
  shared cache folder takes nothing from it;
- N-Quads (a file, or bytes): the holder loads them into an in-memory store once, and every worker shares
  its copy-on-write pages (see WorkerPool for how long). The file is held open by the web process from the
  start, so a holder that must be restarted reads the same data even after another service sharing the
  cache folder deleted the file.

Either way a replacement worker is ready in milliseconds, without reading the build again.

Messages are pickled tuples framed by an 8-byte length, on a socket pair per worker. Every wait of the web
process on a worker has a deadline: the time limit covers sending the job and reading the whole answer, so
a worker that stops mid-answer (SIGSTOP, a page fault storm) costs the request its time limit, never more.
A worker is checked before each job and by the health check: one found dead or stopped while idle is
replaced and the job goes to another, so it never fails a query it was not answering.

A worker that ends while answering is told apart by how it ended: one that aborted (SIGABRT) had an
allocation fail at the memory cap (Oxigraph, in Rust, aborts then; Python's own MemoryError is answered as
a reply). The web process reads that from /proc/PID/stat (the exit code field), which is there until the
worker is reaped: the store holder, the workers' parent, reaps only when the web process asks it for a
worker, under the same lock the web process holds while reading it.
"""
from __future__ import annotations

import ctypes
import logging
import os
import pickle
import queue
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("her2graph.engine")

WORKER_STACK_BYTES = 256 * 1024 * 1024
"""Stack of the thread that runs queries in a worker: deep queries need far more than the 8 MiB default."""
HOLDER_START_SECONDS = 600
"""How long the store holder may take to be ready: with an in-memory store, to load it (a million triples: 10 to
13 CPU-seconds, several times that on a loaded machine); with an on-disk store it loads nothing (milliseconds)."""
FORK_SECONDS = 30
RENEW_CHECK_EVERY = 32
"""A worker's own memory is looked at after every this many answers (reading it costs about a millisecond
with a million triples)."""
RENEW_PRIVATE_SHARE = 1 / 3
"""A worker whose own (unshared) memory passes this share of the store holder's resident memory (the store,
and the interpreter) is renewed: see WorkerPool. A fresh fork's own memory is a few MiB."""
_HEADER = struct.Struct("!Q")
_JOINED_BELOW = 64 * 1024


class WorkerFailure(Exception):
    """The store holder could not start, or could not give a worker."""


class WorkersBusy(Exception):
    """No worker became idle within the wait."""


class WorkerStopped(Exception):
    """The worker answering a job closed its connection (it crashed or was killed)."""


class WorkerOutOfMemory(WorkerStopped):
    """The worker answering a job aborted (SIGABRT), as it does when an allocation fails at its memory cap."""


# ---------------------------------------------------------------- messages

def send_message(sock: socket.socket, message, deadline: float | None = None) -> None:
    """Pickle `message` and write it, framed; past `deadline` (time.monotonic()) raise TimeoutError."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    header = _HEADER.pack(len(payload))
    _set_deadline(sock, deadline)
    if len(payload) < _JOINED_BELOW:  # one write for the usual small message
        sock.sendall(header + payload)
        return
    sock.sendall(header)
    _set_deadline(sock, deadline)
    sock.sendall(payload)


def receive_message(sock: socket.socket, deadline: float | None = None):
    """The next message; EOFError if the other end closed; TimeoutError past `deadline`."""
    (length,) = _HEADER.unpack(_receive_exactly(sock, _HEADER.size, deadline))
    return pickle.loads(_receive_exactly(sock, length, deadline))


def _receive_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = 0
    while received < size:
        _set_deadline(sock, deadline)
        count = sock.recv_into(view[received:])
        if count == 0:
            raise EOFError("the other end closed the connection")
        received += count
    return buffer


def _set_deadline(sock: socket.socket, deadline: float | None) -> None:
    if deadline is None:
        sock.settimeout(None)
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("the deadline has passed")
    sock.settimeout(remaining)


# ---------------------------------------------------------------- the web process's side

@dataclass(eq=False)
class _Worker:
    pid: int
    pidfd: int | None
    """Readable once the process has ended (Linux 5.3+; None elsewhere)."""
    stat_fd: int | None
    """/proc/PID/stat, kept open: read again at offset 0 it tells the state for a few µs, not an open's 30."""
    sock: socket.socket
    answers: int = 0

    def state(self) -> str:
        """"running", "stopped" (SIGSTOP, a debugger) or "dead"."""
        if self.pidfd is not None and select.select([self.pidfd], [], [], 0)[0]:
            return "dead"
        if self.stat_fd is None:
            return "running" if self.pidfd is not None or _exists(self.pid) else "dead"
        try:
            code = os.pread(self.stat_fd, 512, 0).rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            return "dead"
        return {b"T": "stopped", b"t": "stopped", b"Z": "dead", b"X": "dead"}.get(code, "running")

    def ending_signal(self) -> int | None:
        """The signal that ended this worker, read while it is unreaped; None if it exited or is not known."""
        if self.stat_fd is None:
            return None
        try:
            code = int(os.pread(self.stat_fd, 1024, 0).rsplit(b")", 1)[1].split()[49])  # field 52: exit_code
        except (OSError, IndexError, ValueError):  # reaped already, or a kernel before 3.5
            return None
        return code & 0x7F or None  # as waitpid(2) reports it: the signal in the low 7 bits, 0x80 a core dump

    def idle_and_sound(self) -> bool:
        """Whether this idle worker can take a job: running, and nothing (an EOF) waiting on its socket."""
        return self.state() == "running" and not select.select([self.sock], [], [], 0)[0]

    def kill(self) -> None:
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self.sock.close()
        for fd in (self.pidfd, self.stat_fd):
            if fd is not None:
                os.close(fd)
        self.pidfd = self.stat_fd = None


class WorkerPool:
    """`size` workers forked from one store holder; a worker that is stopped or dies is replaced.

    Workers over an on-disk store share it through the page cache and are never renewed. Over an in-memory
    store, the workers share the holder's pages only until they write to them, and Oxigraph's in-memory store
    writes as it reads (reference counts of the entries a query walks), so a page a query touched becomes
    the worker's own copy: after a scan of the whole store a worker holds most of it again. So a worker
    whose own memory passes RENEW_PRIVATE_SHARE of the holder's is renewed after its answer: a fresh fork
    (milliseconds) that shares everything again, while the answer goes out as usual. The service so takes
    about one store (the holder's) and a third of one per worker at most, where it took one per worker.
    """

    def __init__(self, data: bytes | Path, size: int, memory_mb: int | None, module: str):
        if size < 1:
            raise ValueError("a query engine needs at least one worker")
        self._on_disk = isinstance(data, Path) and data.is_dir()
        """Workers open an on-disk store: sharing through the page cache does not wear off, no renewal."""
        self._data = data if isinstance(data, bytes) or self._on_disk else open(data, "rb")  # held: see above
        self._memory_mb = memory_mb
        self._module = module
        self._size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._holder_lock = threading.Lock()
        self._closed = False
        self.isolated = True
        self._holder: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._start_holder()
        for _ in range(size):
            self._idle.put(self._fork())

    @property
    def size(self) -> int:
        return self._size

    @property
    def holder_pid(self) -> int | None:
        return self._holder.pid if self._holder else None

    def run(self, job: tuple, timeout: float) -> tuple:
        """The worker's reply to `job`, or ("timeout",) when it did not come within `timeout` seconds."""
        worker = self._check_out(timeout)
        deadline = time.monotonic() + timeout
        try:
            send_message(worker.sock, job, deadline)
            reply = receive_message(worker.sock, deadline)
        except TimeoutError:
            self._replace(worker, "its query ran out of time")
            return ("timeout",)
        except (EOFError, OSError):
            with self._holder_lock:  # the holder reaps the worker (and its exit code) only under this lock
                ending = worker.ending_signal()
            if ending == signal.SIGABRT and self._memory_mb:
                self._replace(worker, f"it aborted while answering: an allocation failed at its memory cap "
                                      f"({self._memory_mb} MiB)")
                raise WorkerOutOfMemory from None
            self._replace(worker, "it stopped while answering" + (f" (signal {ending})" if ending else ""))
            raise WorkerStopped from None
        worker.answers += 1
        if not self._on_disk and worker.answers % RENEW_CHECK_EVERY == 0 and self._holds_too_much(worker):
            self._replace(worker, "renewed: pages of the store it read have become its own copies", logging.INFO)
        else:
            self._idle.put(worker)
        return reply

    def status(self) -> dict:
        """Workers by state as found ("alive": running); idle ones found stopped or dead are then replaced,
        so the health check that saw them also heals them."""
        with self._lock:
            states = [worker.state() for worker in self._workers]
        self._sweep_idle()
        return {"workers": self._size, "alive": states.count("running"), "stopped": states.count("stopped"),
                "dead": states.count("dead"), "idle": self._idle.qsize(), "isolated": self.isolated}

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [worker.pid for worker in self._workers]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()
        with self._holder_lock:
            self._stop_holder()
        if not isinstance(self._data, (bytes, Path)):
            self._data.close()

    def _check_out(self, wait: float) -> _Worker:
        deadline = time.monotonic() + wait
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise WorkersBusy from None
            if worker.idle_and_sound():
                return worker
            self._replace(worker, f"it was found {worker.state()} while idle")

    def _sweep_idle(self) -> None:
        sound = []
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.idle_and_sound():
                sound.append(worker)
            else:
                self._replace(worker, f"it was found {worker.state()} while idle")
        for worker in sound:
            self._idle.put(worker)

    def _holds_too_much(self, worker: _Worker) -> bool:
        holder = _memory(self.holder_pid, (b"Rss:",)) if self.holder_pid else 0
        return bool(holder) and _memory(worker.pid, _OWN) > RENEW_PRIVATE_SHARE * holder

    def _replace(self, worker: _Worker, reason: str, level: int = logging.WARNING) -> None:
        log.log(level, "stopping query worker %s: %s", worker.pid, reason)
        with self._lock:
            self._workers.discard(worker)
        worker.kill()
        threading.Thread(target=self._add_worker, name="her2graph-worker-replacement", daemon=True).start()

    def _add_worker(self) -> None:
        try:
            worker = self._fork()
        except WorkerFailure:
            log.exception("a replacement query worker failed to start")
            return
        with self._lock:
            closed = self._closed
        if closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def _fork(self) -> _Worker:
        """A new worker from the store holder (restarted first if it died)."""
        with self._holder_lock:
            if self._closed:
                raise WorkerFailure("the pool is closed")
            for attempt in range(2):
                ours, theirs = socket.socketpair()
                try:
                    socket.send_fds(self._control, [b"fork"], [theirs.fileno()])
                    self._control.settimeout(FORK_SECONDS)
                    pid = int(self._control.recv(64).decode() or "0")
                except (OSError, ValueError):
                    pid = 0
                finally:
                    theirs.close()
                if pid:
                    break
                ours.close()
                if attempt == 0:
                    log.warning("the store holder stopped (exit code %s); starting it again",
                                self._holder.poll() if self._holder else None)
                    self._stop_holder()
                    self._start_holder()
            else:
                raise WorkerFailure("the store holder could not start a query worker")
        worker = _Worker(pid, _opened(lambda: os.pidfd_open(pid)), _opened(lambda: os.open(f"/proc/{pid}/stat",
                                                                                          os.O_RDONLY)), ours)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _start_holder(self) -> None:
        ours, theirs = socket.socketpair()
        passed = [theirs.fileno()]
        if isinstance(self._data, bytes):
            source = None
        elif self._on_disk:
            source = str(self._data)
        else:
            passed.append(self._data.fileno())
            source = f"/proc/self/fd/{self._data.fileno()}"
        process = subprocess.Popen([sys.executable, "-m", self._module, str(theirs.fileno())], pass_fds=passed,
                                   stdin=subprocess.DEVNULL)
        theirs.close()
        try:
            send_message(ours, (source, self._data if source is None else None, self._memory_mb))
            kind, isolated = receive_message(ours, time.monotonic() + HOLDER_START_SECONDS)
        except (EOFError, OSError):
            process.kill()
            process.wait(5)
            ours.close()
            raise WorkerFailure(f"the query engine did not start (exit code {process.poll()})") from None
        if not isolated and self.isolated:
            log.warning("query workers cannot leave the network here (no unprivileged network namespaces); "
                        "SERVICE is still refused by the query screen")
        self.isolated = self.isolated and isolated
        ours.settimeout(None)
        self._holder, self._control = process, ours

    def _stop_holder(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._holder is not None:
            if self._holder.poll() is None:
                self._holder.kill()
            self._holder.wait(10)
            self._holder = None


_OWN = (b"Private_Clean:", b"Private_Dirty:")


def _memory(pid: int, kinds: tuple[bytes, ...]) -> int:
    """Bytes of `pid`'s memory of the kinds named (fields of /proc/PID/smaps_rollup; 0 where unknown)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            lines = rollup.read().splitlines()
    except OSError:
        return 0
    return sum(int(line.split()[1]) * 1024 for line in lines if line.startswith(kinds))


def _opened(open_fd: Callable[[], int]) -> int | None:
    try:
        return open_fd()
    except (AttributeError, OSError):  # no pidfd_open (not Linux, or Linux before 5.3), no /proc
        return None


# ---------------------------------------------------------------- inside the store holder and its workers

def holder_main(control_fd: int, open_store: Callable, answer: Callable) -> None:
    """The store holder: leave the network, cap memory, load the store, then fork a worker per request.

    `open_store` gives the store, or a function that opens it: then each worker calls it after its fork."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the server decides
    control = socket.socket(fileno=control_fd)
    server = _ServerWatch(os.getppid())
    isolated = _leave_the_network()
    source, data, memory_mb = receive_message(control)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = open_store(source if source is not None else data)
    del data
    send_message(control, ("ready", isolated))
    # No thread here (fork copies only the calling one): the end of the web process is seen as the end of
    # the control connection, where this loop waits.
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            os._exit(0)
        if not fds:  # the web process closed the connection, or died
            os._exit(0)
        _reap_ended_workers()
        pid = os.fork()
        if pid == 0:
            control.close()
            _worker_main(socket.socket(fileno=fds[0]), store, answer, server)
        os.close(fds[0])
        control.sendall(str(pid).encode())


def _reap_ended_workers() -> None:
    """Reap the workers that have ended. Only here: until then the web process can read how one ended (see
    the module's docstring); a replacement is asked for whenever one ends, so few wait here for long."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _worker_main(sock: socket.socket, store, answer: Callable, server: _ServerWatch) -> None:
    try:
        if callable(store):
            store = _opened_store(store)
        threading.Thread(target=server.exit_when_gone, name="server-watch", daemon=True).start()
        threading.stack_size(WORKER_STACK_BYTES)
        answering = threading.Thread(target=_answer_jobs, args=(sock, store, answer), name="queries")
        answering.start()
        answering.join()
    finally:
        os._exit(0)


def _opened_store(open_store: Callable):
    """The store `open_store` opens; if it fails, a stand-in whose every query fails with the reason (so each
    query this worker is given is answered as an engine failure, not a hang)."""
    try:
        return open_store()
    except Exception as error:  # the store was verified before the start: only a damaged disk gets here
        return _UnopenedStore(f"the query worker could not open the store: {type(error).__name__}: {error}")


class _UnopenedStore:
    def __init__(self, reason: str):
        self.reason = reason

    def query(self, *args, **options):
        raise RuntimeError(self.reason)


def _answer_jobs(sock: socket.socket, store, answer: Callable) -> None:
    while True:
        try:
            job = receive_message(sock)
        except (EOFError, OSError):
            return
        try:
            send_message(sock, answer(store, job))
        except MemoryError:  # pickling the answer passed the memory cap; nothing was written yet
            send_message(sock, ("memory",))


class _ServerWatch:
    """The web process, watched by a worker: the worker ends with it, even in the middle of a long query
    (a worker outlives its store holder, which the web process restarts if it dies)."""

    def __init__(self, pid: int):
        self.pid = pid
        try:
            self.fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.fd = None

    def exit_when_gone(self) -> None:
        if self.fd is not None:
            select.select([self.fd], [], [])  # readable once the process has ended
        else:
            while _exists(self.pid):
                time.sleep(1)
        os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


def _leave_the_network() -> bool:
    """Move this (single-threaded) process into a new network namespace with no interface up."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return any(libc.unshare(flags) == 0 for flags in (_CLONE_NEWUSER | _CLONE_NEWNET, _CLONE_NEWNET))
