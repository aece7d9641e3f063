"""What one client can take from the service, proved on the real server on loopback (robustness suite):
memory kept for repeated requests (the answer cache and the replay of whole responses), connections held
by a slow client (slowloris), and the service's own answers when a request breaks waitress' limits.
"""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from service_process import running_service

pytestmark = pytest.mark.robustness
MIB = 1024 * 1024
DIRECT = {"Content-Type": "application/sparql-query"}


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


# ---------------------------------------------------------------- memory kept for repeated requests

CACHE_MIB = 4
SCREENED_MIB = 8
"""answer_cache.SCREENED_QUERY_BYTES: screened query texts are remembered too."""
MARGIN_MIB = 16
"""The main process may grow by what its caches keep and this much (allocator slack, first-use imports)."""


def test_main_process_memory_stays_within_the_caches_budget_under_distinct_long_query_strings(tmp_path):
    """Each GET carries a distinct 20 KB query string (a comment) and is answered 200: before every byte of a
    key was counted, 1,500 of them grew the main process by about 46 MiB against a 4 MiB cache."""
    with running_service("--answer-cache-mb", str(CACHE_MIB), log_path=tmp_path / "serve.log") as service:
        endpoint = service.url + "/sparql"
        with requests.Session() as client:
            for warm_up in range(20):
                client.get(endpoint, params={"query": f"ASK {{}} # {warm_up}"})
            before = resident_bytes(service.process.pid)
            for index in range(1500):
                query = f"ASK {{}} # {index} " + "b" * 20_000
                assert client.get(endpoint, params={"query": query}).status_code == 200
            grown = resident_bytes(service.process.pid) - before
            kept = client.get(service.url + "/health").json()["answer_cache"]["bytes"]
    assert kept <= CACHE_MIB * MIB
    assert grown <= (CACHE_MIB + SCREENED_MIB + MARGIN_MIB) * MIB, f"the main process grew by {grown / MIB:.0f} MiB"


# ---------------------------------------------------------------- slow clients

ATTACKER = "127.0.0.2"
"""The slow client's source address: another loopback address than the health probe's 127.0.0.1."""
SLOW_CONNECTIONS = 600
"""More than the server's 500 connections at once."""


class Slowloris:
    """Opens many connections from ATTACKER and sends a request header one byte per second on each."""

    def __init__(self, host: str, port: int, connections: int):
        self.sockets: list[socket.socket] = []
        self.answers: list[bytes] = []
        self._stop = threading.Event()
        for _ in range(connections):
            connection = socket.socket()
            connection.bind((ATTACKER, 0))
            connection.settimeout(2)
            try:
                connection.connect((host, port))
            except OSError:
                connection.close()
                continue
            connection.setblocking(False)
            self.sockets.append(connection)
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()

    def _trickle(self):
        line = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
        sent = 0
        while not self._stop.wait(1):
            for connection in list(self.sockets):
                try:
                    connection.send(line[sent:sent + 1])
                    answer = connection.recv(4096)
                    if answer:
                        self.answers.append(answer)
                        self.sockets.remove(connection)
                        connection.close()
                except BlockingIOError:
                    continue
                except OSError:
                    self.sockets.remove(connection)
                    connection.close()
            sent += 1

    def close(self):
        self._stop.set()
        self._thread.join(5)
        for connection in self.sockets:
            connection.close()


def test_a_slow_client_cannot_starve_others_and_its_requests_time_out(tmp_path):
    if socket.socket().connect_ex((ATTACKER, 9)) not in (0, 111):  # 111: refused, i.e. the address works
        pytest.skip(f"{ATTACKER} is not a loopback address here")
    with running_service("--request-read-seconds", "4", log_path=tmp_path / "serve.log") as service:
        host, port = service.url.split("//")[1].split(":")
        attack = Slowloris(host, int(port), SLOW_CONNECTIONS)
        try:
            probes = []
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                started = time.monotonic()
                try:
                    status = requests.get(service.url + "/health", timeout=3).status_code
                except requests.RequestException:
                    status = None
                probes.append((status, time.monotonic() - started))
                time.sleep(0.5)
            answers = list(attack.answers)
        finally:
            attack.close()
    assert all(status == 200 for status, _ in probes), probes
    assert max(seconds for _, seconds in probes) < 2, probes
    refused = [answer for answer in answers if answer.startswith(b"HTTP/1.1 503")]
    timed_out = [answer for answer in answers if answer.startswith(b"HTTP/1.1 408")]
    assert len(refused) >= SLOW_CONNECTIONS - 32 - 10 and b"connections open" in refused[0]
    assert timed_out and b"within 4 seconds" in timed_out[0]


# ---------------------------------------------------------------- waitress' limits, the service's words

def test_a_body_over_the_limit_is_refused_in_the_services_own_words(endpoint):
    response = requests.post(endpoint, data=b"x" * (8 * 1_048_576), headers=DIRECT)
    assert response.status_code == 413
    assert response.text == ("The request body is larger than the 1048576 bytes this service takes; "
                             "send a shorter query.\n")


def test_a_header_section_over_the_limit_is_refused_in_the_services_own_words(endpoint):
    response = requests.get(endpoint, params={"query": "ASK {} #" + "x" * 300_000})
    assert response.status_code == 431
    assert response.text.startswith("The request's header section is larger than the 262144 bytes")
    assert "waitress" not in response.text and response.text.count("\n") == 1


def test_an_answer_over_the_byte_cap_is_422_with_advice(tmp_path):
    with running_service("--max-answer-bytes", "5000", log_path=tmp_path / "serve.log") as service:
        endpoint = service.url + "/sparql"
        response = requests.get(endpoint, params={"query": "SELECT * { ?s ?p ?o } LIMIT 1000"})
        assert response.status_code == 422 and "more than the 5000" in response.text and "LIMIT" in response.text
        assert requests.get(endpoint, params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}).status_code == 200
        page = requests.get(service.url + "/resource/lapatinib", headers={"Accept": "text/html"})
        assert page.status_code == 200  # the service's own pages are not capped



# ---------------------------------------------------------------- the worker's memory cap

def test_a_query_past_the_worker_memory_cap_is_503_naming_the_cap_and_its_option(tmp_path):
    """Sorting 13 million rows needs far more than 700 MiB: the worker's allocation fails at its cap (Oxigraph
    aborts then). Before the cap's failure was told from a crash, this was a plain 500. Takes some seconds:
    the worker has to fill its memory first."""
    values = " ".join(str(number) for number in range(60))
    query = (f"SELECT ?a ?b ?c ?d {{ VALUES ?a {{{values}}} VALUES ?b {{{values}}} VALUES ?c {{{values}}} "
             f"VALUES ?d {{{values}}} }} ORDER BY DESC(?a) LIMIT 1")  # 13 million rows to sort
    with running_service("--worker-memory-mb", "700", "--query-timeout", "60",
                         log_path=tmp_path / "serve.log") as service:
        started = time.monotonic()
        response = requests.get(service.url + "/sparql", params={"query": query}, timeout=120)
        print(f"answered {response.status_code} after {time.monotonic() - started:.1f} s")
        assert response.status_code == 503, response.text
        assert "700 MiB" in response.text and "--worker-memory-mb" in response.text, response.text
        assert "Retry-After" not in response.headers  # the same query would fail the same way
        assert requests.get(service.url + "/sparql", params={"query": "ASK {}"}, timeout=60).status_code == 200
